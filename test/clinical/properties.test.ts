import fc from 'fast-check';
import { interpret, interpretRead } from '../../src/clinical/interpret.js';
import { neverListViolations } from '../../src/clinical/classify/eligibility.js';
import type { BiomarkerResult, CombinedReceptorResult, Interpretation, Pam50Result, ReadResult } from '../../src/clinical/types.js';
import { context, schemaErrors } from './classify/helpers.js';

// ---- generators of normalised results (BiomarkerResult level)
const num = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
// Values on and around every threshold are drawn often, so boundaries get exercised.
const near = (points: number[], min: number, max: number) =>
  fc.oneof(fc.constantFrom(...points.flatMap((p) => [p, p - 0.01, p + 0.01])), num(min, max));
const reported = (points: number[], min: number, max: number) =>
  fc.record({ value: near(points, min, max), comparator: fc.option(fc.constantFrom('<', '<=', '>', '>=' as const), { nil: undefined }) }, { requiredKeys: ['value'] });
const labCall = fc.option(fc.constantFrom('positive', 'negative', 'equivocal', 'low-positive', 'low', 'ultralow', 'zero', 'indeterminate' as const), { nil: undefined });
const date = fc.option(fc.constantFrom('2019-03-01', '2021-06-15', '2023-01-10', '2024-11-30T10:00:00Z'), { nil: undefined });
const base = {
  ref: fc.constantFrom('Observation/a', 'Observation/b', 'Observation/c', 'Observation/d', 'Observation/e', 'Observation/f'),
  status: fc.constantFrom('valid', 'valid', 'valid', 'pending', 'failed' as const),
  effectiveDate: date,
  specimen: fc.constantFrom('primary', 'metastasis', 'recurrence', 'pre-neoadjuvant', 'post-neoadjuvant', 'unspecified' as const),
  specimenKey: fc.option(fc.constantFrom('S1', 'S2'), { nil: undefined }),
  labCall,
};
const her2Result: fc.Arbitrary<BiomarkerResult> = fc.record(
  {
    ...base,
    marker: fc.constant('her2' as const),
    method: fc.constantFrom('ihc', 'ish', 'unspecified' as const),
    her2: fc.record(
      {
        ihcScore: fc.constantFrom('0', '0-with-staining', '1+', '2+', '3+' as const),
        stainingPattern: fc.constantFrom('none', 'faint-incomplete', 'weak-moderate-complete', 'intense-complete', 'moderate-intense-incomplete' as const),
        stainingPercent: reported([0, 10], 0, 100),
        ishRatio: reported([2.0], 0.5, 6),
        her2CopiesPerCell: reported([4.0, 6.0], 0.5, 20),
        ishProbe: fc.constantFrom('single', 'dual' as const),
        heterogeneous: fc.boolean(),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['ref', 'marker', 'method', 'status', 'specimen'] },
);
const receptorResult: fc.Arbitrary<BiomarkerResult> = fc.record(
  {
    ...base,
    marker: fc.constantFrom('er', 'pr' as const),
    method: fc.constantFrom('ihc', 'unspecified' as const),
    receptor: fc.record(
      {
        percent: fc.oneof(reported([1, 10], 0, 100), fc.tuple(near([1, 10], 0, 100), near([1, 10], 0, 100)).map(([a, b]) => ({ low: Math.min(a, b), high: Math.max(a, b) }))),
        allred: fc.record({ total: fc.integer({ min: 0, max: 8 }), proportion: fc.integer({ min: 0, max: 5 }) }, { requiredKeys: [] }),
        hScore: fc.integer({ min: 0, max: 300 }),
        noInternalControls: fc.boolean(),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['ref', 'marker', 'method', 'status', 'specimen'] },
);
const unreadableResult: fc.Arbitrary<BiomarkerResult> = fc.record({
  ref: fc.constant('Observation/u'),
  marker: fc.constantFrom('her2', 'er', 'pr' as const),
  method: fc.constant('unspecified' as const),
  status: fc.constant('valid' as const),
  specimen: fc.constant('unspecified' as const),
  unreadable: fc.constant('free text'),
});
const combined: fc.Arbitrary<CombinedReceptorResult> = fc.record({ ref: fc.constant('Observation/hr'), status: fc.constantFrom('valid', 'pending' as const), labCall: fc.constantFrom('positive', 'negative' as const) });
const pam50: fc.Arbitrary<Pam50Result> = fc.record({ ref: fc.constant('Observation/pam50'), subtype: fc.constantFrom('HER2-enriched', 'luminal-a', 'luminal-b', 'basal-like', 'normal-like' as const) });

const readArb: fc.Arbitrary<ReadResult> = fc
  .record({
    results: fc.array(fc.oneof(her2Result, receptorResult, unreadableResult), { maxLength: 8 }),
    combined: fc.array(combined, { maxLength: 2 }),
    pam50: fc.array(pam50, { maxLength: 1 }),
    metastatic: fc.boolean(),
    metastaticDate: date,
    tumorCategory: fc.option(fc.constantFrom('pT1a', 'pT1b', 'pT1c', 'T2'), { nil: undefined }),
    nodalCategory: fc.option(fc.constantFrom('N0', 'pN1'), { nil: undefined }),
  })
  .map(({ results, combined, pam50, metastatic, metastaticDate, tumorCategory, nodalCategory }) => {
    const ctx = context({ metastatic });
    if (metastaticDate !== undefined) ctx.metastaticDate = metastaticDate;
    if (tumorCategory !== undefined) ctx.tumorCategory = tumorCategory;
    if (nodalCategory !== undefined) ctx.nodalCategory = nodalCategory;
    // Distinct refs per result, as the reader gives them.
    const uniq = results.map((r, i) => ({ ...r, ref: `${r.ref}-${i}` }));
    return { results: uniq, combined, pam50, context: ctx, unreadable: [], observationCount: uniq.length };
  });

/** The never-list of the contract (GUIDELINES §7), checked independently of the implementation's guard. */
function violations(i: Interpretation): string[] {
  const out: string[] = [];
  const e = i.eligibility;
  if (e.includes('anti-her2') && i.her2.category !== 'positive') out.push('anti-her2 without HER2 positive');
  const noTdxd = ['zero', 'negative-unspecified', 'unknown', 'indeterminate', 'equivocal'];
  if ((e.includes('t-dxd-her2-low') || e.includes('t-dxd-her2-ultralow')) && noTdxd.includes(i.her2.category)) out.push('T-DXd for ' + i.her2.category);
  if (e.includes('t-dxd-her2-ultralow') && i.er.category === 'negative' && i.pr.category === 'negative') out.push('ultralow T-DXd when HR-');
  if (e.includes('endocrine') && i.er.category === 'negative' && i.pr.category === 'negative') out.push('endocrine when ER and PR negative');
  out.push(...neverListViolations(e, i.her2.category, i.er.category, i.pr.category, i.hormoneReceptors?.status ?? 'undetermined'));
  return out;
}

const shuffle = <T>(xs: T[], seed: number): T[] => {
  const a = [...xs];
  let s = seed;
  for (let k = a.length - 1; k > 0; k--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = s % (k + 1);
    [a[k], a[j]] = [a[j] as T, a[k] as T];
  }
  return a;
};

describe('invariants of interpretRead (generated normalised results)', () => {
  test('the order of results never changes the interpretation', () => {
    fc.assert(
      fc.property(readArb, fc.integer({ min: 1, max: 1e6 }), (read, seed) => {
        const a = interpretRead(read);
        const b = interpretRead({ ...read, results: shuffle(read.results, seed), combined: shuffle(read.combined, seed + 1) });
        expect(b).toEqual(a);
      }),
      { numRuns: 400 },
    );
  });

  test('nothing on the never-list appears, and every interpretation validates against the contract schema', () => {
    fc.assert(
      fc.property(readArb, (read) => {
        const i = interpretRead(read);
        expect(violations(i)).toEqual([]);
        expect(schemaErrors(i)).toEqual([]);
      }),
      { numRuns: 600 },
    );
  });

  test('a preliminary result never sets a category; an unreadable one is listed, never guessed', () => {
    fc.assert(
      fc.property(readArb, (read) => {
        const i = interpretRead(read);
        const valid = (m: string) => read.results.some((r) => r.marker === m && r.status !== 'pending' && r.unreadable === undefined);
        if (!valid('her2')) expect(i.her2.category).toBe('unknown');
        if (!valid('er')) expect(i.er.category).toBe('unknown');
        if (!valid('pr')) expect(i.pr.category).toBe('unknown');
        const u = read.results.filter((r) => r.unreadable !== undefined).length;
        if (u > 0) expect(i.caveats).toContain('unreadable-result');
        expect(i.caveats.includes('cardiac-monitoring')).toBe(i.eligibility.includes('anti-her2'));
      }),
      { numRuns: 300 },
    );
  });
});

// ---- FHIR-level properties (through the reader)
const loinc = { her2Ihc: '85319-2', er: '85337-4', pr: '85339-0' };
const snomed = { positive: '10828004', negative: '260385009' };
const observation = fc.record({
  id: fc.constantFrom('o1', 'o2', 'o3', 'o4', 'o5'),
  code: fc.constantFrom(loinc.her2Ihc, loinc.er, loinc.pr),
  answer: fc.constantFrom('positive', 'negative' as const),
  status: fc.constantFrom('final', 'amended', 'preliminary', 'cancelled' as const),
  date: fc.constantFrom('2020-01-01', '2022-05-05'),
});
const toFhir = (o: { id: string; code: string; answer: 'positive' | 'negative'; status: string; date: string }, i: number): Record<string, unknown> => ({
    resourceType: 'Observation',
    id: `${o.id}-${i}`,
    status: o.status,
    subject: { reference: 'Patient/p' },
    effectiveDateTime: o.date,
    code: { coding: [{ system: 'http://loinc.org', code: o.code }] },
    valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: snomed[o.answer] }] },
});

describe('invariants of interpret (generated FHIR Observations)', () => {
  const chart = fc.array(observation, { maxLength: 8 }).map((os) => os.map(toFhir));

  test('the order of resources never changes the interpretation', () => {
    fc.assert(
      fc.property(chart, fc.integer({ min: 1, max: 1e6 }), (resources, seed) => {
        expect(interpret(shuffle(resources, seed))).toEqual(interpret(resources));
      }),
      { numRuns: 200 },
    );
  });

  test('an added entered-in-error result never changes the interpretation', () => {
    fc.assert(
      fc.property(chart, observation, (resources, extra) => {
        const eie = { ...toFhir(extra, 99), status: 'entered-in-error' };
        expect(interpret([...resources, eie])).toEqual(interpret(resources));
      }),
      { numRuns: 200 },
    );
  });

  test('never-list and contract schema hold for generated charts', () => {
    fc.assert(
      fc.property(chart, (resources) => {
        const i = interpret(resources);
        expect(violations(i)).toEqual([]);
        expect(schemaErrors(i)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
