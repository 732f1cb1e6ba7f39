import type { Bundle, Medication, MedicationRequest } from 'fhir/r4.js';
import { checkOrders } from '../../src/orders/index.js';
import { medicationOrdersInScope } from '../../src/orders/draft-orders.js';
import { concept, exampleRequest, input, interpretation } from './helpers.js';

const HER2_POS = interpretation({ her2: 'positive', ihcScore: '3+', er: 'positive', pr: 'positive' });
const HER2_LOW = interpretation({ her2: 'low', ihcScore: '1+', er: 'negative', pr: 'negative' });

function sandboxWith(...extra: Array<Record<string, unknown>>) {
  const request = exampleRequest('order-select');
  request.context.draftOrders.entry?.push(...extra.map((resource) => ({ resource: resource as unknown as MedicationRequest })));
  return request;
}
const tamoxifenDraft = { resourceType: 'MedicationRequest', id: 'tam-1', status: 'draft', intent: 'order', subject: { reference: 'Patient/p' }, medicationCodeableConcept: concept('tamoxifen 20 mg', '313195') };
const kinds = (cards: ReturnType<typeof checkOrders>) => cards.map((c) => `${(c.extension?.['order-check'] as { kind: string; order?: string }).kind}@${(c.extension?.['order-check'] as { order?: string }).order ?? '-'}`);

describe('draft orders in scope', () => {
  it('order-select answers about the selections only (the Sandbox selects MedicationRequest/request-123)', () => {
    const request = sandboxWith(tamoxifenDraft);
    expect(kinds(checkOrders(input(request, 'order-select', HER2_LOW)))).toEqual(['anti-her2-not-positive@MedicationRequest/request-123']);
  });
  it('order-sign answers about every draft order', () => {
    const request = sandboxWith(tamoxifenDraft);
    expect(kinds(checkOrders(input(request, 'order-sign', HER2_LOW)))).toEqual([
      'anti-her2-not-positive@MedicationRequest/request-123',
      'endocrine-hr-negative@MedicationRequest/tam-1',
    ]);
  });
  it('order-select without selections (invalid, seen in the wild) checks every draft rather than none', () => {
    const request = sandboxWith(tamoxifenDraft);
    delete request.context.selections;
    expect(checkOrders(input(request, 'order-select', HER2_LOW))).toHaveLength(2);
  });
  it('tolerates a Bundle without type or entries, and a category object (Sandbox quirks)', () => {
    expect(medicationOrdersInScope('order-sign', { resourceType: 'Bundle' } as Bundle, undefined)).toEqual([]);
    const request = exampleRequest('order-select');
    expect((request.context.draftOrders as { type?: string }).type).toBeUndefined();
    expect(medicationOrdersInScope('order-select', request.context.draftOrders, request.context.selections)).toHaveLength(1);
  });
  it.each([
    ['a number (found by the HTTP fuzzer: 1e21 became "MedicationRequest/1e+21")', 1e21],
    ['a string with a character FHIR ids do not allow', 'tam 1+'],
    ['a string longer than 64 characters', 'x'.repeat(65)],
  ])('a draft whose id is %s is still checked on order-sign, but no card or delete action names it', (_why, id) => {
    const request = sandboxWith({ ...tamoxifenDraft, id });
    const orders = medicationOrdersInScope('order-sign', request.context.draftOrders, undefined);
    expect(orders.find((o) => o.concepts.some((c) => c.text === 'tamoxifen 20 mg'))).toMatchObject({ ref: '', deletable: false });
    const cards = checkOrders(input(request, 'order-sign', HER2_LOW));
    const actions = cards.flatMap((c) => (c.suggestions ?? []).flatMap((s) => s.actions ?? []));
    expect(actions.filter((a) => a.type === 'delete').map((a) => a.resourceId)).toEqual(['MedicationRequest/request-123']);
    expect(kinds(cards)).toEqual(['anti-her2-not-positive@MedicationRequest/request-123', 'endocrine-hr-negative@-']);
  });
  it('an echocardiogram already drafted in the session suppresses the echo suggestion', () => {
    const request = sandboxWith({ resourceType: 'ServiceRequest', id: 'echo-1', status: 'draft', intent: 'order', subject: { reference: 'Patient/p' }, code: { coding: [{ system: 'http://loinc.org', code: '34552-0' }] } });
    expect(kinds(checkOrders(input(request, 'order-select', HER2_POS)))).toEqual(['anti-her2-consistent@MedicationRequest/request-123']);
  });
});

describe('medicationReference', () => {
  function referencing(reference: string, extra: Array<Record<string, unknown>> = []) {
    const request = exampleRequest('order-sign');
    const order = request.context.draftOrders.entry?.[0]?.resource as MedicationRequest;
    delete order.medicationCodeableConcept;
    order.medicationReference = { reference };
    request.context.draftOrders.entry?.push(...extra.map((resource) => ({ resource: resource as unknown as MedicationRequest })));
    return request;
  }
  const phesgo = { resourceType: 'Medication', id: 'm-phesgo', code: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '2382607' }] } };

  it('resolves a Medication in the draftOrders Bundle', () => {
    const request = referencing('Medication/m-phesgo', [phesgo]);
    const [card] = checkOrders(input(request, 'order-sign', HER2_LOW));
    expect((card?.extension?.['order-check'] as { drugs: string[] }).drugs.sort()).toEqual(['pertuzumab', 'trastuzumab']);
    expect(card?.indicator).toBe('warning');
  });
  it('resolves a prefetched Medication (absolute reference)', () => {
    const request = referencing('https://ehr.example/fhir/Medication/m-phesgo');
    const cards = checkOrders(input(request, 'order-sign', HER2_LOW, { resources: [phesgo as never] }));
    expect(cards.map((c) => c.indicator)).toEqual(['warning']);
  });
  it('reads the ingredients of a Medication that has no code', () => {
    const request = referencing('#mix', []);
    const order = request.context.draftOrders.entry?.[0]?.resource as MedicationRequest;
    order.contained = [{ resourceType: 'Medication', id: 'mix', ingredient: [{ itemCodeableConcept: { text: 'Trastuzumab deruxtecan' } }] } as Medication];
    const [card] = checkOrders(input(request, 'order-sign', interpretation({ her2: 'zero', ihcScore: '0', er: 'negative', pr: 'negative' })));
    expect((card?.extension?.['order-check'] as { kind: string }).kind).toBe('tdxd-not-eligible');
  });
  it('an unresolvable reference gives no card (never a guess)', () => {
    expect(checkOrders(input(referencing('Medication/missing'), 'order-sign', HER2_LOW))).toEqual([]);
  });
});

describe('order card content file', () => {
  it('every source key resolves, and every override reason has a display', async () => {
    const { ORDER_CONTENT, lookupSource, overrideReasons } = await import('../../src/orders/order-content.js');
    const keys = new Set<string>();
    for (const card of Object.values(ORDER_CONTENT.cards)) {
      const claims = [...card.claims, ...Object.values(card.byHer2 ?? {}), ...Object.values(card.byCaveat ?? {}), ...Object.values(card.byDrug ?? {})];
      if (card.hrPositive) claims.push(card.hrPositive);
      if (card.hrPositiveHer2Zero) claims.push(card.hrPositiveHer2Zero);
      for (const claim of claims) for (const key of claim.sources) keys.add(key);
      for (const key of card.echoCodeSources ?? []) keys.add(key);
      for (const reason of overrideReasons(card.overrideReasons)) expect(reason.display).not.toBe(reason.code);
    }
    expect([...keys].filter((k) => lookupSource(k) === undefined)).toEqual([]);
  });
});
