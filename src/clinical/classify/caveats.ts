import type { CaveatCode, ClinicalContext, EligibilityCode, Her2Category, HormoneReceptorStatus, Pam50Result, ReceptorCategory, Subtype } from '../types.js';
import { HER2_NEGATIVE, isAfter, type MarkerFlag } from './outcome.js';

/** Contract table order first, then our additional codes: caveats are always listed in this order. */
export const CAVEAT_ORDER: readonly CaveatCode[] = [
  'her2-equivocal-pending-ish',
  'ish-needs-ihc-review',
  'her2-low',
  'her2-ultralow',
  'her2-zero-rereview',
  'er-low-positive',
  'er-negative-pr-positive',
  'discordant-results',
  'retest-on-recurrence',
  'missing-her2',
  'missing-er',
  'missing-pr',
  'indeterminate-result',
  'pam50-her2-enriched',
  'cardiac-monitoring',
  'brain-metastases-risk',
  'small-tumor-t1ab',
  'unreadable-result',
  'pending-result',
  'her2-heterogeneous',
  'no-internal-controls',
  'data-unavailable',
];

export interface CaveatInput {
  her2: { category: Her2Category; flags: Set<MarkerFlag> };
  er: { category: ReceptorCategory; flags: Set<MarkerFlag> };
  pr: { category: ReceptorCategory; flags: Set<MarkerFlag> };
  hr: HormoneReceptorStatus['status'];
  hrDiscordant: boolean;
  subtype: Subtype;
  eligibility: readonly EligibilityCode[];
  context: ClinicalContext;
  /** latest date of any evaluated biomarker result */
  latestResultDate: string | null;
  pam50: readonly Pam50Result[];
  hasPending: boolean;
  hasUnreadable: boolean;
}

/** Caveat codes exactly per the contract's caveat table; each entry notes the rule id it applies. */
export function caveatsOf(x: CaveatInput, rules: Set<string>): CaveatCode[] {
  const out = new Set<CaveatCode>();
  const markers = [x.her2, x.er, x.pr];
  const any = (f: MarkerFlag): boolean => markers.some((m) => m.flags.has(f));
  const ctx = x.context;

  if (x.her2.flags.has('pending-ish')) out.add('her2-equivocal-pending-ish');
  if (x.her2.flags.has('ish-needs-ihc-review')) out.add('ish-needs-ihc-review');
  if (x.her2.category === 'low') out.add('her2-low');
  if (x.her2.category === 'ultralow') out.add('her2-ultralow');
  const zeroish = x.her2.category === 'zero' || x.her2.category === 'negative-unspecified';
  if ((zeroish && (ctx.metastatic || x.subtype === 'triple-negative')) || (x.her2.category === 'ultralow' && x.hr === 'negative' && ctx.metastatic)) {
    out.add('her2-zero-rereview');
  }
  if (x.er.category === 'low-positive') out.add('er-low-positive');
  if (x.er.category === 'negative' && x.pr.category === 'positive') out.add('er-negative-pr-positive');
  if (any('discordant') || x.hrDiscordant) out.add('discordant-results');
  if (x.latestResultDate !== null) {
    const events = [ctx.recurrence ? ctx.recurrenceDate : undefined, ctx.metastatic ? ctx.metastaticDate : undefined];
    if (events.some((d) => d !== undefined && isAfter(d, x.latestResultDate as string))) {
      out.add('retest-on-recurrence');
      rules.add('T1');
    }
  }
  if (x.her2.category === 'unknown') out.add('missing-her2');
  if (x.er.category === 'unknown') out.add('missing-er');
  if (x.pr.category === 'unknown') out.add('missing-pr');
  if (any('indeterminate') || any('uncertain')) out.add('indeterminate-result');
  if (HER2_NEGATIVE.has(x.her2.category) && x.pam50.some((p) => p.subtype === 'HER2-enriched')) out.add('pam50-her2-enriched');
  if (x.eligibility.includes('anti-her2')) {
    out.add('cardiac-monitoring');
    rules.add('C8');
  }
  if (x.her2.category === 'positive' && ctx.metastatic) out.add('brain-metastases-risk');
  if (x.her2.category === 'positive' && isT1ab(ctx.tumorCategory) && isN0(ctx.nodalCategory)) out.add('small-tumor-t1ab');
  if (x.hasUnreadable) out.add('unreadable-result');
  if (x.hasPending) out.add('pending-result');
  if (x.her2.flags.has('heterogeneous')) out.add('her2-heterogeneous');
  if (any('no-internal-controls')) out.add('no-internal-controls');
  return CAVEAT_ORDER.filter((c) => out.has(c));
}

/** pT1a or pT1b (c/p/yp prefixes allowed; T1mi and T1c are not T1a–b). */
function isT1ab(t: string | undefined): boolean {
  return t !== undefined && /^(?:[cpy]{0,2})T1[ab]$/i.test(t.trim());
}

/** N0, including N0(i+), N0(i-) and N0(mol±). */
function isN0(n: string | undefined): boolean {
  return n !== undefined && /^(?:[cpy]{0,2})N0(?:\(.*\))?$/i.test(n.trim());
}
