/** Package entry: the pure interpretation core and its public types. */
export { interpret, interpretRead } from './clinical/interpret.js';
export { RULES, RULE_SET_VERSION } from './clinical/rules/table.js';
export type { Rule, SourceKey } from './clinical/rules/table.js';
export type {
  BiomarkerResult,
  CaveatCode,
  ClinicalContext,
  CombinedReceptorResult,
  EligibilityCode,
  Her2Category,
  Her2Interpretation,
  HormoneReceptorStatus,
  Interpretation,
  Marker,
  Pam50Result,
  ReadResult,
  ReceptorCategory,
  ReceptorInterpretation,
  ResultSummary,
  Subtype,
} from './clinical/types.js';

/** Placeholder kept because test/smoke.test.ts (the skeleton's smoke test) imports it. */
export const x: number = 1;
