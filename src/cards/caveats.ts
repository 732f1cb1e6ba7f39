/**
 * One card per caveat code of the (guarded) interpretation, from cards/caveats.json. The unresolved
 * IHC 2+ card carries the reflex ISH suggestion; the discordant-results card lists the disagreeing
 * results. 'data-unavailable' has no card of its own: the summary card says it.
 */
import type { CaveatCode, Interpretation, Marker } from '../clinical/types.js';
import type { Card, Indicator } from './types.js';
import { CAVEATS } from './content.js';
import { allHold, isHrPositive } from './conditions.js';
import { contentCard } from './card.js';
import { bulletList } from './markdown.js';
import { reflexIshSuggestion } from './reflex-ish.js';
import { resultLine } from './results.js';

/** Not drawn as a card (the summary card carries it). */
const SUMMARY_ONLY: ReadonlySet<CaveatCode> = new Set<CaveatCode>(['data-unavailable']);

function indicatorFor(code: CaveatCode, i: Interpretation): Indicator {
  if (code.startsWith('missing-')) return i.context.breastCancer ? 'warning' : 'info';
  return CAVEATS[code]?.indicator ?? 'info';
}

function summaryFor(code: CaveatCode, i: Interpretation): string | undefined {
  const entry = CAVEATS[code];
  if (!entry) return undefined;
  const variant = isHrPositive(i) ? 'hr-positive' : undefined;
  return (variant && entry.summaries?.[variant]) || entry.summary;
}

/** The results of every marker whose valid results fall into different categories. */
function discordantLines(i: Interpretation): string[] {
  const markers: Marker[] = ['her2', 'er', 'pr'];
  return markers.flatMap((m) => {
    const valid = i[m].results.filter((r) => r.status === 'valid');
    const categories = new Set(valid.map((r) => r.category));
    return categories.size > 1 ? valid.map((r) => resultLine(m, r)) : [];
  });
}

function caveatCard(code: CaveatCode, i: Interpretation, patientId: string, newId: () => string): Card | undefined {
  const entry = CAVEATS[code];
  const summary = summaryFor(code, i);
  if (!entry || !summary || SUMMARY_ONLY.has(code)) return undefined;
  const after: string[] = [];
  if (code === 'discordant-results') {
    const lines = discordantLines(i);
    if (lines.length > 0) after.push(bulletList(lines));
  }
  const card = contentCard(
    { kind: code, summary, indicator: indicatorFor(code, i), claims: entry.claims.filter((c) => allHold(c.when, i)), after },
    newId,
  );
  if (code === 'her2-equivocal-pending-ish') {
    const suggestion = reflexIshSuggestion(patientId, i.her2.basis, newId);
    if (suggestion) {
      card.suggestions = [suggestion];
      card.selectionBehavior = 'at-most-one';
    }
  }
  return card;
}

export function caveatCards(i: Interpretation, patientId: string, newId: () => string): Card[] {
  return i.caveats
    .map((code) => caveatCard(code, i, patientId, newId))
    .filter((c): c is Card => c !== undefined);
}
