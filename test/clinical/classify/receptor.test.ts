import { interpretRead } from '../../../src/clinical/interpret.js';
import type { BiomarkerResult, CaveatCode, ReceptorCategory } from '../../../src/clinical/types.js';
import { er, pct, pr, readResult, schemaErrors } from './helpers.js';

/** One row per GUIDELINES §4 rule and N4–N6 convention, every boundary on both sides. */
interface Row {
  rule: string;
  name: string;
  result: () => BiomarkerResult;
  category: ReceptorCategory;
  caveats?: CaveatCode[];
  absent?: CaveatCode[];
  percent?: number | null;
}

const rows: Row[] = [
  { rule: 'R1', name: 'ER 0 % → negative', result: () => er({ percent: pct(0) }), category: 'negative' },
  { rule: 'R1', name: 'ER 0.99 % → negative (N1: not rounded to 1)', result: () => er({ percent: pct(0.99) }), category: 'negative' },
  { rule: 'R2', name: 'ER exactly 1 % → low-positive (N4)', result: () => er({ percent: pct(1) }), category: 'low-positive', caveats: ['er-low-positive'], percent: 1 },
  { rule: 'R2', name: 'ER exactly 10 % → low-positive (N4)', result: () => er({ percent: pct(10) }), category: 'low-positive', caveats: ['er-low-positive'] },
  { rule: 'R3', name: 'ER 10.5 % → positive', result: () => er({ percent: pct(10.5) }), category: 'positive', absent: ['er-low-positive'], percent: 10.5 },
  { rule: 'R3', name: 'ER 11 % with weak intensity → positive, not low', result: () => er({ percent: pct(11), intensity: 'weak' }), category: 'positive' },
  { rule: 'R4', name: 'PR exactly 1 % → positive', result: () => pr({ percent: pct(1) }), category: 'positive' },
  { rule: 'R4', name: 'PR 5 % → positive (PR has no low category)', result: () => pr({ percent: pct(5) }), category: 'positive' },
  { rule: 'R5', name: 'PR 0.99 % → negative', result: () => pr({ percent: pct(0.99) }), category: 'negative' },
  { rule: 'R6', name: 'ER 5 % without internal controls → stands, flagged', result: () => er({ percent: pct(5), noInternalControls: true }), category: 'low-positive', caveats: ['no-internal-controls'] },
  { rule: 'R3', name: 'ER 50 % without internal controls → not flagged (R6 is 0–10 %)', result: () => er({ percent: pct(50), noInternalControls: true }), category: 'positive', absent: ['no-internal-controls'] },
  { rule: 'R7', name: 'ER failed → indeterminate', result: () => er({}, { status: 'failed' }), category: 'indeterminate', caveats: ['indeterminate-result'] },
  { rule: 'R7', name: 'ER reported "cannot be determined" → indeterminate', result: () => er(undefined, { labCall: 'indeterminate' }), category: 'indeterminate', caveats: ['indeterminate-result'] },
  // N5 ranges
  { rule: 'N5', name: 'ER 1–5 % → low-positive (both bounds in one category)', result: () => er({ percent: { low: 1, high: 5 } }), category: 'low-positive', absent: ['indeterminate-result'], percent: null },
  { rule: 'N5', name: 'ER 5–20 % → low-positive + indeterminate-result', result: () => er({ percent: { low: 5, high: 20 } }), category: 'low-positive', caveats: ['indeterminate-result'] },
  { rule: 'N5', name: 'ER 5–20 % with lab call positive → positive', result: () => er({ percent: { low: 5, high: 20 } }, { labCall: 'positive' }), category: 'positive', absent: ['indeterminate-result'] },
  { rule: 'N5', name: 'ER 0–5 % → indeterminate + indeterminate-result', result: () => er({ percent: { low: 0, high: 5 } }), category: 'indeterminate', caveats: ['indeterminate-result'] },
  { rule: 'N5', name: 'PR 0–5 % → indeterminate', result: () => pr({ percent: { low: 0, high: 5 } }), category: 'indeterminate' },
  { rule: 'N5', name: 'PR 1–5 % → positive', result: () => pr({ percent: { low: 1, high: 5 } }), category: 'positive' },
  // N6 comparators
  { rule: 'N6', name: 'ER "<1 %" → negative', result: () => er({ percent: pct(1, '<') }), category: 'negative', percent: null },
  { rule: 'N6', name: 'ER ">10 %" → positive', result: () => er({ percent: pct(10, '>') }), category: 'positive' },
  { rule: 'N6', name: 'ER ">=10 %" → spans low-positive and positive → low-positive + indeterminate-result', result: () => er({ percent: pct(10, '>=') }), category: 'low-positive', caveats: ['indeterminate-result'] },
  { rule: 'N6', name: 'ER "<10 %" alone → indeterminate', result: () => er({ percent: pct(10, '<') }), category: 'indeterminate', caveats: ['indeterminate-result'] },
  { rule: 'N6', name: 'ER "<10 %" with lab call negative → negative', result: () => er({ percent: pct(10, '<') }, { labCall: 'negative' }), category: 'negative' },
  { rule: 'N6', name: 'ER ">90 %" → positive', result: () => er({ percent: pct(90, '>') }), category: 'positive' },
  // Allred and H-score (§4)
  { rule: 'A-P0-1', name: 'ER Allred proportion 1 → negative', result: () => er({ allred: { proportion: 1, intensity: 2, total: 3 } }), category: 'negative' },
  { rule: 'A-P2', name: 'ER Allred proportion 2 → low-positive', result: () => er({ allred: { proportion: 2, total: 5 } }), category: 'low-positive', absent: ['indeterminate-result'] },
  { rule: 'A-P3-5', name: 'ER Allred proportion 3 → positive', result: () => er({ allred: { proportion: 3 } }), category: 'positive' },
  { rule: 'A-P2-5', name: 'PR Allred proportion 2 → positive (no PR low)', result: () => pr({ allred: { proportion: 2 } }), category: 'positive' },
  { rule: 'R3', name: 'a percentage present: the Allred score is ignored', result: () => er({ percent: pct(50), allred: { proportion: 0, total: 0 } }), category: 'positive' },
  { rule: 'A-T0-2', name: 'ER Allred total 2 → negative', result: () => er({ allred: { total: 2 } }), category: 'negative' },
  { rule: 'A-T3-4', name: 'ER Allred total 3 → indeterminate', result: () => er({ allred: { total: 3 } }), category: 'indeterminate', caveats: ['indeterminate-result'] },
  { rule: 'A-T3-4', name: 'ER Allred total 4 → indeterminate', result: () => er({ allred: { total: 4 } }), category: 'indeterminate' },
  { rule: 'A-T5', name: 'ER Allred total 5 → low-positive + indeterminate-result', result: () => er({ allred: { total: 5 } }), category: 'low-positive', caveats: ['indeterminate-result'] },
  { rule: 'A-T6-8', name: 'ER Allred total 6 → positive', result: () => er({ allred: { total: 6 } }), category: 'positive' },
  { rule: 'A-T5-8', name: 'PR Allred total 5 → positive', result: () => pr({ allred: { total: 5 } }), category: 'positive' },
  { rule: 'HS0', name: 'H-score 0 → negative', result: () => er({ hScore: 0 }), category: 'negative' },
  { rule: 'HS>0', name: 'H-score 150 alone → indeterminate', result: () => er({ hScore: 150 }), category: 'indeterminate' },
  { rule: 'LAB', name: 'H-score 150 with lab call positive → positive', result: () => er({ hScore: 150 }, { labCall: 'positive' }), category: 'positive' },
  // lab calls
  { rule: 'LAB', name: 'ER coded positive with no % → positive', result: () => er(undefined, { labCall: 'positive' }), category: 'positive', percent: null },
  { rule: 'LAB', name: 'PR reported "low" → positive (R4)', result: () => pr(undefined, { labCall: 'low' }), category: 'positive' },
  { rule: '10.2', name: 'ER 5 % labelled negative → low-positive + discordant', result: () => er({ percent: pct(5) }, { labCall: 'negative' }), category: 'low-positive', caveats: ['discordant-results'] },
  { rule: 'R2', name: 'ER 5 % labelled positive → low-positive, not discordant (low positive is positive)', result: () => er({ percent: pct(5) }, { labCall: 'positive' }), category: 'low-positive', absent: ['discordant-results'] },
];

describe('ER/PR classification, one row per GUIDELINES rule', () => {
  test.each(rows.map((r) => [`${r.rule}: ${r.name}`, r] as const))('%s', (_label, row) => {
    const res = row.result();
    const i = interpretRead(readResult([res]));
    const m = res.marker === 'er' ? i.er : i.pr;
    expect(m.category).toBe(row.category);
    expect(i.rules).toContain(row.rule);
    for (const c of row.caveats ?? []) expect(i.caveats).toContain(c);
    for (const c of row.absent ?? []) expect(i.caveats).not.toContain(c);
    if (row.percent !== undefined) expect(m.percentPositive).toBe(row.percent);
    expect(schemaErrors(i)).toEqual([]);
  });

  test('several ER results: highest wins, discordant, basis is the winner', () => {
    const a = er({ percent: pct(5) }, { ref: 'Observation/a', effectiveDate: '2019-02-01' });
    const b = er({ percent: pct(80) }, { ref: 'Observation/b', effectiveDate: '2022-02-01', specimen: 'metastasis' });
    const i = interpretRead(readResult([a, b]));
    expect(i.er).toMatchObject({ category: 'positive', basis: ['Observation/b'], percentPositive: 80, effectiveDate: '2022-02-01' });
    expect(i.er.results.map((r) => r.category)).toEqual(['positive', 'low-positive']);
    expect(i.caveats).toContain('discordant-results');
    expect(i.caveats).not.toContain('er-low-positive');
  });
});
