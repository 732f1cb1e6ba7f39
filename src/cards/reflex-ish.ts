/**
 * The suggestion on the unresolved HER2 IHC 2+ card: a draft ServiceRequest for reflex ISH
 * (ASCO-CAP-HER2-2018: IHC 2+ must go to ISH). Code from CODES.md section 3 (LOINC 85318-4, HER2 ISH in a
 * breast cancer specimen). The order names the IHC result(s) it follows up as its reason, so the lab can
 * use the same specimen.
 */
import type { Action, Suggestion } from './types.js';
import { CAVEATS } from './content.js';

export const REFLEX_ISH_CODING = {
  system: 'http://loinc.org',
  code: '85318-4',
  display: 'ERBB2 gene duplication [Presence] in Breast cancer specimen by FISH',
} as const;

/** FHIR id: 1-64 of [A-Za-z0-9-.] (R4 "id" datatype). */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const OBSERVATION_REF = /^Observation\/[A-Za-z0-9\-.]{1,64}$/;

export function isFhirId(id: string): boolean {
  return FHIR_ID.test(id);
}

/** The reflex ISH suggestion, or undefined when the patient id is not a valid FHIR id (no order without a
 *  proper subject). */
export function reflexIshSuggestion(
  patientId: string,
  basis: readonly string[],
  newId: () => string,
): Suggestion | undefined {
  if (!isFhirId(patientId)) return undefined;
  const content = CAVEATS['her2-equivocal-pending-ish'];
  const reasons = basis.filter((ref) => OBSERVATION_REF.test(ref)).map((reference) => ({ reference }));
  const resource: Record<string, unknown> = {
    resourceType: 'ServiceRequest',
    status: 'draft',
    intent: 'order',
    code: { coding: [{ ...REFLEX_ISH_CODING }], text: 'HER2 ISH (reflex)' },
    subject: { reference: `Patient/${patientId}` },
    ...(reasons.length > 0 ? { reasonReference: reasons } : {}),
    ...(content?.orderNote ? { note: [{ text: content.orderNote }] } : {}),
  };
  const action: Action = {
    type: 'create',
    description: content?.actionDescription ?? 'Create a draft order for HER2 ISH',
    resource,
  };
  return {
    label: content?.suggestionLabel ?? 'Order HER2 ISH (reflex)',
    uuid: newId(),
    isRecommended: true,
    actions: [action],
  };
}
