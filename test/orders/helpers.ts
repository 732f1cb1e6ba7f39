import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Bundle, CodeableConcept, MedicationRequest, Observation } from 'fhir/r4.js';
import type { ClinicalContext, Her2Category, Her2IhcScore, Interpretation, ReceptorCategory, CaveatCode } from '../../src/clinical/types.js';
import type { OrderCheckInput } from '../../src/orders/index.js';
import { emptyContext } from '../../src/clinical/read/context.js';

const EXAMPLES = path.resolve(__dirname, '../../../shared/cds-hooks/examples');

interface HookRequest {
  context: { patientId: string; selections?: string[]; draftOrders: Bundle };
}

/** The real request shapes: the Sandbox's order-select and the CRD order-sign. */
export function exampleRequest(hook: 'order-select' | 'order-sign'): HookRequest {
  const file = hook === 'order-select' ? 'sandbox-order-select-request.json' : 'crd-order-sign-request.json';
  return JSON.parse(readFileSync(path.join(EXAMPLES, file), 'utf8')) as HookRequest;
}

export const RX = 'http://www.nlm.nih.gov/research/umls/rxnorm';

export interface BiomarkerState {
  her2: Her2Category;
  ihcScore?: Her2IhcScore;
  er: ReceptorCategory;
  erPercent?: number;
  pr: ReceptorCategory;
  caveats?: CaveatCode[];
  context?: Partial<ClinicalContext>;
  unreadable?: Array<{ ref: string; reason: string }>;
}

export function interpretation(state: BiomarkerState): Interpretation {
  return {
    her2: {
      category: state.her2,
      ihcScore: state.ihcScore ?? null,
      basis: state.her2 === 'unknown' ? [] : ['Observation/her2-ihc-1'],
      results:
        state.her2 === 'unknown'
          ? []
          : [{ ref: 'Observation/her2-ihc-1', category: state.her2, description: `IHC ${state.ihcScore ?? '?'}`, effectiveDate: '2025-11-03', specimen: 'primary', status: 'valid' }],
    },
    er: { category: state.er, percentPositive: state.erPercent ?? null, basis: [], results: [] },
    pr: { category: state.pr, basis: [], results: [] },
    subtype: 'undetermined',
    eligibility: [],
    caveats: state.caveats ?? [],
    context: { ...emptyContext(), breastCancer: true, metastatic: true, ...state.context },
    rules: [],
    pending: [],
    unreadable: state.unreadable ?? [],
    ruleSetVersion: 'test',
  };
}

/** The example request with its single draft order's medication replaced. */
export function withMedication(hook: 'order-select' | 'order-sign', medication: Partial<MedicationRequest>): HookRequest {
  const request = exampleRequest(hook);
  const entry = request.context.draftOrders.entry?.[0];
  const order = entry?.resource as MedicationRequest;
  delete order.medicationCodeableConcept;
  Object.assign(order, medication);
  return request;
}

export const concept = (text: string, code?: string): CodeableConcept => ({
  text,
  ...(code ? { coding: [{ system: RX, code }] } : {}),
});

export function lvefObservation(date: string): Observation {
  return {
    resourceType: 'Observation',
    id: 'lvef-1',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '18043-0' }] },
    effectiveDateTime: date,
    valueQuantity: { value: 60, unit: '%' },
  };
}

export const NOW = new Date('2026-01-15T12:00:00Z');

export function input(request: HookRequest, hook: 'order-select' | 'order-sign', interp: Interpretation, extra: Partial<OrderCheckInput> = {}): OrderCheckInput {
  let n = 0;
  return {
    hook,
    interpretation: interp,
    problems: [],
    patientId: request.context.patientId,
    draftOrders: request.context.draftOrders,
    ...(hook === 'order-select' && request.context.selections ? { selections: request.context.selections } : {}),
    lvef: [],
    newId: () => `id-${++n}`,
    now: NOW,
    options: { quietWhenConsistent: false, lvefWindowDays: 90 },
    // The table looks at the order cards; the summary card is tested on its own.
    includeSummaryCard: false,
    ...extra,
  };
}
