import type { CaveatCode, Her2Category, Interpretation } from '../clinical/types.js';
import type { DataProblem, Indicator } from '../cards/types.js';
import type { DrugFamily, RecognizedDrug } from '../clinical/drugs.js';
import type { OrderCardKind, SuggestionKey } from './order-content.js';

/** Which rule table an order's drugs fall under. */
export type TherapyGroup = 'anti-her2' | 't-dxd' | 'endocrine' | 'cdk46';

export type HrStatus = 'positive' | 'negative' | 'unknown';

/** The facts of the interpretation that the rules read. */
export interface BiomarkerFacts {
  her2: Her2Category;
  /** HR+ = ER positive/low-positive or PR positive; HR- = ER and PR both negative; otherwise unknown. */
  hr: HrStatus;
  erLow: boolean;
  caveats: readonly CaveatCode[];
  /** The biomarker data could not be obtained (DataProblem with role biomarkers, or `data-unavailable`). */
  dataProblem: boolean;
}

/** `resolve-her2` becomes reflex ISH (IHC 2+ awaiting ISH) or IHC on the ISH specimen (ISH group 2–4). */
export type RuleSuggestion = SuggestionKey | 'resolve-her2';

export interface OrderRule {
  id: string;
  group: TherapyGroup;
  when: (f: BiomarkerFacts) => boolean;
  kind: OrderCardKind;
  indicator: Indicator;
  suggestions: RuleSuggestion[];
  /** The card says the order fits the biomarkers: dropped in quiet mode, and never issued when a result
   *  could not be read (GUIDELINES/issue 8 point 4). */
  consistent: boolean;
  /** Follow with the LVEF check (only where the order is not being advised against). */
  lvefCheck: boolean;
  /** Why the row exists (GUIDELINES.md / CODES.md / contract). */
  basis: string;
}

const NOT_HER2_POSITIVE_CRITICAL: Her2Category[] = ['zero', 'negative-unspecified'];

/** The order checks, first matching row per group wins. Rows are data: id, condition, outcome, basis. */
export const ORDER_RULES: readonly OrderRule[] = [
  // ---- anti-HER2 antibodies, TKIs, T-DM1 ----
  { id: 'AH-DATA', group: 'anti-her2', when: (f) => f.dataProblem, kind: 'could-not-check', indicator: 'warning', suggestions: [], consistent: false, lvefCheck: true, basis: 'issue 8 §4: never silence, never "consistent" on unread data' },
  { id: 'AH-UNRES', group: 'anti-her2', when: (f) => f.her2 === 'equivocal', kind: 'her2-unresolved', indicator: 'warning', suggestions: ['resolve-her2', 'remove-order'], consistent: false, lvefCheck: false, basis: 'GUIDELINES H2, §3b; contract her2-equivocal-pending-ish / ish-needs-ihc-review' },
  { id: 'AH-CRIT', group: 'anti-her2', when: (f) => NOT_HER2_POSITIVE_CRITICAL.includes(f.her2), kind: 'anti-her2-not-positive', indicator: 'critical', suggestions: ['remove-order'], consistent: false, lvefCheck: false, basis: 'GUIDELINES §7 prohibition 1; LABEL-TRASTUZUMAB' },
  { id: 'AH-WARN', group: 'anti-her2', when: (f) => f.her2 !== 'positive', kind: 'anti-her2-not-positive', indicator: 'warning', suggestions: ['remove-order'], consistent: false, lvefCheck: false, basis: 'GUIDELINES §7 prohibition 1, §2 notes (low/ultralow are HER2-negative)' },
  { id: 'AH-OK', group: 'anti-her2', when: (f) => f.her2 === 'positive', kind: 'anti-her2-consistent', indicator: 'info', suggestions: [], consistent: true, lvefCheck: true, basis: 'contract eligibility anti-her2' },
  // ---- T-DXd ----
  { id: 'TX-DATA', group: 't-dxd', when: (f) => f.dataProblem, kind: 'could-not-check', indicator: 'warning', suggestions: [], consistent: false, lvefCheck: true, basis: 'issue 8 §4' },
  { id: 'TX-UNRES', group: 't-dxd', when: (f) => f.her2 === 'equivocal', kind: 'her2-unresolved', indicator: 'warning', suggestions: ['resolve-her2'], consistent: false, lvefCheck: false, basis: 'GUIDELINES §7 (equivocal: "awaiting ISH"), prohibition 2' },
  { id: 'TX-ZERO', group: 't-dxd', when: (f) => f.her2 === 'zero' || f.her2 === 'negative-unspecified', kind: 'tdxd-not-eligible', indicator: 'warning', suggestions: ['remove-order'], consistent: false, lvefCheck: false, basis: 'GUIDELINES §7 prohibition 2 and re-review of IHC 0 (H5, ASCO-CAP-HER2-2023)' },
  { id: 'TX-UNK', group: 't-dxd', when: (f) => f.her2 === 'unknown' || f.her2 === 'indeterminate', kind: 'tdxd-not-eligible', indicator: 'warning', suggestions: ['remove-order'], consistent: false, lvefCheck: false, basis: 'GUIDELINES §7 prohibition 2' },
  { id: 'TX-ULN', group: 't-dxd', when: (f) => f.her2 === 'ultralow' && f.hr === 'negative', kind: 'tdxd-not-eligible', indicator: 'warning', suggestions: ['remove-order'], consistent: false, lvefCheck: false, basis: 'GUIDELINES §7 prohibition 3 (ultralow HR-); contract her2-zero-rereview' },
  { id: 'TX-ULU', group: 't-dxd', when: (f) => f.her2 === 'ultralow' && f.hr === 'unknown', kind: 'tdxd-not-eligible', indicator: 'warning', suggestions: ['remove-order'], consistent: false, lvefCheck: false, basis: 'contract t-dxd-her2-ultralow needs HR+' },
  { id: 'TX-LOW', group: 't-dxd', when: (f) => f.her2 === 'low' || (f.her2 === 'ultralow' && f.hr === 'positive'), kind: 'tdxd-low-setting', indicator: 'info', suggestions: [], consistent: false, lvefCheck: true, basis: 'GUIDELINES §7 t-dxd-her2-low / -ultralow rows (DB-04, DB-06)' },
  { id: 'TX-OK', group: 't-dxd', when: (f) => f.her2 === 'positive', kind: 'tdxd-consistent', indicator: 'info', suggestions: [], consistent: true, lvefCheck: true, basis: 'GUIDELINES §7 anti-her2 rows (DB-09, DB-03, DB-05, DB-11)' },
  // ---- endocrine therapy ----
  { id: 'EN-DATA', group: 'endocrine', when: (f) => f.dataProblem, kind: 'could-not-check', indicator: 'warning', suggestions: [], consistent: false, lvefCheck: false, basis: 'issue 8 §4' },
  { id: 'EN-NEG', group: 'endocrine', when: (f) => f.hr === 'negative', kind: 'endocrine-hr-negative', indicator: 'warning', suggestions: ['remove-order'], consistent: false, lvefCheck: false, basis: 'GUIDELINES §7 prohibition 5' },
  { id: 'EN-UNK', group: 'endocrine', when: (f) => f.hr === 'unknown', kind: 'endocrine-unknown', indicator: 'warning', suggestions: [], consistent: false, lvefCheck: false, basis: 'issue 8 §4 (missing data is never "consistent")' },
  { id: 'EN-LOW', group: 'endocrine', when: (f) => f.erLow, kind: 'endocrine-er-low', indicator: 'info', suggestions: [], consistent: false, lvefCheck: false, basis: 'GUIDELINES R2 comment, §5 ER-low refinement (CHOONG-2025)' },
  { id: 'EN-OK', group: 'endocrine', when: (f) => f.hr === 'positive', kind: 'endocrine-consistent', indicator: 'info', suggestions: [], consistent: true, lvefCheck: false, basis: 'contract eligibility endocrine' },
  // ---- CDK4/6 inhibitors (given with endocrine therapy; no label researched, so no "consistent" card) ----
  { id: 'CD-DATA', group: 'cdk46', when: (f) => f.dataProblem, kind: 'could-not-check', indicator: 'warning', suggestions: [], consistent: false, lvefCheck: false, basis: 'issue 8 §4' },
  { id: 'CD-NEG', group: 'cdk46', when: (f) => f.hr === 'negative', kind: 'cdk46-hr-negative', indicator: 'warning', suggestions: ['remove-order'], consistent: false, lvefCheck: false, basis: 'GUIDELINES §7 CDK4/6 row (HR+ only)' },
  { id: 'CD-UNK', group: 'cdk46', when: (f) => f.hr === 'unknown', kind: 'cdk46-unknown', indicator: 'warning', suggestions: [], consistent: false, lvefCheck: false, basis: 'issue 8 §4' },
];

const GROUP_OF: Partial<Record<DrugFamily, TherapyGroup>> = {
  'anti-her2-antibody': 'anti-her2',
  'anti-her2-tki': 'anti-her2',
  't-dm1': 'anti-her2',
  't-dxd': 't-dxd',
  endocrine: 'endocrine',
  cdk46: 'cdk46',
};

/** The groups an order's drugs fall under. Families without biomarker rules (chemotherapy, TROP2 ADCs,
 *  ovarian suppression) give none, so they get no card. A CDK4/6 + endocrine co-pack is checked once, as
 *  endocrine therapy (the same ER/PR question). */
export function therapyGroups(drugs: readonly RecognizedDrug[]): TherapyGroup[] {
  const groups = new Set<TherapyGroup>();
  for (const drug of drugs) {
    const group = GROUP_OF[drug.family];
    if (group) groups.add(group);
  }
  if (groups.has('endocrine')) groups.delete('cdk46');
  return [...groups];
}

export function groupOf(family: DrugFamily): TherapyGroup | undefined {
  return GROUP_OF[family];
}

/** The first rule of the group whose condition holds, or undefined (no card). */
export function matchRule(group: TherapyGroup, facts: BiomarkerFacts): OrderRule | undefined {
  return ORDER_RULES.find((rule) => rule.group === group && rule.when(facts));
}

export function biomarkerFacts(interpretation: Interpretation, problems: readonly DataProblem[]): BiomarkerFacts {
  const er = interpretation.er.category;
  const pr = interpretation.pr.category;
  const hr: HrStatus =
    er === 'positive' || er === 'low-positive' || pr === 'positive'
      ? 'positive'
      : er === 'negative' && pr === 'negative'
        ? 'negative'
        : 'unknown';
  return {
    her2: interpretation.her2.category,
    hr,
    erLow: er === 'low-positive',
    caveats: interpretation.caveats,
    dataProblem: problems.some((p) => p.role === 'biomarkers') || interpretation.caveats.includes('data-unavailable'),
  };
}
