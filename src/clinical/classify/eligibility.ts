import type { EligibilityCode, Her2Category, HormoneReceptorStatus, ReceptorCategory } from '../types.js';

/** Biomarker-based eligibility codes (contract table, GUIDELINES §7). The setting (stage, prior therapy,
 *  label) is stated by the cards, not by dropping the code. */
export function eligibilityOf(her2: Her2Category, hr: HormoneReceptorStatus['status']): EligibilityCode[] {
  const codes: EligibilityCode[] = [];
  if (her2 === 'positive') codes.push('anti-her2');
  if (her2 === 'low') codes.push('t-dxd-her2-low');
  if (her2 === 'ultralow' && hr === 'positive') codes.push('t-dxd-her2-ultralow');
  if (hr === 'positive') codes.push('endocrine');
  return codes;
}

const NO_TDXD: ReadonlySet<Her2Category> = new Set(['zero', 'negative-unspecified', 'unknown', 'indeterminate', 'equivocal']);

/**
 * The contract's never-list (GUIDELINES §7 prohibitions 1, 2, 3, 5; 6 follows from 1): returns the codes
 * that must not be present. Absolute: interpret() removes them, and tests assert it never has to.
 */
export function neverListViolations(
  codes: readonly string[],
  her2: Her2Category,
  er: ReceptorCategory,
  pr: ReceptorCategory,
  hr: HormoneReceptorStatus['status'],
): string[] {
  const bad: string[] = [];
  for (const code of codes) {
    if (code === 'anti-her2' && her2 !== 'positive') bad.push(code);
    if ((code === 't-dxd-her2-low' || code === 't-dxd-her2-ultralow') && NO_TDXD.has(her2)) bad.push(code);
    if (code === 't-dxd-her2-ultralow' && (hr !== 'positive' || (er === 'negative' && pr === 'negative'))) bad.push(code);
    if (code === 'endocrine' && er === 'negative' && pr === 'negative') bad.push(code);
  }
  return [...new Set(bad)];
}
