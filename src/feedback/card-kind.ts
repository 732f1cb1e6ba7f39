import type { Card, Suggestion } from '../cards/types.js';
import policyFile from '../../cards/suppression.json' with { type: 'json' };

/** The extension member the card builders tag every card with (src/cards/types.ts CARD_KIND_EXTENSION_KEY):
 *  "summary", a caveat or eligibility code such as "her2-equivocal-pending-ish", "prognosis",
 *  "order/anti-her2-not-positive". */
export const CARD_KIND_EXTENSION = 'org.her2-cds.card-kind';

/** What kind of card this is: the builders' tag; until every builder tags, the order checks' own
 *  extension["order-check"].kind and the summary card's interpretation extension stand in. Anything else is
 *  "unknown", which is recorded and reported but never suppressed. */
export function cardKindOf(card: Card): string {
  const ext = card.extension ?? {};
  const tag = ext[CARD_KIND_EXTENSION];
  if (typeof tag === 'string' && tag.length > 0 && tag.length <= 100) return tag;
  const orderCheck = ext['order-check'];
  if (typeof orderCheck === 'object' && orderCheck !== null) {
    const kind = (orderCheck as { kind?: unknown }).kind;
    if (typeof kind === 'string' && kind.length > 0) return `order/${kind}`;
  }
  if ('biomarker-interpretation' in ext) return 'summary';
  return 'unknown';
}

const BY_ORDER_CODE: Record<string, string> = policyFile.suggestionKinds.byOrderCode;

/** What kind of suggestion this is, from the order it would create (cards/suppression.json suggestionKinds):
 *  "order-reflex-ish", "order-echo", …; a delete is "remove-order"; anything else "other". */
export function suggestionKindOf(suggestion: Suggestion): string {
  for (const action of suggestion.actions ?? []) {
    if (action.type === 'delete') return 'remove-order';
    const code = (action.resource as { code?: { coding?: Array<{ system?: unknown; code?: unknown }> } } | undefined)?.code;
    for (const coding of code?.coding ?? []) {
      const kind = BY_ORDER_CODE[`${String(coding.system)}|${String(coding.code)}`];
      if (kind) return kind;
    }
  }
  return 'other';
}
