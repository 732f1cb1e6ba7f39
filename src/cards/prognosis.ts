/**
 * The prognosis card per subtype: the answer to "is HER2-negative a good prognosis?" in the treatment
 * era, with the figures of GUIDELINES.md section 9 only (cards/prognosis.json), plus the HER2-low /
 * ultralow nuance. No prognosis card while the subtype is undetermined: a prognosis from partial results
 * would be a guess.
 */
import type { Interpretation } from '../clinical/types.js';
import type { Card } from './types.js';
import type { Claim, PrognosisEntry } from './content.js';
import { PROGNOSIS } from './content.js';
import { allHold } from './conditions.js';
import { contentCard } from './card.js';

function entryFor(i: Interpretation): PrognosisEntry | undefined {
  switch (i.subtype) {
    case 'HR+/HER2+':
    case 'HR-/HER2+':
      return PROGNOSIS.subtypes['her2-positive'];
    case 'HR+/HER2-':
      return PROGNOSIS.subtypes['hr-positive-her2-negative'];
    case 'triple-negative':
      return PROGNOSIS.subtypes['triple-negative'];
    case 'undetermined':
      return undefined;
  }
}

export function prognosisCards(i: Interpretation, newId: () => string): Card[] {
  const entry = entryFor(i);
  if (!entry) return [];
  const [answer, ...rest] = entry.claims;
  const claims: Claim[] = [
    ...(answer ? [answer] : []),
    ...PROGNOSIS.treatmentEra,
    ...rest,
    ...PROGNOSIS.her2Nuance.filter((c) => allHold(c.when, i)),
  ].filter((c) => allHold(c.when, i));
  return [contentCard({ kind: 'prognosis', summary: entry.summary, indicator: 'info', claims }, newId)];
}
