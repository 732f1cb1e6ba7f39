import { getSearchParameter } from '@medplum/core';

/**
 * Adapts a FHIR search URL (path + query, relative to the server base, e.g. "/Observation?patient=p1&code=…")
 * to what @medplum/fhir-router 4.5.2's MemoryRepository actually matches. WHY (../shared/notes/dependencies.md,
 * Question 1):
 * - Gap A: `patient=<bare id>` matches nothing there; only `Patient/<id>` does. CDS Hooks prefetch templates
 *   send the bare id (`patient={{context.patientId}}`), and so does fhir-kit-client when a service copies them.
 * - Gap B: search is a linear FHIRPath scan whose filters short-circuit in order, and `subject` is ~60× cheaper
 *   than `patient`; so for every type that has a `subject` parameter the patient filter becomes
 *   `subject=Patient/<id>` and goes first.
 * - An unknown parameter makes MemoryRepository return an empty Bundle; a FHIR server should ignore it
 *   (lenient handling), so unknown parameters are dropped instead of silently hiding data.
 */

/** Result parameters the router understands besides the resource type's own search parameters. */
const CONTROL_PARAMETERS = new Set(['_id', '_lastUpdated', '_count', '_offset', '_sort', '_total', '_elements']);

export function adaptSearchUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return url;
  const path = url.slice(0, queryStart);
  const resourceType = path.replace(/^\//, '');
  // Only type-level searches ("/Observation?…"); reads, "/metadata" and anything else are left as they are.
  if (!/^[A-Z][A-Za-z]+$/.test(resourceType)) return url;

  const params = new URLSearchParams(url.slice(queryStart + 1));
  const patientFirst: Array<[string, string]> = [];
  const rest: Array<[string, string]> = [];
  const hasSubject = getSearchParameter(resourceType, 'subject') !== undefined;

  for (const [name, value] of params) {
    const baseName = name.split(':')[0] ?? name;
    if (baseName === 'patient' && name === 'patient') {
      const references = value.split(',').map(toPatientReference).join(',');
      patientFirst.push([hasSubject ? 'subject' : 'patient', references]);
    } else if (CONTROL_PARAMETERS.has(baseName) || getSearchParameter(resourceType, baseName) !== undefined) {
      rest.push([name, value]);
    }
  }

  const query = new URLSearchParams([...patientFirst, ...rest]).toString();
  return query ? `${path}?${query}` : path;
}

function toPatientReference(value: string): string {
  return value.includes('/') ? value : `Patient/${value}`;
}
