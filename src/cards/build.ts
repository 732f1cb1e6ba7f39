import type { Interpretation } from '../clinical/types.js';
import type { Card, DataProblem } from './types.js';

export interface PatientViewCardInput {
  interpretation: Interpretation;
  /** What could not be read for this call (empty when everything was read). */
  problems: DataProblem[];
  /** FHIR id of the patient (used only inside suggested resources, e.g. ServiceRequest.subject). */
  patientId: string;
  /** Makes a fresh uuid for every card and suggestion (injected so the builder stays pure and testable). */
  newId: () => string;
}

/** Interpretation → the patient-view cards: exactly one summary card carrying
 *  extension["biomarker-interpretation"], then prognosis, eligibility and caveat cards. Pure.
 *  (Stub: the card builder lands with issue 5.) */
export function buildPatientViewCards(input: PatientViewCardInput): Card[] {
  const { interpretation, newId } = input;
  return [
    {
      uuid: newId(),
      summary: `HER2 ${interpretation.her2.category}; ER ${interpretation.er.category}; PR ${interpretation.pr.category}`,
      indicator: 'info',
      source: { label: 'ASCO/CAP HER2 2018/2023, ER/PR 2020' },
      extension: { 'biomarker-interpretation': interpretation },
    },
  ];
}
