import type { BiomarkerResult, Her2Category, ReceptorCategory, ResultSummary } from '../types.js';

/** What each marker classifier returns to interpret(): the contract fields plus the facts the caveat
 *  and subtype rules need. */
export type MarkerFlag =
  /** results of the marker disagree, or a lab call contradicts the numbers (T2, 10.2, G5+IHC3) */
  | 'discordant'
  /** a value could not be placed in one category (N5, Allred total, incomplete ISH numbers) */
  | 'uncertain'
  /** a result was not evaluable (failed, or reported indeterminate) */
  | 'indeterminate'
  | 'ish-needs-ihc-review'
  | 'pending-ish'
  | 'no-internal-controls'
  | 'heterogeneous';

export interface MarkerOutcome<C extends string> {
  category: C;
  basis: string[];
  effectiveDate: string | null;
  /** Every evaluated result (valid and failed), highest category first. */
  results: ResultSummary[];
  rules: string[];
  flags: Set<MarkerFlag>;
}

export const HER2_RANK: readonly Her2Category[] = [
  'positive',
  'equivocal',
  'low',
  'ultralow',
  'zero',
  'negative-unspecified',
  'indeterminate',
  'unknown',
];

export const RECEPTOR_RANK: readonly ReceptorCategory[] = ['positive', 'low-positive', 'negative', 'indeterminate', 'unknown'];

export const HER2_NEGATIVE: ReadonlySet<Her2Category> = new Set(['low', 'ultralow', 'zero', 'negative-unspecified']);

/** FHIR date/dateTime → comparable day string (YYYY, YYYY-MM or YYYY-MM-DD). */
export function day(date: string | undefined): string | undefined {
  return date === undefined ? undefined : date.slice(0, 10);
}

/** a is strictly after b, at the precision both share (a partial date never counts as after). */
export function isAfter(a: string, b: string): boolean {
  const da = a.slice(0, 10);
  const db = b.slice(0, 10);
  const n = Math.min(da.length, db.length);
  return da.slice(0, n) > db.slice(0, n);
}

/** Latest of several dates (lexical order of ISO dates), or null. */
export function latest(dates: Array<string | undefined>): string | null {
  let best: string | null = null;
  for (const d of dates) if (d !== undefined && (best === null || d.slice(0, 10) > best.slice(0, 10))) best = d;
  return best;
}

/** Canonical order of input results, so the order of resources never changes the outcome. */
export function canonicalOrder(a: BiomarkerResult, b: BiomarkerResult): number {
  return (
    cmp(a.ref, b.ref) ||
    cmp(a.marker, b.marker) ||
    cmp(a.method, b.method) ||
    cmp(a.effectiveDate ?? '', b.effectiveDate ?? '') ||
    cmp(JSON.stringify(a), JSON.stringify(b))
  );
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function summary(r: BiomarkerResult, category: string, description: string): ResultSummary {
  const s: ResultSummary = {
    ref: r.ref,
    category,
    description,
    effectiveDate: r.effectiveDate ?? null,
    specimen: r.specimen,
    status: r.status,
  };
  if (r.specimenLabel !== undefined) s.specimenLabel = r.specimenLabel;
  return s;
}

/** Highest first, then newest, then by reference. Sorts `list` in place and returns it. */
export function sortSummaries(list: ResultSummary[], rank: readonly string[]): ResultSummary[] {
  // Rank and day are worked out once per summary, not once per comparison.
  const keyed = list.map((s) => ({ s, rank: rank.indexOf(s.category), day: day(s.effectiveDate ?? undefined) ?? '' }));
  keyed.sort((a, b) => a.rank - b.rank || cmp(b.day, a.day) || cmp(a.s.ref, b.s.ref) || cmp(a.s.description, b.s.description));
  keyed.forEach((k, i) => (list[i] = k.s));
  return list;
}

/** True when the items do not all have the same key (what `new Set(keys).size > 1` says, without the Set). */
export function varies<T>(items: Iterable<T>, key: (item: T) => string): boolean {
  let first: string | undefined;
  let seen = false;
  for (const item of items) {
    const k = key(item);
    if (!seen) {
      first = k;
      seen = true;
    } else if (k !== first) return true;
  }
  return false;
}

export function uniqueSorted(xs: Iterable<string>): string[] {
  return [...new Set(xs)].sort();
}
