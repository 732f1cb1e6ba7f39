import type { Interpretation } from '../clinical/types.js';
import type { Card, DataProblem } from './types.js';
import { caveatCards } from './caveats.js';
import { eligibilityCards } from './eligibility.js';
import { biomarkersUnavailable, effectiveInterpretation } from './guard.js';
import { prognosisCards } from './prognosis.js';
import { buildSummaryCard, noBiomarkersAtAll } from './summary.js';

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
 *  extension["biomarker-interpretation"], then the warnings (unresolved, discordant, unreadable, missing),
 *  the eligibility cards, the prognosis card and the other caveats. When the biomarkers could not be read,
 *  only the summary card is returned: nothing is concluded from partial data. Pure. */
export function buildPatientViewCards(input: PatientViewCardInput): Card[] {
  const { problems, patientId, newId } = input;
  const summary = buildSummaryCard({ interpretation: input.interpretation, problems, newId });
  if (biomarkersUnavailable(problems)) return [summary];
  const i = effectiveInterpretation(input.interpretation, problems);
  // No biomarker result and no breast cancer on the chart: nothing is missing, nothing to add.
  if (noBiomarkersAtAll(i) && !i.context.breastCancer) return [summary];
  const caveats = caveatCards(i, patientId, newId);
  return [
    summary,
    ...caveats.filter((c) => c.indicator === 'warning'),
    ...eligibilityCards(i, problems, newId),
    ...prognosisCards(i, newId),
    ...caveats.filter((c) => c.indicator !== 'warning'),
  ];
}
