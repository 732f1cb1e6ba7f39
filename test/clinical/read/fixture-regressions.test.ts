import { readResources } from '../../../src/clinical/read/index.js';
import { interpret } from '../../../src/clinical/interpret.js';
import type { BiomarkerResult, ReadResult } from '../../../src/clinical/types.js';

/**
 * Regressions found by the scenario fixtures (fixtures/*.json): one row per encoding the reader got wrong,
 * with the fixture and the GUIDELINES rule it rests on, plus the rows that must stay as they were.
 */
const LOINC = 'http://loinc.org';
const SCT = 'http://snomed.info/sct';
const V3 = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
const cc = (system: string, code: string, display?: string) => ({ coding: [{ system, code, display }] });
const pct = (value: number, comparator?: string) => ({ value, unit: '%', system: 'http://unitsofmeasure.org', code: '%', ...(comparator ? { comparator } : {}) });
const onBlock = { specimen: { reference: 'Specimen/block1' }, effectiveDateTime: '2025-09-05' };
function obs(id: string, code: string, extra: Record<string, unknown>): Record<string, unknown> {
  return { resourceType: 'Observation', id, status: 'final', code: cc(LOINC, code), ...onBlock, ...extra };
}
const erCoded = (call = 'LA6576-8') => obs('er', '85337-4', { valueCodeableConcept: cc(LOINC, call) });
const erPct = (value: number, extra: Record<string, unknown> = {}) => obs('er-pct', '85329-1', { valueQuantity: pct(value), ...extra });

function ofMarker(read: ReadResult, marker: BiomarkerResult['marker']): BiomarkerResult[] {
  return read.results.filter((r) => r.marker === marker);
}

describe('item 1: ER/PR coded answer + separate % Observation on the same specimen and day is one result (fixtures her2-pos-early-pt1b-n0, ish-group4-ihc2, …)', () => {
  test.each([
    ['R3: coded Positive + 95 %', [erCoded(), erPct(95)], { labCall: 'positive', receptor: { percent: { value: 95 } } }, 'positive', 95],
    ['R2: coded Positive + 5 % is low-positive, not positive + discordant', [erCoded(), erPct(5)], { labCall: 'positive', receptor: { percent: { value: 5 } } }, 'low-positive', 5],
    ['R1/10.2: coded Positive + 0 % → numbers decide, call is discordant', [erCoded(), erPct(0)], { labCall: 'positive', receptor: { percent: { value: 0 } } }, 'negative', 0],
  ] as const)('%s', (_name, resources, expected, category, percent) => {
    const read = readResources([...resources]);
    expect(ofMarker(read, 'er')).toHaveLength(1);
    expect(ofMarker(read, 'er')[0]).toMatchObject({ ref: 'Observation/er', specimenKey: 'Specimen/block1', ...expected });
    const i = interpret([...resources]);
    expect(i.er.category).toBe(category);
    expect(i.er.percentPositive).toBe(percent);
    if (category === 'negative') expect(i.caveats).toContain('discordant-results');
    else expect(i.caveats).not.toContain('discordant-results');
  });

  test('PR parts are joined to the PR stain only, never to ER', () => {
    const pr = obs('pr', '85339-0', { valueCodeableConcept: cc(LOINC, 'LA6576-8') });
    const prPct = obs('pr-pct', '85325-9', { valueQuantity: pct(60) });
    const read = readResources([erCoded(), erPct(95), pr, prPct]);
    expect(read.results.map((r) => [r.ref, r.marker, r.receptor?.percent])).toEqual([
      ['Observation/er', 'er', { value: 95 }],
      ['Observation/pr', 'pr', { value: 60 }],
    ]);
  });

  test.each([
    ['another day', [erCoded(), erPct(5, { effectiveDateTime: '2025-10-01' })]],
    ['another specimen', [erCoded(), erPct(5, { specimen: { reference: 'Specimen/block2' } })]],
    ['no specimen recorded', [{ ...erCoded(), specimen: undefined }, { ...erPct(5), specimen: undefined }]],
    ['two coded ER stains on the block: which one the % belongs to is unknown', [erCoded(), { ...erCoded('LA6577-6'), id: 'er-b' }, erPct(5)]],
  ])('not joined: %s', (_name, resources) => {
    expect(ofMarker(readResources(resources), 'er').length).toBeGreaterThan(1);
  });

  test('two different structured percentages for one stain stay unreadable (never guessed)', () => {
    const read = readResources([obs('er', '85337-4', { valueCodeableConcept: cc(LOINC, 'LA6576-8'), component: [{ code: cc(LOINC, '85329-1'), valueQuantity: pct(50) }] }), erPct(5)]);
    expect(ofMarker(read, 'er')).toEqual([expect.objectContaining({ ref: 'Observation/er', unreadable: expect.stringContaining('percent') })]);
  });
});

describe('item 2: "IHC >0 <1+" is the ultralow notation (GUIDELINES H4; fixture her2-ultralow-hr-pos)', () => {
  const her2 = obs('her2', '85319-2', {
    valueCodeableConcept: { coding: [{ system: SCT, code: '1381318009' }], text: '0 with membrane staining (ultralow)' },
    interpretation: [cc(V3, 'NEG')],
    note: [{ text: 'Faint, barely perceptible incomplete membrane staining in 5% of invasive tumour cells (IHC >0 <1+).' }],
  });

  test('read as 0-with-staining with the ultralow call, not as 1+', () => {
    const [r] = ofMarker(readResources([her2]), 'her2');
    expect(r).toMatchObject({ labCall: 'ultralow', her2: { ihcScore: '0-with-staining', stainingPattern: 'faint-incomplete', stainingPercent: { value: 5 } } });
    expect(r?.unreadable).toBeUndefined();
  });

  test('interpreted ultralow without a false discordance', () => {
    const i = interpret([her2]);
    expect(i.her2).toMatchObject({ category: 'ultralow', ihcScore: '0-with-staining' });
    expect(i.caveats).not.toContain('discordant-results');
  });
});

describe('item 3: an intensity range is not two intensities (R1-R5 do not use intensity; fixture her2-ihc2-awaiting-ish)', () => {
  test.each([
    ['weak-moderate', 'Positive, 30% of tumour nuclei, weak-moderate intensity'],
    ['weak to strong', 'Positive, 30% of tumour nuclei, weak to strong staining'],
  ])('PR "%s" reads as 30 %% positive', (_n, text) => {
    const [r] = ofMarker(readResources([obs('pr', '40557-1', { valueString: text })]), 'pr');
    expect(r).toMatchObject({ labCall: 'positive', receptor: { percent: { value: 30 } } });
    expect(r?.unreadable).toBeUndefined();
    expect(interpret([obs('pr', '40557-1', { valueString: text })]).pr.category).toBe('positive');
  });

  test('two separate intensities in one text stay ambiguous', () => {
    const [r] = ofMarker(readResources([obs('pr', '40557-1', { valueString: 'Positive, 30%, weak; moderate' })]), 'pr');
    expect(r?.unreadable).toContain('intensities');
  });
});

describe('item 4: the structured % wins over numbers in the note; a restated band is no measurement (R2; fixture er-low-positive)', () => {
  const er = (note: string, component: unknown[] = [{ code: cc(LOINC, '85329-1'), valueQuantity: pct(5) }]) =>
    obs('er', '85337-4', { valueCodeableConcept: { coding: [{ system: LOINC, code: 'LA6576-8' }], text: 'Low Positive' }, interpretation: [cc(V3, 'POS')], note: [{ text: note }], component });

  test('component 5 % + note "Low Positive (1-10%) … 5%" → 5 %, low-positive', () => {
    const [r] = ofMarker(readResources([er('ER Low Positive (1-10%): weak staining in 5% of tumour nuclei; internal controls positive.')]), 'er');
    expect(r).toMatchObject({ labCall: 'low-positive', receptor: { percent: { value: 5 }, intensity: 'weak' } });
    expect(r?.unreadable).toBeUndefined();
    const i = interpret([er('ER Low Positive (1-10%): weak staining in 5% of tumour nuclei; internal controls positive.')]);
    expect(i.er).toMatchObject({ category: 'low-positive', percentPositive: 5 });
    expect(i.caveats).toContain('er-low-positive');
  });

  test('a different number in the note gives way to the component', () => {
    expect(ofMarker(readResources([er('about 8% of nuclei')]), 'er')[0]?.receptor?.percent).toEqual({ value: 5 });
  });

  test('without a structured value, the note\'s measured % is read and its band ignored', () => {
    expect(ofMarker(readResources([er('ER Low Positive (1-10%): 5% of tumour nuclei', [])]), 'er')[0]?.receptor?.percent).toEqual({ value: 5 });
  });

  test('without a structured value, two measured percentages in the note stay unreadable', () => {
    expect(ofMarker(readResources([er('5% in block A, 40% in block B', [])]), 'er')[0]?.unreadable).toContain('percentages');
  });
});

describe('item 5: PAM50 / Prosigna intrinsic subtype, recognised by name only (no code invented; fixture pam50-her2-enriched)', () => {
  const pam = (code: unknown, extra: Record<string, unknown>) => ({ resourceType: 'Observation', id: 'pam', status: 'final', code, effectiveDateTime: '2025-07-02', ...extra });

  test.each([
    ['fixture encoding: code.text, value text', pam({ text: 'PAM50 (Prosigna) breast cancer intrinsic subtype' }, { valueCodeableConcept: { text: 'HER2-enriched' } }), 'HER2-enriched'],
    ['coding display, valueString "HER2-E"', pam({ coding: [{ system: 'urn:local', code: 'x', display: 'Prosigna intrinsic subtype' }] }, { valueString: 'HER2-E' }), 'HER2-enriched'],
    ['Luminal A', pam({ text: 'Intrinsic subtype' }, { valueString: 'Luminal A' }), 'luminal-a'],
    ['Luminal B', pam({ text: 'PAM50 subtype' }, { valueCodeableConcept: { text: 'Luminal B' } }), 'luminal-b'],
    ['Basal-like', pam({ text: 'PAM50 subtype' }, { valueString: 'Basal-like' }), 'basal-like'],
    ['Normal-like', pam({ text: 'PAM50 subtype' }, { valueString: 'Normal-like' }), 'normal-like'],
  ])('%s', (_n, resource, subtype) => {
    const read = readResources([resource]);
    expect(read.pam50).toEqual([{ ref: 'Observation/pam', subtype, effectiveDate: '2025-07-02' }]);
    expect(read.results).toEqual([]);
    expect(read.unreadable).toEqual([]);
  });

  test('"PAM50 HER2-enriched" in the name is never read as a HER2 result', () => {
    const read = readResources([pam({ text: 'PAM50 HER2-enriched subtype' }, { valueString: 'HER2-enriched' })]);
    expect(read.results).toEqual([]);
    expect(read.pam50).toHaveLength(1);
  });

  test.each([
    ['"Luminal A/B" names two subtypes', pam({ text: 'PAM50 subtype' }, { valueString: 'Luminal A/B' })],
    ['a value that names no subtype', pam({ text: 'PAM50 subtype' }, { valueString: 'see report' })],
  ])('unreadable, listed with a reason: %s', (_n, resource) => {
    const read = readResources([resource]);
    expect(read.pam50).toEqual([]);
    expect(read.unreadable).toEqual([{ ref: 'Observation/pam', reason: expect.stringContaining('PAM50') }]);
  });

  test.each([
    ['Prosigna risk of recurrence score', pam({ text: 'Prosigna risk of recurrence (ROR) score' }, { valueInteger: 45 })],
    ['a preliminary subtype', pam({ text: 'PAM50 subtype' }, { status: 'preliminary', valueString: 'HER2-enriched' })],
    ['an unrelated Observation', pam({ text: 'Ki-67' }, { valueString: 'Luminal B-like' })],
  ])('not a subtype: %s', (_n, resource) => {
    const read = readResources([resource]);
    expect(read.pam50).toEqual([]);
    expect(read.unreadable).toEqual([]);
  });

  test('HER2-low tumour with PAM50 HER2-enriched on file → pam50-her2-enriched caveat, never anti-her2 (prohibition 6)', () => {
    const her2 = obs('her2', '85319-2', { valueCodeableConcept: { text: '1+' }, interpretation: [cc(V3, 'NEG')] });
    const i = interpret([her2, pam({ text: 'PAM50 (Prosigna) breast cancer intrinsic subtype' }, { valueCodeableConcept: { text: 'HER2-enriched' } })]);
    expect(i.pam50).toBe('HER2-enriched');
    expect(i.caveats).toContain('pam50-her2-enriched');
    expect(i.eligibility).not.toContain('anti-her2');
  });
});
