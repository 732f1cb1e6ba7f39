import type { Observation } from 'fhir/r4.js';

/** LVEF result codes (../shared/clinical/CODES.md §3): LOINC 18043-0 (tier A-), LOINC 10230-1 (tier C,
 *  long name unconfirmed), SNOMED CT 70822001 (tier C). Accepted for *finding* a result only; none is
 *  ever written to a card or an order. */
export const LVEF_CODES: ReadonlyArray<{ system: string; code: string }> = [
  { system: 'http://loinc.org', code: '18043-0' },
  { system: 'http://loinc.org', code: '10230-1' },
  { system: 'http://snomed.info/sct', code: '70822001' },
];

const USABLE_STATUS = ['final', 'amended', 'corrected', 'preliminary'];

/** True when an LVEF result dated within `windowDays` before `now` is on file. A result without a date
 *  cannot show it is recent, so it does not count. Pure. */
export function hasRecentLvef(observations: readonly Observation[], now: Date, windowDays: number): boolean {
  const earliest = now.getTime() - windowDays * 24 * 60 * 60 * 1000;
  return observations.some((o) => {
    if (!USABLE_STATUS.includes(o.status)) return false;
    if (!isLvef(o)) return false;
    const date = o.effectiveDateTime ?? o.effectivePeriod?.end ?? o.effectivePeriod?.start ?? o.effectiveInstant ?? o.issued;
    if (!date) return false;
    const time = Date.parse(date);
    // A result dated after "now" (clock skew, time zones) still counts as recent.
    return Number.isFinite(time) && time >= earliest;
  });
}

function isLvef(o: Observation): boolean {
  return (o.code?.coding ?? []).some((c) => LVEF_CODES.some((l) => l.system === c.system && l.code === c.code));
}
