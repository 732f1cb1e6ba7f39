/**
 * PAM50 / Prosigna intrinsic subtype Observations → Pam50Result. No code is verified for PAM50 (CODES.md
 * has none; fixtures/README.md "Not coded on purpose"), so the test is recognised by its name only:
 * code.text or a coding display mentioning PAM50, Prosigna or "intrinsic subtype". No code is invented.
 * The subtype is read from the value's text/displays (valueCodeableConcept or valueString).
 *
 * Recognised before the biomarker reader, so a name such as "PAM50 HER2-enriched" is never read as a HER2
 * result. Prosigna risk-of-recurrence scores are not subtypes: ignored.
 */
import type { Pam50Result, Pam50Subtype } from '../types.js';
import type { Entry } from './collect.js';
import { conceptTexts, prop, str } from './json.js';
import { readDate, readStatus } from './observation.js';

export type Pam50Outcome =
  | { kind: 'none' }
  | { kind: 'ignored' }
  | { kind: 'pam50'; result: Pam50Result }
  | { kind: 'unreadable'; reason: string };

/** Subtype words as labs and the PAM50 literature write them; one row per subtype. */
export const PAM50_SUBTYPES: ReadonlyArray<{ subtype: Pam50Subtype; pattern: RegExp }> = [
  { subtype: 'HER2-enriched', pattern: /\bHER-?2[- ]?(?:enriched|E)\b/i },
  { subtype: 'luminal-a', pattern: /\blum(?:inal)?[- ]?A\b/i },
  // "Luminal A/B" names both luminal rows, so it is never read as one of them.
  { subtype: 'luminal-b', pattern: /\blum(?:inal)?[- ]?(?:A\s*\/\s*)?B\b/i },
  { subtype: 'basal-like', pattern: /\bbasal(?:[- ]like)?\b/i },
  { subtype: 'normal-like', pattern: /\bnormal[- ]like\b/i },
];

const NAME = /\bPAM-?50\b|\bProsigna\b|intrinsic\s+(?:molecular\s+)?subtype/i;
/** Other Prosigna outputs (risk of recurrence score, risk category) are not the subtype. */
const NOT_SUBTYPE = /risk of recurrence|\bROR\b|\bscore\b|risk (?:category|group)/i;

export function readPam50(entry: Entry): Pam50Outcome {
  const r = entry.resource;
  const names = conceptTexts(prop(r, 'code'));
  if (!names.some((t) => NAME.test(t))) return { kind: 'none' };
  if (names.some((t) => NOT_SUBTYPE.test(t))) return { kind: 'ignored' };
  // Only a signed-out result is used; preliminary ones are not shown as a subtype (never guessed early).
  if (readStatus(str(r, 'status')) !== 'valid') return { kind: 'ignored' };

  const valueTexts = [...conceptTexts(prop(r, 'valueCodeableConcept')), str(r, 'valueString')].filter(
    (t): t is string => t !== undefined && t.length <= 500,
  );
  const found = new Set<Pam50Subtype>();
  for (const text of valueTexts) for (const row of PAM50_SUBTYPES) if (row.pattern.test(text)) found.add(row.subtype);
  const [subtype] = [...found];
  if (found.size === 1 && subtype !== undefined) {
    const result: Pam50Result = { ref: entry.ref, subtype };
    const date = readDate(r);
    if (date !== undefined) result.effectiveDate = date;
    return { kind: 'pam50', result };
  }
  if (found.size > 1) return { kind: 'unreadable', reason: 'PAM50 value names several intrinsic subtypes' };
  return { kind: 'unreadable', reason: valueTexts.length > 0 ? 'PAM50 subtype not understood' : 'PAM50 result without a subtype' };
}
