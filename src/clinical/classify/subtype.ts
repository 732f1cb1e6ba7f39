import type {
  CombinedReceptorResult,
  Her2Category,
  HormoneReceptorStatus,
  ReceptorCategory,
  Subtype,
} from '../types.js';
import { HER2_NEGATIVE, uniqueSorted } from './outcome.js';

export interface HrDecision extends HormoneReceptorStatus {
  /** the combined result contradicts the single ER/PR results */
  discordant: boolean;
}

/**
 * HR status (GUIDELINES §5): ER positive / low-positive or PR positive → positive; both negative →
 * negative; one negative and the other unknown → undetermined (HR+ cannot be excluded).
 * ER+PR combined results say HR status only: they decide when the singles leave it open (HR-COMBINED).
 */
export function hormoneReceptorStatus(
  er: { category: ReceptorCategory; basis: string[] },
  pr: { category: ReceptorCategory; basis: string[] },
  combined: readonly CombinedReceptorResult[],
): HrDecision {
  const erPos = er.category === 'positive' || er.category === 'low-positive';
  const prPos = pr.category === 'positive';
  let status: HormoneReceptorStatus['status'] = 'undetermined';
  let basis: string[] = [];
  if (erPos || prPos) {
    status = 'positive';
    basis = [...(erPos ? er.basis : []), ...(prPos ? pr.basis : [])];
  } else if (er.category === 'negative' && pr.category === 'negative') {
    status = 'negative';
    basis = [...er.basis, ...pr.basis];
  }

  const valid = combined.filter((c) => c.status === 'valid' && (c.labCall === 'positive' || c.labCall === 'negative'));
  const positives = valid.filter((c) => c.labCall === 'positive');
  const combinedCall = positives.length > 0 ? 'positive' : valid.length > 0 ? 'negative' : undefined;
  const combinedBasis = (combinedCall === 'positive' ? positives : valid).map((c) => c.ref);
  let discordant = valid.length > positives.length && positives.length > 0;
  let fromCombined = false;
  if (combinedCall !== undefined) {
    if (status === 'undetermined') {
      status = combinedCall;
      basis = [...basis, ...combinedBasis];
      fromCombined = true;
    } else if (status !== combinedCall) {
      discordant = true;
    }
  }
  return { status, basis: uniqueSorted(basis), fromCombined, discordant };
}

/** Subtype (GUIDELINES §5); `undetermined` when a needed marker is unknown, indeterminate or equivocal. */
export function subtypeOf(her2: Her2Category, hr: HormoneReceptorStatus['status']): Subtype {
  if (hr === 'undetermined') return 'undetermined';
  if (her2 === 'positive') return hr === 'positive' ? 'HR+/HER2+' : 'HR-/HER2+';
  if (HER2_NEGATIVE.has(her2)) return hr === 'positive' ? 'HR+/HER2-' : 'triple-negative';
  return 'undetermined';
}
