import type { Card } from '../cards/types.js';
import policyFile from '../../cards/suppression.json' with { type: 'json' };
import { cardKindOf, suggestionKindOf } from './card-kind.js';

/**
 * Acting on feedback (issue 9), pure. Which overrides suppress, which cards may be suppressed and which
 * accepted suggestions wait for their result are data (cards/suppression.json); this file only applies them.
 */

/** cards/suppression.json as read. */
export interface SuppressionPolicy {
  reasonSystem: string;
  /** Our override reason codes → whether an override with it means "already done / not applicable". */
  reasons: Record<string, { suppress: boolean; why: string }>;
  suppressibleCardKinds: ReadonlySet<string>;
  /** Always shown, whatever the feedback: the summary and the order safety warnings. Wins over everything. */
  neverSuppress: ReadonlySet<string>;
  /** Suggestion kinds that, once accepted, are not offered again while the ordered test is pending. */
  pendingWhenAccepted: ReadonlySet<string>;
}

/** One feedback item, reduced to what the policy needs. */
export interface FeedbackFacts {
  outcome: 'accepted' | 'overridden';
  reason?: { system?: string; code?: string };
  /** Kinds of the accepted suggestions (from the issued card's suggestions). */
  acceptedKinds: readonly string[];
}

/** A suppression to store: `target` is a card kind, or "suggestion:<kind>". */
export interface SuppressionDecision {
  target: string;
  dataHash: string;
  until: Date;
  cause: string;
}

/** An active suppression as read back from the store. */
export interface ActiveSuppression {
  target: string;
  dataHash: string;
}

export const SUGGESTION_TARGET = 'suggestion:';

export function loadPolicy(file: typeof policyFile = policyFile): SuppressionPolicy {
  return {
    reasonSystem: file.reasonSystem,
    reasons: file.reasons,
    suppressibleCardKinds: new Set(file.suppressibleCardKinds),
    neverSuppress: new Set(file.neverSuppress),
    pendingWhenAccepted: new Set(file.pendingWhenAccepted),
  };
}

export const POLICY: SuppressionPolicy = loadPolicy();

/** What one feedback item on one issued card asks us to remember. Empty when nothing is to be suppressed:
 *  a reason from another code system or not marked `suppress` (recorded, no suppression), a kind that may not be
 *  suppressed, or SUPPRESSION_DAYS=0. */
export function decide(
  facts: FeedbackFacts,
  card: { cardKind: string; dataHash: string },
  opts: { now: Date; suppressionDays: number },
  policy: SuppressionPolicy = POLICY,
): SuppressionDecision[] {
  if (opts.suppressionDays <= 0 || policy.neverSuppress.has(card.cardKind)) return [];
  const until = new Date(opts.now.getTime() + opts.suppressionDays * 86_400_000);
  if (facts.outcome === 'overridden') {
    const code = facts.reason?.system === policy.reasonSystem ? facts.reason.code : undefined;
    if (code === undefined || policy.reasons[code]?.suppress !== true) return [];
    if (!policy.suppressibleCardKinds.has(card.cardKind)) return [];
    return [{ target: card.cardKind, dataHash: card.dataHash, until, cause: `overridden:${code}` }];
  }
  return [...new Set(facts.acceptedKinds)]
    .filter((kind) => policy.pendingWhenAccepted.has(kind))
    .map((kind) => ({ target: `${SUGGESTION_TARGET}${kind}`, dataHash: card.dataHash, until, cause: `accepted:${kind}` }));
}

export interface FilterResult {
  cards: Card[];
  /** Kinds of the cards left out. */
  suppressedCards: string[];
  /** Kinds of the suggestions taken off cards. */
  removedSuggestions: string[];
}

/** The cards to send, given this patient's active suppressions and the hash of the data the cards rest on.
 *  A suppression made on other data (a new or amended result since) no longer applies. Cards in neverSuppress
 *  are returned untouched. A card whose suggestions all go keeps its text, without selectionBehavior. */
export function applySuppressions(
  cards: readonly Card[],
  active: readonly ActiveSuppression[],
  dataHash: string,
  policy: SuppressionPolicy = POLICY,
): FilterResult {
  const live = new Set(active.filter((s) => s.dataHash === dataHash).map((s) => s.target));
  const out: FilterResult = { cards: [], suppressedCards: [], removedSuggestions: [] };
  for (const card of cards) {
    const kind = cardKindOf(card);
    if (policy.neverSuppress.has(kind)) {
      out.cards.push(card);
      continue;
    }
    if (live.has(kind) && policy.suppressibleCardKinds.has(kind)) {
      out.suppressedCards.push(kind);
      continue;
    }
    const suggestions = card.suggestions ?? [];
    const kept = suggestions.filter((s) => !live.has(`${SUGGESTION_TARGET}${suggestionKindOf(s)}`));
    if (kept.length === suggestions.length) {
      out.cards.push(card);
      continue;
    }
    out.removedSuggestions.push(...suggestions.filter((s) => !kept.includes(s)).map(suggestionKindOf));
    const copy: Card = { ...card, suggestions: kept };
    if (kept.length === 0) {
      delete copy.suggestions;
      delete copy.selectionBehavior;
    }
    out.cards.push(copy);
  }
  return out;
}
