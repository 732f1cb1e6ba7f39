import type { ReadResult } from '../types.js';

/** FHIR resources (Observations, DiagnosticReports, Conditions, medication resources, Bundles) →
 *  normalised biomarker results and clinical context. Pure. (Stub: the reader lands with issue 5.) */
export function readResources(resources: readonly unknown[]): ReadResult {
  void resources;
  return {
    results: [],
    combined: [],
    pam50: [],
    context: {
      breastCancer: false,
      metastatic: false,
      recurrence: false,
      priorEndocrineTherapy: false,
      priorChemoMetastatic: false,
      priorAntiHer2: false,
      neoadjuvantTherapy: false,
      basis: [],
    },
    unreadable: [],
    observationCount: 0,
  };
}
