/**
 * Override reasons offered on warning cards. The code system string is defined once, in
 * cards/override-reasons.json, and exported here for the feedback handling.
 */
import type { Coding } from './types.js';
import { OVERRIDE } from './content.js';

export const OVERRIDE_REASON_SYSTEM: string = OVERRIDE.system;

/** Override reasons for a card kind (a caveat code, 'data-unavailable', or 'default'). */
export function overrideReasonsFor(cardKind: string): Array<Coding & { display: string }> {
  const codes = OVERRIDE.byCard[cardKind] ?? OVERRIDE.byCard['default'] ?? [];
  return codes.map((code) => ({ system: OVERRIDE_REASON_SYSTEM, code, display: OVERRIDE.reasons[code] ?? code }));
}
