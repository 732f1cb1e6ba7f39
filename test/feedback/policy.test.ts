import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildPatientViewCards } from '../../src/cards/build.js';
import { OVERRIDE_REASON_SYSTEM } from '../../src/cards/override-reasons.js';
import { interpret } from '../../src/clinical/interpret.js';
import { ORDER_CONTENT } from '../../src/orders/order-content.js';
import { cardKindOf } from '../../src/feedback/card-kind.js';
import { biomarkerDataHash } from '../../src/feedback/data-hash.js';
import { decide, POLICY } from '../../src/feedback/policy.js';
import overrideFile from '../../cards/override-reasons.json' with { type: 'json' };
import { ROOT } from '../helpers/app.js';

const now = new Date('2026-03-01T00:00:00Z');
const card = (cardKind: string) => ({ cardKind, dataHash: 'd1' });
const ours = (code: string) => ({ system: OVERRIDE_REASON_SYSTEM, code });

describe('cards/suppression.json is consistent with the card content', () => {
  test('its reason system is the one our cards offer', () => {
    expect(POLICY.reasonSystem).toBe(OVERRIDE_REASON_SYSTEM);
  });
  test('every override reason our cards offer is listed with a suppress decision', () => {
    const offered = new Set([...Object.keys(overrideFile.reasons), ...Object.keys(ORDER_CONTENT.overrideReasons)]);
    expect([...offered].filter((code) => !(code in POLICY.reasons))).toEqual([]);
  });
  test('no kind is both suppressible and never-suppress; every order warning kind is decided', () => {
    expect([...POLICY.suppressibleCardKinds].filter((k) => POLICY.neverSuppress.has(k))).toEqual([]);
    const orderKinds = Object.entries(ORDER_CONTENT.cards)
      .filter(([, c]) => c.overrideReasons.length > 0)
      .map(([k]) => `order/${k}`);
    expect(orderKinds.filter((k) => !POLICY.suppressibleCardKinds.has(k) && !POLICY.neverSuppress.has(k))).toEqual([]);
  });
  test('the card builders tag the pending-ISH caveat with a kind the policy knows (catches a tag format change)', () => {
    const bundle = JSON.parse(readFileSync(path.join(ROOT, 'fixtures/her2-ihc2-awaiting-ish.json'), 'utf8')) as { entry: Array<{ resource: unknown }> };
    let n = 0;
    const cards = buildPatientViewCards({ interpretation: interpret(bundle.entry.map((e) => e.resource)), problems: [], patientId: 'p', newId: () => `id-${n++}` });
    const kinds = cards.map(cardKindOf);
    expect(kinds).toContain('summary');
    expect(kinds.filter((k) => POLICY.suppressibleCardKinds.has(k))).toContain('her2-equivocal-pending-ish');
  });
});

// One row per decision: [rule, feedback, card kind, expected targets]
const ROWS: Array<[string, Parameters<typeof decide>[0], string, string[]]> = [
  ['done: ISH already ordered', { outcome: 'overridden', reason: ours('ish-already-ordered'), acceptedKinds: [] }, 'her2-equivocal-pending-ish', ['her2-equivocal-pending-ish']],
  ['not applicable', { outcome: 'overridden', reason: ours('not-applicable'), acceptedKinds: [] }, 'missing-her2', ['missing-her2']],
  ['decision, not a fact', { outcome: 'overridden', reason: ours('oncologist-decision'), acceptedKinds: [] }, 'order/lvef-missing', []],
  ['client reason (other system)', { outcome: 'overridden', reason: { system: 'urn:client', code: 'not-applicable' }, acceptedKinds: [] }, 'missing-her2', []],
  ['no reason', { outcome: 'overridden', acceptedKinds: [] }, 'missing-her2', []],
  ['safety warning never suppressed', { outcome: 'overridden', reason: ours('result-elsewhere'), acceptedKinds: [] }, 'order/anti-her2-not-positive', []],
  ['summary never suppressed', { outcome: 'overridden', reason: ours('not-applicable'), acceptedKinds: [] }, 'summary', []],
  ['kind not listed as suppressible', { outcome: 'overridden', reason: ours('not-applicable'), acceptedKinds: [] }, 'prognosis', []],
  ['accepted reflex ISH pending', { outcome: 'accepted', acceptedKinds: ['order-reflex-ish'] }, 'her2-equivocal-pending-ish', ['suggestion:order-reflex-ish']],
  ['accepted remove-order: nothing pending', { outcome: 'accepted', acceptedKinds: ['remove-order'] }, 'order/tdxd-low-setting', []],
];

test.each(ROWS)('decide: %s', (_rule, facts, kind, targets) => {
  const out = decide(facts, card(kind), { now, suppressionDays: 30 });
  expect(out.map((d) => d.target)).toEqual(targets);
  for (const d of out) expect(d.until.toISOString()).toBe('2026-03-31T00:00:00.000Z');
});

test('SUPPRESSION_DAYS=0 turns suppression off', () => {
  expect(decide({ outcome: 'overridden', reason: ours('not-applicable'), acceptedKinds: [] }, card('missing-her2'), { now, suppressionDays: 0 })).toEqual([]);
});

describe('the biomarker data hash', () => {
  const obs = { resourceType: 'Observation', id: 'o1', meta: { versionId: '1', lastUpdated: '2026-01-01T00:00:00Z' }, status: 'final', valueString: '2+' };
  const base = biomarkerDataHash([obs]);
  test.each([
    ['a new result', [obs, { ...obs, id: 'o2' }]],
    ['a new version', [{ ...obs, meta: { ...obs.meta, versionId: '2' } }]],
    ['an amended status', [{ ...obs, status: 'amended' }]],
    ['a changed value', [{ ...obs, valueString: '3+' }]],
  ])('changes with %s', (_label, resources) => {
    expect(biomarkerDataHash(resources)).not.toBe(base);
  });
  test('does not depend on order or on non-Observation resources', () => {
    const o2 = { ...obs, id: 'o2' };
    expect(biomarkerDataHash([obs, o2])).toBe(biomarkerDataHash([o2, { resourceType: 'Patient', id: 'x' }, obs]));
  });
});
