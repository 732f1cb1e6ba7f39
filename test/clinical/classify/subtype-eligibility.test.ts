import { interpretRead } from '../../../src/clinical/interpret.js';
import type { BiomarkerResult, CaveatCode, ClinicalContext, EligibilityCode, ReadResult, Subtype } from '../../../src/clinical/types.js';
import { context, er, her2Ihc, her2Ish, pct, pr, readResult, schemaErrors } from './helpers.js';

const H = {
  pos: () => her2Ihc({ ihcScore: '3+' }),
  eq: () => her2Ihc({ ihcScore: '2+' }),
  low: () => her2Ihc({ ihcScore: '1+' }),
  ultra: () => her2Ihc({ ihcScore: '0-with-staining' }),
  zero: () => her2Ihc({ ihcScore: '0' }),
  negU: () => her2Ihc(undefined, { labCall: 'negative' }),
};
const ERp = () => er({ percent: pct(80) });
const ERlow = () => er({ percent: pct(5) });
const ERn = () => er({ percent: pct(0) });
const PRp = () => pr({ percent: pct(40) });
const PRn = () => pr({ percent: pct(0) });

interface Row {
  rule: string;
  name: string;
  results: () => BiomarkerResult[];
  ctx?: Partial<ClinicalContext>;
  extra?: Partial<ReadResult>;
  subtype?: Subtype;
  eligibility?: EligibilityCode[];
  caveats?: CaveatCode[];
  absent?: CaveatCode[];
}

const rows: Row[] = [
  // §5 subtype
  { rule: 'SUBTYPE', name: 'ER+ PR- HER2 low → HR+/HER2-', results: () => [ERp(), PRn(), H.low()], subtype: 'HR+/HER2-', eligibility: ['t-dxd-her2-low', 'endocrine'] },
  { rule: 'SUBTYPE', name: 'ER+ PR+ HER2 3+ → HR+/HER2+', results: () => [ERp(), PRp(), H.pos()], subtype: 'HR+/HER2+', eligibility: ['anti-her2', 'endocrine'], caveats: ['cardiac-monitoring'] },
  { rule: 'SUBTYPE', name: 'ER- PR- HER2 3+ → HR-/HER2+', results: () => [ERn(), PRn(), H.pos()], subtype: 'HR-/HER2+', eligibility: ['anti-her2'] },
  { rule: 'SUBTYPE', name: 'ER- PR- HER2 0 → triple-negative + zero re-review', results: () => [ERn(), PRn(), H.zero()], subtype: 'triple-negative', eligibility: [], caveats: ['her2-zero-rereview'] },
  { rule: 'SUBTYPE', name: 'ER low-positive, PR-, HER2 0 → HR+/HER2- with er-low-positive', results: () => [ERlow(), PRn(), H.zero()], subtype: 'HR+/HER2-', eligibility: ['endocrine'], caveats: ['er-low-positive'], absent: ['her2-zero-rereview'] },
  { rule: 'SUBTYPE', name: 'ER+, PR unknown → HR+ determined, missing-pr', results: () => [ERp(), H.low()], subtype: 'HR+/HER2-', caveats: ['missing-pr'] },
  { rule: 'SUBTYPE', name: 'ER-, PR unknown → undetermined (HR+ not excluded)', results: () => [ERn(), H.low()], subtype: 'undetermined', eligibility: ['t-dxd-her2-low'], caveats: ['missing-pr'] },
  { rule: 'SUBTYPE', name: 'HER2 equivocal → undetermined, no T-DXd', results: () => [ERp(), PRp(), H.eq()], subtype: 'undetermined', eligibility: ['endocrine'] },
  { rule: 'SUBTYPE', name: 'HER2 unknown → undetermined, missing-her2', results: () => [ERp(), PRp()], subtype: 'undetermined', caveats: ['missing-her2'] },
  { rule: 'SUBTYPE', name: 'ER- PR+ → HR+ with er-negative-pr-positive', results: () => [ERn(), PRp(), H.low()], subtype: 'HR+/HER2-', eligibility: ['t-dxd-her2-low', 'endocrine'], caveats: ['er-negative-pr-positive'] },
  // combined ER+PR (HR-COMBINED)
  { rule: 'HR-COMBINED', name: 'only a combined ER+PR positive → HR+ (er/pr stay unknown)', results: () => [H.zero()], extra: { combined: [{ ref: 'Observation/c', status: 'valid', labCall: 'positive' }] }, subtype: 'HR+/HER2-', eligibility: ['endocrine'], caveats: ['missing-er', 'missing-pr'] },
  { rule: 'HR-COMBINED', name: 'ER and PR negative, combined positive → singles decide, discordant', results: () => [ERn(), PRn(), H.low()], extra: { combined: [{ ref: 'Observation/c', status: 'valid', labCall: 'positive' }] }, subtype: 'triple-negative', eligibility: ['t-dxd-her2-low'], caveats: ['discordant-results'] },
  { rule: 'HR-COMBINED', name: 'ER negative, PR unknown, combined negative → HR-', results: () => [ERn(), H.low()], extra: { combined: [{ ref: 'Observation/c', status: 'valid', labCall: 'negative' }] }, subtype: 'triple-negative' },
  // §7 eligibility
  { rule: 'E-TDXD-ULTRALOW', name: 'ultralow + HR+ → t-dxd-her2-ultralow', results: () => [ERp(), PRp(), H.ultra()], eligibility: ['t-dxd-her2-ultralow', 'endocrine'], caveats: ['her2-ultralow'] },
  { rule: 'SUBTYPE', name: 'ultralow + HR- → no T-DXd code', results: () => [ERn(), PRn(), H.ultra()], subtype: 'triple-negative', eligibility: [] },
  { rule: 'E-TDXD-LOW', name: 'low in triple-negative → t-dxd-her2-low', results: () => [ERn(), PRn(), H.low()], eligibility: ['t-dxd-her2-low'] },
  { rule: 'SUBTYPE', name: 'negative-unspecified → no T-DXd', results: () => [ERp(), PRp(), H.negU()], eligibility: ['endocrine'] },
  { rule: 'R5', name: 'ER and PR both negative → never endocrine', results: () => [ERn(), PRn(), H.zero()], eligibility: [] },
  // caveats with context (§6, §8)
  { rule: 'SUBTYPE', name: 'zero + HR+ + metastatic → her2-zero-rereview', results: () => [ERp(), PRp(), H.zero()], ctx: { metastatic: true }, caveats: ['her2-zero-rereview'] },
  { rule: 'SUBTYPE', name: 'zero + HR+ early disease → no re-review caveat', results: () => [ERp(), PRp(), H.zero()], absent: ['her2-zero-rereview'] },
  { rule: 'SUBTYPE', name: 'negative-unspecified + metastatic → her2-zero-rereview', results: () => [ERp(), PRp(), H.negU()], ctx: { metastatic: true }, caveats: ['her2-zero-rereview'] },
  { rule: 'SUBTYPE', name: 'ultralow + HR- + metastatic → her2-zero-rereview', results: () => [ERn(), PRn(), H.ultra()], ctx: { metastatic: true }, caveats: ['her2-zero-rereview'] },
  { rule: 'SUBTYPE', name: 'ultralow + HR+ + metastatic → no re-review', results: () => [ERp(), PRp(), H.ultra()], ctx: { metastatic: true }, absent: ['her2-zero-rereview'] },
  { rule: 'T1', name: 'metastasis recorded after the latest result → retest-on-recurrence', results: () => [ERp(), PRp(), H.low()], ctx: { metastatic: true, metastaticDate: '2024-06-01' }, caveats: ['retest-on-recurrence'] },
  { rule: 'T1', name: 'recurrence recorded after the latest result → retest-on-recurrence', results: () => [ERp(), PRp(), H.low()], ctx: { recurrence: true, recurrenceDate: '2025-01' }, caveats: ['retest-on-recurrence'] },
  { rule: 'SUBTYPE', name: 'metastasis on the day of the latest result → no retest caveat', results: () => [ERp(), PRp(), H.low()], ctx: { metastatic: true, metastaticDate: '2024-01-10' }, absent: ['retest-on-recurrence'] },
  { rule: 'SUBTYPE', name: 'metastasis without date → no retest caveat (never guessed)', results: () => [ERp(), PRp(), H.low()], ctx: { metastatic: true }, absent: ['retest-on-recurrence'] },
  { rule: 'C8', name: 'HER2+ metastatic → brain-metastases-risk + cardiac-monitoring', results: () => [ERp(), PRp(), H.pos()], ctx: { metastatic: true }, caveats: ['brain-metastases-risk', 'cardiac-monitoring'] },
  { rule: 'C8', name: 'HER2+ pT1b N0 → small-tumor-t1ab', results: () => [ERp(), PRp(), H.pos()], ctx: { tumorCategory: 'pT1b', nodalCategory: 'pN0' }, caveats: ['small-tumor-t1ab'], absent: ['brain-metastases-risk'] },
  { rule: 'C8', name: 'HER2+ pT1c N0 → no small-tumor caveat', results: () => [ERp(), PRp(), H.pos()], ctx: { tumorCategory: 'pT1c', nodalCategory: 'pN0' }, absent: ['small-tumor-t1ab'] },
  { rule: 'C8', name: 'HER2+ pT1a N1 → no small-tumor caveat', results: () => [ERp(), PRp(), H.pos()], ctx: { tumorCategory: 'T1a', nodalCategory: 'N1' }, absent: ['small-tumor-t1ab'] },
  { rule: 'C8', name: 'HER2+ pT1a, node status not recorded → no small-tumor caveat', results: () => [ERp(), PRp(), H.pos()], ctx: { tumorCategory: 'T1a' }, absent: ['small-tumor-t1ab'] },
  // PAM50 (prohibition 6)
  { rule: 'SUBTYPE', name: 'PAM50 HER2-enriched with HER2 0 → caveat, never anti-her2', results: () => [ERn(), PRn(), H.zero()], extra: { pam50: [{ ref: 'Observation/pam', subtype: 'HER2-enriched' }] }, eligibility: [], caveats: ['pam50-her2-enriched'] },
  { rule: 'SUBTYPE', name: 'PAM50 HER2-enriched with HER2 positive → no caveat', results: () => [ERn(), PRn(), H.pos()], extra: { pam50: [{ ref: 'Observation/pam', subtype: 'HER2-enriched' }] }, absent: ['pam50-her2-enriched'] },
];

describe('subtype, eligibility and caveats, one row per rule', () => {
  test.each(rows.map((r) => [`${r.rule}: ${r.name}`, r] as const))('%s', (_label, row) => {
    const i = interpretRead(readResult(row.results(), { context: context(row.ctx), ...row.extra }));
    expect(i.rules).toContain(row.rule);
    if (row.subtype) expect(i.subtype).toBe(row.subtype);
    if (row.eligibility) expect(i.eligibility).toEqual(row.eligibility);
    for (const c of row.caveats ?? []) expect(i.caveats).toContain(c);
    for (const c of row.absent ?? []) expect(i.caveats).not.toContain(c);
    expect(schemaErrors(i)).toEqual([]);
  });

  test('a combined ER+PR result never invents an ER percentage', () => {
    const i = interpretRead(readResult([her2Ish({ ishRatio: pct(1.2), her2CopiesPerCell: pct(2) })], { combined: [{ ref: 'Observation/c', status: 'valid', labCall: 'positive' }] }));
    expect(i.er).toMatchObject({ category: 'unknown', percentPositive: null, basis: [] });
    expect(i.hormoneReceptors).toEqual({ status: 'positive', fromCombined: true, basis: ['Observation/c'] });
  });
});
