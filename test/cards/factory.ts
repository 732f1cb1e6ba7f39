/**
 * Hand-built interpretations for the card tests (the card builder only consumes the Interpretation
 * type; interpret() is tested elsewhere). Each factory call gives a consistent interpretation per
 * GUIDELINES.md sections 2-5 and 7 for the categories asked for.
 */
import type {
  CaveatCode,
  ClinicalContext,
  EligibilityCode,
  Her2Category,
  Her2IhcScore,
  Interpretation,
  ReceptorCategory,
  ResultSummary,
  Subtype,
} from '../../src/clinical/types.js';
import { emptyContext } from '../../src/clinical/read/context.js';

export interface Spec {
  her2: Her2Category;
  er: ReceptorCategory;
  pr: ReceptorCategory;
  ihcScore?: Her2IhcScore | null;
  ishGroup?: 1 | 2 | 3 | 4 | 5 | null;
  context?: Partial<ClinicalContext>;
  /** Extra caveats on top of those the categories imply. */
  caveats?: CaveatCode[];
  her2Results?: ResultSummary[];
}

export function context(over: Partial<ClinicalContext> = {}): ClinicalContext {
  // A breast cancer chart with nothing else recorded.
  return { ...emptyContext(), breastCancer: true, ...over };
}

const HER2_NEGATIVE: Her2Category[] = ['low', 'ultralow', 'zero', 'negative-unspecified'];

export function subtypeOf(her2: Her2Category, er: ReceptorCategory, pr: ReceptorCategory): Subtype {
  const hrPos = er === 'positive' || er === 'low-positive' || pr === 'positive';
  const hrNeg = er === 'negative' && pr === 'negative';
  if (her2 === 'positive') return hrPos ? 'HR+/HER2+' : hrNeg ? 'HR-/HER2+' : 'undetermined';
  if (HER2_NEGATIVE.includes(her2)) return hrPos ? 'HR+/HER2-' : hrNeg ? 'triple-negative' : 'undetermined';
  return 'undetermined';
}

export function eligibilityOf(her2: Her2Category, er: ReceptorCategory, pr: ReceptorCategory): EligibilityCode[] {
  const hrPos = er === 'positive' || er === 'low-positive' || pr === 'positive';
  const out: EligibilityCode[] = [];
  if (her2 === 'positive') out.push('anti-her2');
  if (her2 === 'low') out.push('t-dxd-her2-low');
  if (her2 === 'ultralow' && hrPos) out.push('t-dxd-her2-ultralow');
  if (hrPos) out.push('endocrine');
  return out;
}

export function caveatsOf(spec: Spec, ctx: ClinicalContext): CaveatCode[] {
  const out: CaveatCode[] = [];
  const { her2, er, pr } = spec;
  if (her2 === 'equivocal') out.push(spec.ishGroup && spec.ishGroup >= 2 && spec.ishGroup <= 4 ? 'ish-needs-ihc-review' : 'her2-equivocal-pending-ish');
  if (her2 === 'low') out.push('her2-low');
  if (her2 === 'ultralow') out.push('her2-ultralow');
  const tn = er === 'negative' && pr === 'negative';
  if ((her2 === 'zero' || her2 === 'negative-unspecified') && (ctx.metastatic || tn)) out.push('her2-zero-rereview');
  if (her2 === 'ultralow' && tn && ctx.metastatic) out.push('her2-zero-rereview');
  if (er === 'low-positive') out.push('er-low-positive');
  if (er === 'negative' && pr === 'positive') out.push('er-negative-pr-positive');
  if (her2 === 'unknown') out.push('missing-her2');
  if (er === 'unknown') out.push('missing-er');
  if (pr === 'unknown') out.push('missing-pr');
  if (her2 === 'indeterminate' || er === 'indeterminate' || pr === 'indeterminate') out.push('indeterminate-result');
  if (her2 === 'positive') out.push('cardiac-monitoring');
  if (her2 === 'positive' && ctx.metastatic) out.push('brain-metastases-risk');
  return [...out, ...(spec.caveats ?? [])];
}

const DEFAULT_IHC: Partial<Record<Her2Category, Her2IhcScore>> = {
  positive: '3+',
  equivocal: '2+',
  low: '1+',
  ultralow: '0-with-staining',
  zero: '0',
};

export function result(category: string, description: string, over: Partial<ResultSummary> = {}): ResultSummary {
  return {
    ref: 'Observation/her2-1',
    category,
    description,
    effectiveDate: '2025-11-03',
    specimen: 'primary',
    specimenLabel: 'left breast core biopsy',
    status: 'valid',
    ...over,
  };
}

export function interpretation(spec: Spec): Interpretation {
  const ctx = context(spec.context);
  const ihcScore = spec.ihcScore === undefined ? (DEFAULT_IHC[spec.her2] ?? null) : spec.ihcScore;
  const her2Known = spec.her2 !== 'unknown';
  return {
    her2: {
      category: spec.her2,
      ihcScore,
      ishGroup: spec.ishGroup ?? null,
      effectiveDate: her2Known ? '2025-11-03' : null,
      basis: her2Known ? ['Observation/her2-1'] : [],
      results: spec.her2Results ?? (her2Known ? [result(spec.her2, `IHC ${ihcScore ?? 'not reported'}`)] : []),
    },
    er: {
      category: spec.er,
      percentPositive: spec.er === 'positive' ? 80 : spec.er === 'low-positive' ? 5 : spec.er === 'negative' ? 0 : null,
      basis: spec.er === 'unknown' ? [] : ['Observation/er-1'],
      results: spec.er === 'unknown' ? [] : [result(spec.er, 'ER by IHC', { ref: 'Observation/er-1' })],
    },
    pr: {
      category: spec.pr,
      basis: spec.pr === 'unknown' ? [] : ['Observation/pr-1'],
      results: spec.pr === 'unknown' ? [] : [result(spec.pr, 'PR by IHC', { ref: 'Observation/pr-1' })],
    },
    subtype: subtypeOf(spec.her2, spec.er, spec.pr),
    eligibility: eligibilityOf(spec.her2, spec.er, spec.pr),
    caveats: caveatsOf(spec, ctx),
    context: ctx,
    rules: [],
    pending: [],
    unreadable: [],
    ruleSetVersion: 'test',
  };
}

/** Deterministic ids for the tests. */
export function idMaker(prefix = 'id'): () => string {
  let n = 0;
  return () => `${prefix}-${++n}`;
}
