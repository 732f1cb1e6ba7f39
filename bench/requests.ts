import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Bundle, Resource } from 'fhir/r4.js';
import { repoRoot } from '../src/config/repo-root.js';

/**
 * The hook requests the benchmark, the soak and the fuzzer send: built from a scenario chart in fixtures/ so
 * that the data is realistic (a HER2 IHC 2+ → ISH panel, ER/PR, metastasis, prior endocrine therapy).
 */

export const SCENARIO = 'her2-low-hr-pos-post-endocrine';
export const PATIENT_VIEW_ID = 'her2-er-pr-patient-view';
export const ORDER_SIGN_ID = 'her2-er-pr-order-sign';
export const HOOK_INSTANCE = '5e7d0c1b-8f2a-4c39-b6de-2a91f4c7e0aa';

/** Every resource of a scenario chart (fixtures/<scenario>.json). */
export function scenarioResources(scenario = SCENARIO): Resource[] {
  const bundle = JSON.parse(readFileSync(path.join(repoRoot(), 'fixtures', `${scenario}.json`), 'utf8')) as Bundle;
  return (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
}

function searchset(resources: Resource[]): Bundle {
  return { resourceType: 'Bundle', type: 'searchset', total: resources.length, entry: resources.map((resource) => ({ resource })) };
}

/** The prefetch an EHR sends for our templates: Patient, then one searchset per search template. */
export function fullPrefetch(resources: Resource[], withLvef: boolean): Record<string, unknown> {
  const of = (type: string): Resource[] => resources.filter((r) => r.resourceType === type);
  return {
    patient: of('Patient')[0] ?? null,
    biomarkers: searchset(of('Observation')),
    conditions: searchset(of('Condition')),
    medications: searchset(of('MedicationRequest')),
    ...(withLvef ? { lvef: searchset([]) } : {}),
  };
}

/** patient-view with the full prefetch (no fhirServer: nothing is fetched). */
export function patientViewWithPrefetch(scenario = SCENARIO): Record<string, unknown> {
  const resources = scenarioResources(scenario);
  return {
    hookInstance: HOOK_INSTANCE,
    hook: 'patient-view',
    context: { patientId: scenario, userId: 'Practitioner/bench-user' },
    prefetch: fullPrefetch(resources, false),
  };
}

/** patient-view without prefetch: all four keys are read from fhirServer (the fallback path). */
export function patientViewFallback(fhirServer: string, accessToken?: string, scenario = SCENARIO): Record<string, unknown> {
  return {
    hookInstance: HOOK_INSTANCE,
    hook: 'patient-view',
    fhirServer,
    ...(accessToken ? { fhirAuthorization: { access_token: accessToken, token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 'her2-cds' } } : {}),
    context: { patientId: scenario, userId: 'Practitioner/bench-user' },
  };
}

/** order-sign of a trastuzumab draft order, with the full prefetch (LVEF key empty). */
export function orderSignWithPrefetch(scenario = SCENARIO): Record<string, unknown> {
  const resources = scenarioResources(scenario);
  return {
    hookInstance: HOOK_INSTANCE,
    hook: 'order-sign',
    context: {
      patientId: scenario,
      userId: 'Practitioner/bench-user',
      draftOrders: {
        resourceType: 'Bundle',
        type: 'collection',
        entry: [
          {
            resource: {
              resourceType: 'MedicationRequest',
              id: 'draft-trastuzumab-1',
              status: 'draft',
              intent: 'order',
              subject: { reference: `Patient/${scenario}` },
              medicationCodeableConcept: {
                text: 'trastuzumab 150 MG Injection',
                coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '224905', display: 'trastuzumab' }],
              },
            },
          },
        ],
      },
    },
    prefetch: fullPrefetch(resources, true),
  };
}

/** Feedback on one card (CDS Hooks 2.0 §Feedback): overridden without a reason, so nothing gets suppressed. */
export function feedbackBody(cardUuid: string): Record<string, unknown> {
  return { feedback: [{ card: cardUuid, outcome: 'overridden', outcomeTimestamp: new Date().toISOString() }] };
}
