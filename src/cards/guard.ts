/**
 * The interpretation the cards are drawn from, and that the summary card carries in its extension.
 *
 * 1. Data problems: when the biomarkers could not be read, nothing may be concluded from partial data, so
 *    every marker becomes `unknown` with the caveat `data-unavailable` (missing data is never "negative").
 * 2. Guard: the never-list (GUIDELINES.md section 7 prohibitions; contract "Never present") must hold on
 *    the cards even if an interpretation arrives inconsistent. The guard only removes: an eligibility code,
 *    caveat or subtype that contradicts the categories is dropped (subtype → `undetermined`). For a correct
 *    interpret() it changes nothing, and card text and extension always agree.
 */
import type { CaveatCode, EligibilityCode, Interpretation, Subtype } from '../clinical/types.js';
import type { DataProblem } from './types.js';
import { isHer2Negative, isHrNegative, isHrPositive, receptorPositive } from './conditions.js';

/** The roles whose failure means the biomarker results themselves are not known. */
const BIOMARKER_ROLES: ReadonlyArray<DataProblem['role']> = ['biomarkers'];
/** The roles whose failure means the treatment setting (stage, prior therapy) cannot be checked. */
const CONTEXT_ROLES: ReadonlyArray<DataProblem['role']> = ['conditions', 'medications'];

export function biomarkersUnavailable(problems: readonly DataProblem[]): boolean {
  return problems.some((p) => BIOMARKER_ROLES.includes(p.role));
}

/** Roles of context data that could not be read ('conditions', 'medications'), in a stable order. */
export function contextProblems(problems: readonly DataProblem[]): Array<DataProblem['role']> {
  return CONTEXT_ROLES.filter((role) => problems.some((p) => p.role === role));
}

function unknownMarkers(i: Interpretation): Interpretation {
  const { pam50: _pam50, ...rest } = i;
  void _pam50;
  return {
    ...rest,
    her2: { category: 'unknown', basis: [], results: [] },
    er: { category: 'unknown', basis: [], results: [] },
    pr: { category: 'unknown', basis: [], results: [] },
    subtype: 'undetermined',
    eligibility: [],
    caveats: ['data-unavailable'],
    pending: [],
    unreadable: [],
  };
}

function eligibilityHolds(code: EligibilityCode, i: Interpretation): boolean {
  switch (code) {
    case 'anti-her2':
      return i.her2.category === 'positive';
    case 't-dxd-her2-low':
      return i.her2.category === 'low';
    case 't-dxd-her2-ultralow':
      return i.her2.category === 'ultralow' && isHrPositive(i);
    case 'endocrine':
      return isHrPositive(i) && !isHrNegative(i);
    default:
      // A code this builder does not know has no card text; it cannot be shown, so it is not carried.
      return false;
  }
}

function caveatHolds(code: CaveatCode, i: Interpretation): boolean {
  const h = i.her2.category;
  switch (code) {
    case 'her2-equivocal-pending-ish':
    case 'ish-needs-ihc-review':
      return h === 'equivocal';
    case 'her2-low':
      return h === 'low';
    case 'her2-ultralow':
      return h === 'ultralow';
    case 'her2-zero-rereview':
      return h === 'zero' || h === 'negative-unspecified' || h === 'ultralow';
    case 'cardiac-monitoring':
    case 'brain-metastases-risk':
    case 'small-tumor-t1ab':
      return h === 'positive';
    case 'pam50-her2-enriched':
      return isHer2Negative(i); // "clinically HER2-negative" is part of its wording

    case 'er-low-positive':
      return i.er.category === 'low-positive';
    case 'er-negative-pr-positive':
      return i.er.category === 'negative' && i.pr.category === 'positive';
    case 'missing-her2':
      return h === 'unknown';
    case 'missing-er':
      return i.er.category === 'unknown';
    case 'missing-pr':
      return i.pr.category === 'unknown';
    default:
      return true;
  }
}

function subtypeHolds(subtype: Subtype, i: Interpretation): boolean {
  const her2 = i.her2.category;
  switch (subtype) {
    case 'HR+/HER2-':
      return isHer2Negative(i) && !isHrNegative(i) && hrNotContradicted(i);
    case 'HR+/HER2+':
      return her2 === 'positive' && !isHrNegative(i) && hrNotContradicted(i);
    case 'HR-/HER2+':
      return her2 === 'positive' && isHrNegative(i);
    case 'triple-negative':
      return isHer2Negative(i) && isHrNegative(i);
    case 'undetermined':
      return true;
  }
}

/** HR+ is not contradicted when a receptor is positive, or when both are unknown (a combined ER+PR result
 *  may have said HR+ without naming the receptor); it is contradicted when no receptor is positive and one
 *  is negative or not evaluable. */
function hrNotContradicted(i: Interpretation): boolean {
  if (receptorPositive(i)) return true;
  return i.er.category === 'unknown' && i.pr.category === 'unknown';
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/** Removes what contradicts the categories (see the module comment). */
export function guardInterpretation(i: Interpretation): Interpretation {
  const withSubtype: Interpretation = {
    ...i,
    subtype: subtypeHolds(i.subtype, i) ? i.subtype : 'undetermined',
  };
  // Eligibility and caveats are judged against the guarded subtype (HR+ may rest on it).
  return {
    ...withSubtype,
    eligibility: unique(i.eligibility).filter((code) => eligibilityHolds(code, withSubtype)),
    caveats: unique(i.caveats).filter((code) => caveatHolds(code, withSubtype)),
  };
}

/** The interpretation the cards show and the summary card carries: data problems applied, then guarded. */
export function effectiveInterpretation(i: Interpretation, problems: readonly DataProblem[]): Interpretation {
  return guardInterpretation(biomarkersUnavailable(problems) ? unknownMarkers(i) : i);
}
