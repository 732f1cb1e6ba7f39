import type { Bound } from '../rules/table.js';
import type { ReportedNumber, ReportedRange } from '../types.js';

/** What a reported value says about the true number: an interval (N1: never rounded; N5 ranges; N6
 *  comparators). A plain value is the point [v, v]. */
export interface Interval {
  lo: number;
  loIncl: boolean;
  hi: number;
  hiIncl: boolean;
}

export function toInterval(v: ReportedNumber | ReportedRange): Interval {
  if ('low' in v) {
    const lo = Math.min(v.low, v.high);
    const hi = Math.max(v.low, v.high);
    return { lo, loIncl: true, hi, hiIncl: true };
  }
  switch (v.comparator) {
    case '<':
      return { lo: -Infinity, loIncl: false, hi: v.value, hiIncl: false };
    case '<=':
      return { lo: -Infinity, loIncl: false, hi: v.value, hiIncl: true };
    case '>':
      return { lo: v.value, loIncl: false, hi: Infinity, hiIncl: false };
    case '>=':
      return { lo: v.value, loIncl: true, hi: Infinity, hiIncl: false };
    default:
      return { lo: v.value, loIncl: true, hi: v.value, hiIncl: true };
  }
}

/** True when some number in the interval satisfies the bound. */
export function overlaps(i: Interval, b: Bound): boolean {
  if (b.min !== undefined) {
    // the interval's top must reach above the bound's minimum
    if (i.hi < b.min) return false;
    if (i.hi === b.min && !(i.hiIncl && (b.minInclusive ?? true))) return false;
  }
  if (b.max !== undefined) {
    if (i.lo > b.max) return false;
    if (i.lo === b.max && !(i.loIncl && (b.maxInclusive ?? true))) return false;
  }
  return true;
}

/** True when every number in the interval satisfies the bound. */
export function within(i: Interval, b: Bound): boolean {
  if (b.min !== undefined) {
    if (i.lo < b.min) return false;
    if (i.lo === b.min && i.loIncl && !(b.minInclusive ?? true)) return false;
  }
  if (b.max !== undefined) {
    if (i.hi > b.max) return false;
    if (i.hi === b.max && i.hiIncl && !(b.maxInclusive ?? true)) return false;
  }
  return true;
}

/** The value itself when it is one exact number (no comparator, not a range), for display fields. */
export function exactValue(v: ReportedNumber | ReportedRange | undefined): number | null {
  if (v === undefined || 'low' in v || v.comparator !== undefined) return null;
  return v.value;
}

export function describeNumber(v: ReportedNumber | ReportedRange): string {
  if ('low' in v) return `${v.low}–${v.high}`;
  return `${v.comparator ?? ''}${v.value}`;
}
