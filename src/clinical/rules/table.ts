import type { Her2Category, Her2IhcScore, Her2StainingPattern, ReceptorCategory } from '../types.js';

/**
 * Every threshold and decision of ../shared/clinical/GUIDELINES.md as data: one row per rule, named by
 * its GUIDELINES id, with the source key of GUIDELINES §0 (or "contract" / "convention" where the
 * guideline is silent and the product decided, GUIDELINES §10). The classifiers read these rows; they
 * hold no numbers of their own, so a threshold is changed (and reviewed) in exactly one place.
 */

export type SourceKey =
  | 'ASCO-CAP-HER2-2018 Fig. 1'
  | 'ASCO-CAP-HER2-2018 Fig. 2'
  | 'ASCO-CAP-HER2-2018 Fig. 3'
  | 'ASCO-CAP-HER2-2018 Fig. 4'
  | 'ASCO-CAP-HER2-2018 Fig. 5'
  | 'ASCO-CAP-HER2-2018 Fig. 6'
  | 'ASCO-CAP-HER2-2018'
  | 'ASCO-CAP-HER2-2023'
  | 'ASCO-CAP-ERPR-2020'
  | 'HARVEY-1999 (Allred bands, GUIDELINES §4)'
  | 'DB-06; LABEL-ENHERTU'
  | 'DB-04; LABEL-ENHERTU'
  | 'KATHERINE; KATHERINE-HER2NEG-RD'
  | 'ASCO-MBC-BIOMARKERS-2015'
  | 'METABRIC-SCANB-2022'
  | 'CURIGLIANO-2009'
  | 'HER2CLIMB-BM-2023'
  | 'LABEL-TRASTUZUMAB'
  | 'PAAKKOLA-2021'
  | 'contract'
  | 'convention';

/** A numeric interval; an absent end is unbounded. Inclusive flags make every boundary explicit (N2, N3, N4). */
export interface Bound {
  min?: number;
  minInclusive?: boolean;
  max?: number;
  maxInclusive?: boolean;
}

/** The concurrent IHC a rule needs: a class of scores, none on file, or any. */
export type IhcClass = '3+' | '2+' | '0-1+' | 'none' | 'any';

export type HerCall = 'positive' | 'negative' | 'equivocal';

/** Allred proportion score (0–5) or total (proportion + intensity, 0–8) → category (GUIDELINES §4). */
export interface AllredRow<K extends 'allred-proportion' | 'allred-total'> {
  id: string;
  kind: K;
  marker: 'er' | 'pr';
  score: Bound;
  category: ReceptorCategory;
  /** The score cannot confirm the category's upper band: adds indeterminate-result. */
  uncertain?: boolean;
  source: SourceKey;
}

export type Rule =
  | { id: string; kind: 'convention'; text: string; source: SourceKey }
  | { id: string; kind: 'her2-ihc-pattern'; pattern: Her2StainingPattern; percent: Bound; score: Her2IhcScore; source: SourceKey }
  | { id: string; kind: 'her2-ihc-score'; score: Her2IhcScore; category: Her2Category; source: SourceKey }
  | { id: string; kind: 'ish-group'; group: 1 | 2 | 3 | 4 | 5; ratio: Bound; copies: Bound; call?: HerCall; source: SourceKey }
  | { id: string; kind: 'ish-final'; group: 2 | 3 | 4 | 5; ihc: IhcClass; call: HerCall; discordant?: boolean; source: SourceKey }
  | { id: string; kind: 'single-probe'; copies: Bound; ihc: IhcClass; call: HerCall; discordant?: boolean; source: SourceKey }
  | { id: string; kind: 'her2-negative-by-ihc'; ihc: Her2IhcScore | 'none'; category: Her2Category; source: SourceKey }
  | { id: string; kind: 'receptor-percent'; marker: 'er' | 'pr'; percent: Bound; category: ReceptorCategory; source: SourceKey }
  | AllredRow<'allred-proportion'>
  | AllredRow<'allred-total'>
  | { id: string; kind: 'receptor-controls'; percent: Bound; source: SourceKey }
  | { id: string; kind: 'h-score'; score: Bound; category: ReceptorCategory; source: SourceKey }
  | { id: string; kind: 'decision'; text: string; source: SourceKey };

export const RULE_SET_VERSION = 'asco-cap-her2-2023+erpr-2020/1';

const HER2_2018_FIG1 = 'ASCO-CAP-HER2-2018 Fig. 1' as const;

export const RULES: readonly Rule[] = [
  // ---- §1 numeric conventions
  { id: 'N1', kind: 'convention', text: 'compare values as reported, never rounded', source: 'convention' },
  { id: 'N2', kind: 'convention', text: '"≥" includes the boundary (ratio 2.0, copies 4.0 and 6.0)', source: 'ASCO-CAP-HER2-2018 Fig. 3' },
  { id: 'N3', kind: 'convention', text: 'HER2 IHC percentages use "> 10 %"; exactly 10 % is not 1+/3+', source: HER2_2018_FIG1 },
  { id: 'N4', kind: 'convention', text: 'ER/PR: exactly 1 % positive, exactly 10 % ER low-positive', source: 'ASCO-CAP-ERPR-2020' },
  { id: 'N5', kind: 'convention', text: 'a range is classified by both bounds; straddling → lab call, else N5 fallback', source: 'convention' },
  { id: 'N6', kind: 'convention', text: 'a comparator (<1 %, >90 %) is classified by its interval', source: 'convention' },

  // ---- §2 HER2 IHC: staining pattern and % of invasive cells → score (N3: "> 10 %")
  { id: 'H1', kind: 'her2-ihc-pattern', pattern: 'intense-complete', percent: { min: 10, minInclusive: false }, score: '3+', source: HER2_2018_FIG1 },
  { id: 'H2', kind: 'her2-ihc-pattern', pattern: 'weak-moderate-complete', percent: { min: 10, minInclusive: false }, score: '2+', source: HER2_2018_FIG1 },
  { id: 'H3', kind: 'her2-ihc-pattern', pattern: 'faint-incomplete', percent: { min: 10, minInclusive: false }, score: '1+', source: HER2_2018_FIG1 },
  { id: 'H4', kind: 'her2-ihc-pattern', pattern: 'faint-incomplete', percent: { min: 0, minInclusive: false, max: 10, maxInclusive: true }, score: '0-with-staining', source: 'DB-06; LABEL-ENHERTU' },
  { id: 'H5', kind: 'her2-ihc-pattern', pattern: 'none', percent: {}, score: '0', source: 'ASCO-CAP-HER2-2023' },
  { id: 'H6', kind: 'her2-ihc-pattern', pattern: 'intense-complete', percent: { min: 0, minInclusive: false, max: 10, maxInclusive: true }, score: '2+', source: HER2_2018_FIG1 },
  { id: 'H6', kind: 'her2-ihc-pattern', pattern: 'moderate-intense-incomplete', percent: { min: 0, minInclusive: false }, score: '2+', source: HER2_2018_FIG1 },
  // ---- §2 HER2 IHC: score → category
  { id: 'H1', kind: 'her2-ihc-score', score: '3+', category: 'positive', source: HER2_2018_FIG1 },
  { id: 'H2', kind: 'her2-ihc-score', score: '2+', category: 'equivocal', source: HER2_2018_FIG1 },
  { id: 'H3', kind: 'her2-ihc-score', score: '1+', category: 'low', source: 'ASCO-CAP-HER2-2023' },
  { id: 'H4', kind: 'her2-ihc-score', score: '0-with-staining', category: 'ultralow', source: 'DB-06; LABEL-ENHERTU' },
  { id: 'H5b', kind: 'her2-ihc-score', score: '0', category: 'zero', source: 'contract' },
  { id: 'H7', kind: 'decision', text: 'test not evaluable / failed controls → indeterminate', source: 'convention' },

  // ---- §3a dual-probe ISH groups (N2: ≥ includes the boundary)
  { id: 'G1', kind: 'ish-group', group: 1, ratio: { min: 2.0, minInclusive: true }, copies: { min: 4.0, minInclusive: true }, call: 'positive', source: 'ASCO-CAP-HER2-2018 Fig. 3' },
  { id: 'G2', kind: 'ish-group', group: 2, ratio: { min: 2.0, minInclusive: true }, copies: { max: 4.0, maxInclusive: false }, source: 'ASCO-CAP-HER2-2018 Fig. 3' },
  { id: 'G3', kind: 'ish-group', group: 3, ratio: { max: 2.0, maxInclusive: false }, copies: { min: 6.0, minInclusive: true }, source: 'ASCO-CAP-HER2-2018 Fig. 3' },
  { id: 'G4', kind: 'ish-group', group: 4, ratio: { max: 2.0, maxInclusive: false }, copies: { min: 4.0, minInclusive: true, max: 6.0, maxInclusive: false }, source: 'ASCO-CAP-HER2-2018 Fig. 3' },
  { id: 'G5', kind: 'ish-group', group: 5, ratio: { max: 2.0, maxInclusive: false }, copies: { max: 4.0, maxInclusive: false }, call: 'negative', source: 'ASCO-CAP-HER2-2018 Fig. 3' },
  // ---- §3b final call for groups 2–4 with the concurrent IHC on the same specimen; group 5 with IHC 3+
  { id: 'G2+IHC3', kind: 'ish-final', group: 2, ihc: '3+', call: 'positive', source: 'ASCO-CAP-HER2-2018 Fig. 4' },
  { id: 'G2+IHC2', kind: 'ish-final', group: 2, ihc: '2+', call: 'negative', source: 'ASCO-CAP-HER2-2018 Fig. 4' },
  { id: 'G2+IHC0-1', kind: 'ish-final', group: 2, ihc: '0-1+', call: 'negative', source: 'ASCO-CAP-HER2-2018 Fig. 4' },
  { id: 'G2-noIHC', kind: 'ish-final', group: 2, ihc: 'none', call: 'equivocal', source: 'contract' },
  { id: 'G3+IHC3', kind: 'ish-final', group: 3, ihc: '3+', call: 'positive', source: 'ASCO-CAP-HER2-2018 Fig. 5' },
  { id: 'G3+IHC2', kind: 'ish-final', group: 3, ihc: '2+', call: 'positive', source: 'ASCO-CAP-HER2-2018 Fig. 5' },
  { id: 'G3+IHC0-1', kind: 'ish-final', group: 3, ihc: '0-1+', call: 'negative', source: 'ASCO-CAP-HER2-2018 Fig. 5' },
  { id: 'G3-noIHC', kind: 'ish-final', group: 3, ihc: 'none', call: 'equivocal', source: 'contract' },
  { id: 'G4+IHC3', kind: 'ish-final', group: 4, ihc: '3+', call: 'positive', source: 'ASCO-CAP-HER2-2018 Fig. 6' },
  { id: 'G4+IHC2', kind: 'ish-final', group: 4, ihc: '2+', call: 'negative', source: 'ASCO-CAP-HER2-2018 Fig. 6' },
  { id: 'G4+IHC0-1', kind: 'ish-final', group: 4, ihc: '0-1+', call: 'negative', source: 'ASCO-CAP-HER2-2018 Fig. 6' },
  { id: 'G4-noIHC', kind: 'ish-final', group: 4, ihc: 'none', call: 'equivocal', source: 'contract' },
  // IHC 3+ alone defines positivity; group 5 with it is a histopathologic discordance (GUIDELINES §3b).
  { id: 'G5+IHC3', kind: 'ish-final', group: 5, ihc: '3+', call: 'positive', discordant: true, source: 'ASCO-CAP-HER2-2018' },
  // ---- negative ISH → category by the concurrent IHC (low only with 1+/2+)
  { id: 'ISH-NEG+IHC2', kind: 'her2-negative-by-ihc', ihc: '2+', category: 'low', source: 'ASCO-CAP-HER2-2023' },
  { id: 'ISH-NEG+IHC1', kind: 'her2-negative-by-ihc', ihc: '1+', category: 'low', source: 'ASCO-CAP-HER2-2023' },
  { id: 'ISH-NEG+IHC0S', kind: 'her2-negative-by-ihc', ihc: '0-with-staining', category: 'ultralow', source: 'DB-06; LABEL-ENHERTU' },
  { id: 'ISH-NEG+IHC0', kind: 'her2-negative-by-ihc', ihc: '0', category: 'zero', source: 'ASCO-CAP-HER2-2018' },
  { id: 'ISH-NEG-noIHC', kind: 'her2-negative-by-ihc', ihc: 'none', category: 'negative-unspecified', source: 'contract' },
  // ---- §3c single-probe ISH (mean HER2 copies/cell)
  { id: 'S1', kind: 'single-probe', copies: { min: 6.0, minInclusive: true }, ihc: 'any', call: 'positive', source: 'ASCO-CAP-HER2-2018 Fig. 2' },
  { id: 'S2', kind: 'single-probe', copies: { min: 4.0, minInclusive: true, max: 6.0, maxInclusive: false }, ihc: '3+', call: 'positive', source: 'ASCO-CAP-HER2-2018 Fig. 2' },
  { id: 'S3', kind: 'single-probe', copies: { min: 4.0, minInclusive: true, max: 6.0, maxInclusive: false }, ihc: '2+', call: 'equivocal', source: 'ASCO-CAP-HER2-2018 Fig. 2' },
  { id: 'S4', kind: 'single-probe', copies: { min: 4.0, minInclusive: true, max: 6.0, maxInclusive: false }, ihc: '0-1+', call: 'negative', source: 'ASCO-CAP-HER2-2018 Fig. 2' },
  { id: 'S5', kind: 'single-probe', copies: { min: 4.0, minInclusive: true, max: 6.0, maxInclusive: false }, ihc: 'none', call: 'equivocal', source: 'ASCO-CAP-HER2-2018 Fig. 2' },
  { id: 'S6+IHC3', kind: 'single-probe', copies: { max: 4.0, maxInclusive: false }, ihc: '3+', call: 'positive', discordant: true, source: 'ASCO-CAP-HER2-2018' },
  { id: 'S6', kind: 'single-probe', copies: { max: 4.0, maxInclusive: false }, ihc: 'any', call: 'negative', source: 'ASCO-CAP-HER2-2018 Fig. 2' },
  { id: 'HER2-NEG-UNSPEC', kind: 'decision', text: 'negative with no IHC score (or several possible) → negative-unspecified', source: 'contract' },
  { id: 'SPECIMEN-DAY', kind: 'decision', text: 'results with no specimen recorded are taken as one specimen per day (concurrent IHC/ISH)', source: 'convention' },
  { id: 'ISH-EQ-WORDING', kind: 'decision', text: 'old "equivocal" ISH wording → equivocal only with no ratio, no copies, no concurrent IHC; otherwise the 2018 algorithm decides and the wording adds discordant-results', source: 'ASCO-CAP-HER2-2018' },
  { id: 'ISH-INCOMPLETE', kind: 'decision', text: 'ISH numbers that fit several groups with different final calls: the lab call decides when it is one of them (as N5), otherwise equivocal + indeterminate-result', source: 'convention' },

  // ---- §4 ER / PR percentage (N4 boundaries)
  { id: 'R1', kind: 'receptor-percent', marker: 'er', percent: { max: 1, maxInclusive: false }, category: 'negative', source: 'ASCO-CAP-ERPR-2020' },
  { id: 'R2', kind: 'receptor-percent', marker: 'er', percent: { min: 1, minInclusive: true, max: 10, maxInclusive: true }, category: 'low-positive', source: 'ASCO-CAP-ERPR-2020' },
  { id: 'R3', kind: 'receptor-percent', marker: 'er', percent: { min: 10, minInclusive: false }, category: 'positive', source: 'ASCO-CAP-ERPR-2020' },
  { id: 'R4', kind: 'receptor-percent', marker: 'pr', percent: { min: 1, minInclusive: true }, category: 'positive', source: 'ASCO-CAP-ERPR-2020' },
  { id: 'R5', kind: 'receptor-percent', marker: 'pr', percent: { max: 1, maxInclusive: false }, category: 'negative', source: 'ASCO-CAP-ERPR-2020' },
  // R6 does not change the category: 0–10 % without internal controls stands, flagged.
  { id: 'R6', kind: 'receptor-controls', percent: { min: 0, minInclusive: true, max: 10, maxInclusive: true }, source: 'ASCO-CAP-ERPR-2020' },
  { id: 'R7', kind: 'decision', text: 'ER/PR not evaluable / failed controls → indeterminate', source: 'convention' },
  // ---- §4 Allred (proportion decides; total only: bands from GUIDELINES §4) and H-score
  { id: 'A-P0-1', kind: 'allred-proportion', marker: 'er', score: { min: 0, minInclusive: true, max: 1, maxInclusive: true }, category: 'negative', source: 'HARVEY-1999 (Allred bands, GUIDELINES §4)' },
  { id: 'A-P2', kind: 'allred-proportion', marker: 'er', score: { min: 2, minInclusive: true, max: 2, maxInclusive: true }, category: 'low-positive', source: 'HARVEY-1999 (Allred bands, GUIDELINES §4)' },
  { id: 'A-P3-5', kind: 'allred-proportion', marker: 'er', score: { min: 3, minInclusive: true, max: 5, maxInclusive: true }, category: 'positive', source: 'HARVEY-1999 (Allred bands, GUIDELINES §4)' },
  { id: 'A-P0-1', kind: 'allred-proportion', marker: 'pr', score: { min: 0, minInclusive: true, max: 1, maxInclusive: true }, category: 'negative', source: 'HARVEY-1999 (Allred bands, GUIDELINES §4)' },
  // PR has no low category (R4): proportion 2 (1–10 %) is positive.
  { id: 'A-P2-5', kind: 'allred-proportion', marker: 'pr', score: { min: 2, minInclusive: true, max: 5, maxInclusive: true }, category: 'positive', source: 'HARVEY-1999 (Allred bands, GUIDELINES §4)' },
  { id: 'A-T0-2', kind: 'allred-total', marker: 'er', score: { min: 0, minInclusive: true, max: 2, maxInclusive: true }, category: 'negative', source: 'HARVEY-1999 (Allred bands, GUIDELINES §4)' },
  { id: 'A-T3-4', kind: 'allred-total', marker: 'er', score: { min: 3, minInclusive: true, max: 4, maxInclusive: true }, category: 'indeterminate', uncertain: true, source: 'HARVEY-1999 (Allred bands, GUIDELINES §4)' },
  { id: 'A-T5', kind: 'allred-total', marker: 'er', score: { min: 5, minInclusive: true, max: 5, maxInclusive: true }, category: 'low-positive', uncertain: true, source: 'HARVEY-1999 (Allred bands, GUIDELINES §4)' },
  { id: 'A-T6-8', kind: 'allred-total', marker: 'er', score: { min: 6, minInclusive: true, max: 8, maxInclusive: true }, category: 'positive', source: 'HARVEY-1999 (Allred bands, GUIDELINES §4)' },
  { id: 'A-T0-2', kind: 'allred-total', marker: 'pr', score: { min: 0, minInclusive: true, max: 2, maxInclusive: true }, category: 'negative', source: 'HARVEY-1999 (Allred bands, GUIDELINES §4)' },
  { id: 'A-T3-4', kind: 'allred-total', marker: 'pr', score: { min: 3, minInclusive: true, max: 4, maxInclusive: true }, category: 'indeterminate', uncertain: true, source: 'HARVEY-1999 (Allred bands, GUIDELINES §4)' },
  // Total 5 means proportion ≥ 2 (≥ 1 %): enough for PR positive, which has no upper band to confirm.
  { id: 'A-T5-8', kind: 'allred-total', marker: 'pr', score: { min: 5, minInclusive: true, max: 8, maxInclusive: true }, category: 'positive', source: 'HARVEY-1999 (Allred bands, GUIDELINES §4)' },
  { id: 'HS0', kind: 'h-score', score: { min: 0, minInclusive: true, max: 0, maxInclusive: true }, category: 'negative', source: 'ASCO-CAP-ERPR-2020' },
  { id: 'HS>0', kind: 'h-score', score: { min: 0, minInclusive: false }, category: 'indeterminate', source: 'ASCO-CAP-ERPR-2020' },

  // ---- decisions without thresholds (§5–§8, §10)
  { id: 'LAB', kind: 'decision', text: 'no score or numbers reported: the laboratory call decides', source: 'contract' },
  { id: 'HR-COMBINED', kind: 'decision', text: 'an ER+PR combined result sets HR status only when the single ER/PR results leave it open; it never sets ER or PR', source: 'convention' },
  { id: 'SUBTYPE', kind: 'decision', text: 'subtype from HR status and HER2 (GUIDELINES §5)', source: 'ASCO-CAP-ERPR-2020' },
  { id: 'T1', kind: 'decision', text: 'recurrence/metastasis recorded after the latest result → retest-on-recurrence', source: 'ASCO-MBC-BIOMARKERS-2015' },
  { id: 'T2', kind: 'decision', text: 'results of one marker disagree → discordant-results, every result shown', source: 'convention' },
  { id: 'T4', kind: 'decision', text: 'HER2+ before neoadjuvant therapy, negative after → anti-her2 kept + discordant-results', source: 'KATHERINE; KATHERINE-HER2NEG-RD' },
  { id: 'T6', kind: 'decision', text: 'lab reports HER2 heterogeneity → caveat, never computed', source: 'ASCO-CAP-HER2-2018' },
  { id: 'E-ANTI-HER2', kind: 'decision', text: 'anti-her2 only when HER2 positive', source: 'contract' },
  { id: 'E-TDXD-LOW', kind: 'decision', text: 't-dxd-her2-low when HER2 low', source: 'DB-04; LABEL-ENHERTU' },
  { id: 'E-TDXD-ULTRALOW', kind: 'decision', text: 't-dxd-her2-ultralow when HER2 ultralow and HR+', source: 'DB-06; LABEL-ENHERTU' },
  { id: 'E-ENDOCRINE', kind: 'decision', text: 'endocrine when ER positive/low-positive or PR positive', source: 'ASCO-CAP-ERPR-2020' },
  { id: 'C8', kind: 'decision', text: 'anti-her2 → cardiac-monitoring (LVEF before and during therapy)', source: 'LABEL-TRASTUZUMAB' },
  { id: '10.1', kind: 'decision', text: 'several valid results: the highest category wins', source: 'contract' },
  { id: '10.2', kind: 'decision', text: 'lab interpretation contradicting the numbers → discordant-results', source: 'contract' },
];

/** Rows of one kind, typed. */
export function rulesOf<K extends Rule['kind']>(kind: K): Array<Extract<Rule, { kind: K }>> {
  return RULES.filter((r): r is Extract<Rule, { kind: K }> => r.kind === kind);
}

/** Position of every rule id in the table: `rules` in an interpretation are listed in table order. */
export const RULE_ORDER: ReadonlyMap<string, number> = new Map(
  RULES.map((r, i) => [r.id, i] as const).reverse(),
);
