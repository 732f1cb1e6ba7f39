import { interpretRead } from '../../../src/clinical/interpret.js';
import type { BiomarkerResult, CaveatCode, Her2Category } from '../../../src/clinical/types.js';
import { her2Ihc, her2Ish, pct, readResult, result, schemaErrors } from './helpers.js';

/** One row per GUIDELINES rule (§2, §3a–3c, N1–N3, N6), every boundary on both sides. */
interface Row {
  rule: string;
  name: string;
  results: () => BiomarkerResult[];
  category: Her2Category;
  caveats?: CaveatCode[];
  absent?: CaveatCode[];
  ihcScore?: string | null;
  ishGroup?: number | null;
}

const S = { specimenKey: 'S1' };
const ish = (ratio: number | undefined, copies: number | undefined, over: Partial<BiomarkerResult> = S) =>
  her2Ish({ ...(ratio === undefined ? {} : { ishRatio: pct(ratio) }), ...(copies === undefined ? {} : { her2CopiesPerCell: pct(copies) }), ishProbe: 'dual' }, over);
const ihc = (score: '0' | '0-with-staining' | '1+' | '2+' | '3+', over: Partial<BiomarkerResult> = S) => her2Ihc({ ihcScore: score }, over);
const single = (copies: number, over: Partial<BiomarkerResult> = S) => her2Ish({ her2CopiesPerCell: pct(copies), ishProbe: 'single' }, over);

const rows: Row[] = [
  // §2 IHC staining pattern + % (N3: "> 10 %")
  { rule: 'H1', name: 'intense complete staining in 10.5 % → 3+ positive', results: () => [her2Ihc({ stainingPattern: 'intense-complete', stainingPercent: pct(10.5) })], category: 'positive', ihcScore: '3+' },
  { rule: 'H6', name: 'intense complete staining in exactly 10 % is not 3+ → 2+ equivocal (unusual pattern)', results: () => [her2Ihc({ stainingPattern: 'intense-complete', stainingPercent: pct(10) })], category: 'equivocal', ihcScore: '2+', caveats: ['her2-equivocal-pending-ish'] },
  { rule: 'H6', name: 'moderate-intense incomplete (basolateral) staining → 2+ equivocal', results: () => [her2Ihc({ stainingPattern: 'moderate-intense-incomplete', stainingPercent: pct(60) })], category: 'equivocal', caveats: ['her2-equivocal-pending-ish'] },
  { rule: 'H2', name: 'weak-moderate complete in 11 % → 2+ equivocal', results: () => [her2Ihc({ stainingPattern: 'weak-moderate-complete', stainingPercent: pct(11) })], category: 'equivocal', ihcScore: '2+' },
  { rule: 'H3', name: 'faint incomplete in 10.01 % → 1+ low', results: () => [her2Ihc({ stainingPattern: 'faint-incomplete', stainingPercent: pct(10.01) })], category: 'low', ihcScore: '1+', caveats: ['her2-low'] },
  { rule: 'H4', name: 'faint incomplete in exactly 10 % → ultralow, not 1+ (N3)', results: () => [her2Ihc({ stainingPattern: 'faint-incomplete', stainingPercent: pct(10) })], category: 'ultralow', ihcScore: '0-with-staining', caveats: ['her2-ultralow'] },
  { rule: 'H4', name: 'faint incomplete in 0.5 % → ultralow', results: () => [her2Ihc({ stainingPattern: 'faint-incomplete', stainingPercent: pct(0.5) })], category: 'ultralow' },
  { rule: 'H4', name: 'reported "0" refined by the described faint staining → ultralow, not discordant', results: () => [her2Ihc({ ihcScore: '0', stainingPattern: 'faint-incomplete', stainingPercent: pct(5) })], category: 'ultralow', absent: ['discordant-results'] },
  { rule: 'H5', name: 'no staining → zero', results: () => [her2Ihc({ stainingPattern: 'none' })], category: 'zero', ihcScore: '0' },
  { rule: 'N3', name: 'reported 1+ with faint staining in 10 % → ultralow wins, lab score flagged', results: () => [her2Ihc({ ihcScore: '1+', stainingPattern: 'faint-incomplete', stainingPercent: pct(10) })], category: 'ultralow', caveats: ['discordant-results'] },
  // §2 IHC score
  { rule: 'H1', name: 'IHC 3+ → positive', results: () => [ihc('3+')], category: 'positive', caveats: ['cardiac-monitoring'] },
  { rule: 'H2', name: 'IHC 2+ without ISH → equivocal + pending ISH', results: () => [ihc('2+')], category: 'equivocal', caveats: ['her2-equivocal-pending-ish'] },
  { rule: 'H3', name: 'IHC 1+ → low', results: () => [ihc('1+')], category: 'low', caveats: ['her2-low'] },
  { rule: 'H4', name: 'IHC 0 with membrane staining → ultralow', results: () => [ihc('0-with-staining')], category: 'ultralow', caveats: ['her2-ultralow'] },
  { rule: 'H5b', name: 'IHC 0, silent on staining → zero', results: () => [ihc('0')], category: 'zero' },
  { rule: 'H7', name: 'failed test only → indeterminate', results: () => [her2Ihc({}, { status: 'failed' })], category: 'indeterminate', caveats: ['indeterminate-result'] },
  { rule: 'H7', name: 'lab call "indeterminate" only → indeterminate', results: () => [result({ marker: 'her2', labCall: 'indeterminate' })], category: 'indeterminate', caveats: ['indeterminate-result'] },
  { rule: 'LAB', name: 'IHC reported negative with no score → negative-unspecified', results: () => [her2Ihc(undefined, { labCall: 'negative' })], category: 'negative-unspecified' },
  { rule: 'LAB', name: 'interpretation-only "negative" → negative-unspecified', results: () => [result({ marker: 'her2', labCall: 'negative' })], category: 'negative-unspecified' },
  // §3a dual-probe groups without IHC (N1, N2 boundaries)
  { rule: 'G1', name: 'ratio exactly 2.0, copies exactly 4.0 → group 1 positive (N2)', results: () => [ish(2.0, 4.0)], category: 'positive', ishGroup: 1 },
  { rule: 'G2-noIHC', name: 'ratio 2.0, copies 3.99 → group 2, no IHC → equivocal + review', results: () => [ish(2.0, 3.99)], category: 'equivocal', ishGroup: 2, caveats: ['ish-needs-ihc-review'], absent: ['her2-equivocal-pending-ish'] },
  { rule: 'G4-noIHC', name: 'ratio 1.96 (not rounded to 2.0), copies 4.0 → group 4 equivocal (N1)', results: () => [ish(1.96, 4.0)], category: 'equivocal', ishGroup: 4, caveats: ['ish-needs-ihc-review'] },
  { rule: 'G3-noIHC', name: 'ratio 1.99, copies exactly 6.0 → group 3 equivocal', results: () => [ish(1.99, 6.0)], category: 'equivocal', ishGroup: 3, caveats: ['ish-needs-ihc-review'] },
  { rule: 'G4-noIHC', name: 'ratio 1.5, copies 5.98 (not rounded to 6.0) → group 4', results: () => [ish(1.5, 5.98)], category: 'equivocal', ishGroup: 4 },
  { rule: 'G5', name: 'ratio 1.96, copies 3.95 (not rounded to 4.0) → group 5 negative, no IHC → negative-unspecified', results: () => [ish(1.96, 3.95)], category: 'negative-unspecified', ishGroup: 5 },
  // §3b final call with the concurrent IHC on the same specimen
  { rule: 'G2+IHC3', name: 'group 2 + IHC 3+ → positive', results: () => [ish(2.5, 3.0), ihc('3+')], category: 'positive' },
  { rule: 'G2+IHC2', name: 'group 2 + IHC 2+ → negative → low', results: () => [ish(2.5, 3.0), ihc('2+')], category: 'low', absent: ['her2-equivocal-pending-ish'] },
  { rule: 'G2+IHC0-1', name: 'group 2 + IHC 1+ → low', results: () => [ish(2.5, 3.0), ihc('1+')], category: 'low' },
  { rule: 'ISH-NEG+IHC0', name: 'group 2 + IHC 0 → zero, not low', results: () => [ish(2.5, 3.0), ihc('0')], category: 'zero' },
  { rule: 'ISH-NEG+IHC0S', name: 'group 4 + IHC 0 with staining → ultralow', results: () => [ish(1.5, 5.0), ihc('0-with-staining')], category: 'ultralow' },
  { rule: 'G3+IHC2', name: 'group 3 + IHC 2+ → positive (the only 2+ combination that is)', results: () => [ish(1.8, 6.5), ihc('2+')], category: 'positive' },
  { rule: 'G3+IHC3', name: 'group 3 + IHC 3+ → positive', results: () => [ish(1.8, 6.5), ihc('3+')], category: 'positive' },
  { rule: 'G3+IHC0-1', name: 'group 3 + IHC 1+ → low', results: () => [ish(1.8, 6.5), ihc('1+')], category: 'low' },
  { rule: 'G4+IHC3', name: 'group 4 + IHC 3+ → positive', results: () => [ish(1.5, 5.0), ihc('3+')], category: 'positive' },
  { rule: 'G4+IHC2', name: 'group 4 + IHC 2+ → negative → low', results: () => [ish(1.5, 5.0), ihc('2+')], category: 'low' },
  { rule: 'G4+IHC0-1', name: 'group 4 + IHC 0 → zero', results: () => [ish(1.5, 5.0), ihc('0')], category: 'zero' },
  { rule: 'G1', name: 'group 1 + IHC 1+ → positive regardless of IHC', results: () => [ish(2.4, 5.0), ihc('1+')], category: 'positive' },
  { rule: 'ISH-NEG+IHC2', name: 'group 5 + IHC 2+ → low', results: () => [ish(1.2, 2.0), ihc('2+')], category: 'low', absent: ['discordant-results'] },
  { rule: 'G5+IHC3', name: 'group 5 + IHC 3+ → positive kept + discordant', results: () => [ish(1.2, 2.0), ihc('3+')], category: 'positive', caveats: ['discordant-results'] },
  { rule: 'G2-noIHC', name: 'IHC on ANOTHER specimen is not concurrent: group 2 stays equivocal', results: () => [ish(2.5, 3.0, { specimenKey: 'A' }), ihc('1+', { specimenKey: 'B', effectiveDate: '2023-01-01' })], category: 'equivocal', caveats: ['ish-needs-ihc-review', 'discordant-results'] },
  // §3c single-probe
  { rule: 'S1', name: 'single-probe copies exactly 6.0 → positive', results: () => [single(6.0)], category: 'positive' },
  { rule: 'S5', name: 'single-probe 5.99, nothing else → equivocal', results: () => [single(5.99)], category: 'equivocal', absent: ['ish-needs-ihc-review'] },
  { rule: 'S2', name: 'single-probe 4.0 + IHC 3+ → positive', results: () => [single(4.0), ihc('3+')], category: 'positive' },
  { rule: 'S3', name: 'single-probe 4.0 + IHC 2+ → equivocal (dual-probe needed)', results: () => [single(4.0), ihc('2+')], category: 'equivocal' },
  { rule: 'S4', name: 'single-probe 4.0 + IHC 1+ → low', results: () => [single(4.0), ihc('1+')], category: 'low' },
  { rule: 'S6', name: 'single-probe 3.99 + IHC 2+ → low', results: () => [single(3.99), ihc('2+')], category: 'low' },
  { rule: 'S6', name: 'single-probe 3.99 alone → negative-unspecified', results: () => [single(3.99)], category: 'negative-unspecified' },
  { rule: 'S6+IHC3', name: 'single-probe 3.99 + IHC 3+ → positive + discordant', results: () => [single(3.99), ihc('3+')], category: 'positive', caveats: ['discordant-results'] },
  // old "equivocal" wording, incomplete numbers, comparators (N6)
  { rule: 'ISH-EQ-WORDING', name: 'ISH "equivocal" with no numbers and no IHC → equivocal', results: () => [her2Ish(undefined, { labCall: 'equivocal' })], category: 'equivocal', absent: ['discordant-results'] },
  { rule: 'ISH-EQ-WORDING', name: 'ISH "equivocal" with group 5 numbers → algorithm decides + discordant', results: () => [her2Ish({ ishRatio: pct(1.3), her2CopiesPerCell: pct(2.5) }, { labCall: 'equivocal', ...S })], category: 'negative-unspecified', caveats: ['discordant-results'] },
  { rule: 'ISH-INCOMPLETE', name: 'ratio "<1.8" alone cannot exclude groups 3–4 → equivocal + indeterminate-result', results: () => [her2Ish({ ishRatio: pct(1.8, '<') }, S)], category: 'equivocal', caveats: ['indeterminate-result'] },
  { rule: 'ISH-INCOMPLETE', name: 'ratio "<1.8" with IHC reported negative on the same day → negative-unspecified', results: () => [her2Ish({ ishRatio: pct(1.8, '<') }, { specimenKey: undefined }), her2Ihc(undefined, { labCall: 'negative', specimenKey: undefined })], category: 'negative-unspecified', absent: ['indeterminate-result', 'discordant-results'] },
  { rule: 'ISH-INCOMPLETE', name: 'ratio ">2.2" with IHC reported positive → positive', results: () => [her2Ish({ ishRatio: pct(2.2, '>') }, S), her2Ihc(undefined, { labCall: 'positive', ...S })], category: 'positive' },
  { rule: 'LAB', name: 'ratio "<1.8" with the lab call negative → negative-unspecified', results: () => [her2Ish({ ishRatio: pct(1.8, '<') }, { labCall: 'negative', ...S })], category: 'negative-unspecified' },
  { rule: 'N6', name: 'ratio "<2.0" with copies 3.0 → group 5', results: () => [her2Ish({ ishRatio: pct(2.0, '<'), her2CopiesPerCell: pct(3.0) }, S)], category: 'negative-unspecified', ishGroup: 5 },
  // 10.2 lab call contradicting the numbers
  { rule: '10.2', name: 'IHC 3+ labelled negative → positive + discordant', results: () => [her2Ihc({ ihcScore: '3+' }, { labCall: 'negative' })], category: 'positive', caveats: ['discordant-results'] },
  { rule: '10.2', name: 'IHC 2+ labelled negative → still equivocal (never negative) + discordant', results: () => [her2Ihc({ ihcScore: '2+' }, { labCall: 'negative' })], category: 'equivocal', caveats: ['discordant-results'] },
  { rule: 'H3', name: 'IHC 1+ labelled negative agrees (HER2-low is HER2-negative)', results: () => [her2Ihc({ ihcScore: '1+' }, { labCall: 'negative' })], category: 'low', absent: ['discordant-results'] },
  // §6 T6, §10.1, T2, T4
  { rule: 'T6', name: 'lab reports heterogeneity → caveat', results: () => [her2Ihc({ ihcScore: '2+', heterogeneous: true }), ish(2.2, 4.5)], category: 'positive', caveats: ['her2-heterogeneous'] },
  { rule: 'T2', name: 'primary IHC 0, metastasis IHC 1+ → low (highest) + discordant', results: () => [ihc('0', { specimenKey: 'P', effectiveDate: '2020-01-01' }), ihc('1+', { specimenKey: 'M', specimen: 'metastasis', effectiveDate: '2023-05-01' })], category: 'low', caveats: ['discordant-results', 'her2-low'] },
  { rule: '10.1', name: 'an unresolved 2+ outranks an older 1+', results: () => [ihc('1+', { specimenKey: 'P', effectiveDate: '2020-01-01' }), ihc('2+', { specimenKey: 'R', effectiveDate: '2023-01-01' })], category: 'equivocal', caveats: ['discordant-results', 'her2-equivocal-pending-ish'] },
  { rule: 'T4', name: 'HER2+ before neoadjuvant, negative residual after → positive (anti-HER2 kept) + discordant', results: () => [ihc('3+', { specimenKey: 'B', specimen: 'pre-neoadjuvant', effectiveDate: '2023-01-01' }), ihc('1+', { specimenKey: 'R', specimen: 'post-neoadjuvant', effectiveDate: '2023-07-01' })], category: 'positive', caveats: ['discordant-results', 'cardiac-monitoring'] },
];

describe('HER2 classification, one row per GUIDELINES rule', () => {
  test.each(rows.map((r) => [`${r.rule}: ${r.name}`, r] as const))('%s', (_label, row) => {
    const i = interpretRead(readResult(row.results()));
    expect(i.her2.category).toBe(row.category);
    expect(i.rules).toContain(row.rule);
    for (const c of row.caveats ?? []) expect(i.caveats).toContain(c);
    for (const c of row.absent ?? []) expect(i.caveats).not.toContain(c);
    if (row.ihcScore !== undefined) expect(i.her2.ihcScore).toBe(row.ihcScore);
    if (row.ishGroup !== undefined) expect(i.her2.ishGroup).toBe(row.ishGroup);
    expect(schemaErrors(i)).toEqual([]);
  });
});

describe('HER2 results, basis and dates', () => {
  test('every result is listed with date and specimen, highest first; basis is the winning result', () => {
    const primary = her2Ihc({ ihcScore: '0' }, { ref: 'Observation/p', specimenKey: 'P', effectiveDate: '2020-01-01', specimenLabel: 'breast core biopsy' });
    const met = her2Ihc({ ihcScore: '1+' }, { ref: 'Observation/m', specimenKey: 'M', specimen: 'metastasis', effectiveDate: '2023-05-01', specimenLabel: 'liver biopsy' });
    const i = interpretRead(readResult([primary, met]));
    expect(i.her2.basis).toEqual(['Observation/m']);
    expect(i.her2.effectiveDate).toBe('2023-05-01');
    expect(i.her2.results.map((r) => [r.ref, r.category, r.effectiveDate, r.specimen, r.specimenLabel])).toEqual([
      ['Observation/m', 'low', '2023-05-01', 'metastasis', 'liver biopsy'],
      ['Observation/p', 'zero', '2020-01-01', 'primary', 'breast core biopsy'],
    ]);
    expect(i.eligibility).toContain('t-dxd-her2-low');
  });

  test('ISH with its concurrent IHC: both results rest the category, group and numbers are reported', () => {
    const i = interpretRead(readResult([ish(1.6, 3.1, { ref: 'Observation/fish', ...S }), ihc('2+', { ref: 'Observation/ihc', ...S })]));
    expect(i.her2).toMatchObject({ category: 'low', ihcScore: '2+', ishGroup: 5, ishRatio: 1.6, her2CopiesPerCell: 3.1, basis: ['Observation/fish', 'Observation/ihc'] });
    expect(i.her2.results.find((r) => r.ref === 'Observation/fish')?.description).toContain('ISH ratio 1.6');
  });

  test('a failed result next to a valid one: the valid one decides, indeterminate-result is added', () => {
    const i = interpretRead(readResult([ihc('1+'), her2Ihc({}, { status: 'failed', specimenKey: 'X' })]));
    expect(i.her2.category).toBe('low');
    expect(i.caveats).toContain('indeterminate-result');
    expect(i.caveats).not.toContain('discordant-results');
    expect(i.her2.results).toHaveLength(2);
  });

  test('preliminary only → unknown, missing-her2, pending-result; listed in pending', () => {
    const p = ihc('3+', { status: 'pending', ref: 'Observation/prelim' });
    const i = interpretRead(readResult([p]));
    expect(i.her2.category).toBe('unknown');
    expect(i.caveats).toEqual(expect.arrayContaining(['missing-her2', 'pending-result']));
    expect(i.pending.map((x) => x.ref)).toEqual(['Observation/prelim']);
    expect(i.eligibility).not.toContain('anti-her2');
  });

  test('unreadable only → unknown + unreadable-result, never guessed', () => {
    const u = result({ marker: 'her2', ref: 'Observation/u', unreadable: 'value "see report"' });
    const i = interpretRead(readResult([u]));
    expect(i.her2.category).toBe('unknown');
    expect(i.unreadable).toEqual([{ ref: 'Observation/u', reason: 'value "see report"' }]);
    expect(i.caveats).toEqual(expect.arrayContaining(['unreadable-result', 'missing-her2']));
  });
});
