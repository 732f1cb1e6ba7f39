import type { CapabilityStatement } from 'fhir/r4.js';

/** Resource types the embedded server holds (what the fixtures contain and the prefetch templates read). */
export const EMBEDDED_RESOURCE_TYPES = [
  'Patient',
  'Observation',
  'Condition',
  'MedicationRequest',
  'MedicationStatement',
  'DiagnosticReport',
  'Procedure',
  'Specimen',
] as const;

/**
 * The CapabilityStatement served at /metadata. WHY our own: FhirRouter 4.5.2 treats "/metadata" as a search
 * on a type called "metadata" and answers with an empty Bundle; clients (fhir-kit-client.capabilityStatement(),
 * SMART launchers) expect a CapabilityStatement. Read-only on purpose: this is development data.
 */
export function capabilityStatement(baseUrl: string): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-11-26',
    kind: 'instance',
    software: { name: 'her2-cds embedded FHIR server (development only)' },
    implementation: { description: 'In-memory FHIR R4 server seeded from fixtures/', url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['json'],
    rest: [
      {
        mode: 'server',
        documentation: 'Read-only. patient=<id> is accepted as well as patient=Patient/<id>.',
        resource: EMBEDDED_RESOURCE_TYPES.map((type) => ({
          type,
          interaction: [{ code: 'read' as const }, { code: 'search-type' as const }],
        })),
      },
    ],
  };
}
