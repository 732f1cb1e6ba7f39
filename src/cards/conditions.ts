/**
 * Facts the cards depend on, read from an interpretation. Kept in one place so the summary, the claims'
 * `when` conditions and the guard all agree on what "HR-positive" or "HER2-negative" means
 * (GUIDELINES.md section 5; contract `subtype`).
 */
import type { Interpretation } from '../clinical/types.js';
import type { Condition } from './content.js';

/** The four HER2 categories that are HER2-negative (contract: HER2- means one of these). */
export const HER2_NEGATIVE = ['low', 'ultralow', 'zero', 'negative-unspecified'] as const;

export function isHer2Negative(i: Interpretation): boolean {
  return (HER2_NEGATIVE as readonly string[]).includes(i.her2.category);
}

/** ER positive or low-positive, or PR positive (ER-low counts as HR+, GUIDELINES section 5). */
export function receptorPositive(i: Interpretation): boolean {
  return i.er.category === 'positive' || i.er.category === 'low-positive' || i.pr.category === 'positive';
}

/** HR+: a receptor is positive, or the subtype says HR+ while ER and PR are both unknown (a combined ER+PR
 *  result, LOINC 10480-2, tells HR status without naming the receptor). */
export function isHrPositive(i: Interpretation): boolean {
  if (receptorPositive(i)) return true;
  return i.subtype.startsWith('HR+') && i.er.category === 'unknown' && i.pr.category === 'unknown';
}

/** ER and PR both negative: never an endocrine statement (prohibition 5). */
export function isHrNegative(i: Interpretation): boolean {
  return i.er.category === 'negative' && i.pr.category === 'negative';
}

export function holds(condition: Condition, i: Interpretation): boolean {
  switch (condition) {
    case 'hr-positive':
      return isHrPositive(i);
    case 'not-hr-positive':
      return !isHrPositive(i);
    case 'her2-positive':
      return i.her2.category === 'positive';
    case 'her2-negative':
      return isHer2Negative(i);
    case 'her2-low':
      return i.her2.category === 'low';
    case 'her2-ultralow':
      return i.her2.category === 'ultralow';
    case 'her2-zero':
      return i.her2.category === 'zero';
    case 'triple-negative':
      return isHrNegative(i) && isHer2Negative(i);
    case 'metastatic':
      return i.context.metastatic;
    case 'er-low-only':
      return i.er.category === 'low-positive' && i.pr.category !== 'positive';
    case 'discordant':
      return i.caveats.includes('discordant-results');
  }
}

export function allHold(conditions: readonly Condition[] | undefined, i: Interpretation): boolean {
  return (conditions ?? []).every((c) => holds(c, i));
}
