/**
 * The shape every content card shares: summary, indicator, source of its first claim, markdown detail
 * assembled from claims and ending with the "Sources" list, and override reasons on warnings.
 */
import type { Claim } from './content.js';
import { CARD_KIND_EXTENSION_KEY, type Card, type Indicator } from './types.js';
import { blocks, claimsMarkdown, fitSummary } from './markdown.js';
import { overrideReasonsFor } from './override-reasons.js';
import { cardSource, primarySourceKey, sourceKeys, sourcesMarkdown } from './sources.js';

export interface ContentCardSpec {
  /** Card kind, used to pick override reasons (a caveat code, an eligibility code, 'prognosis'). */
  kind: string;
  summary: string;
  indicator: Indicator;
  /** Text before the claims (our content). */
  intro?: string;
  claims: Claim[];
  /** Markdown after the claims (chart status, result lists; FHIR text already escaped). */
  after?: string[];
}

export function contentCard(spec: ContentCardSpec, newId: () => string): Card {
  const keys = sourceKeys(spec.claims);
  const primary = primarySourceKey(keys, keys[0] ?? 'PRODUCT-POLICY');
  const card: Card = {
    uuid: newId(),
    summary: fitSummary([spec.summary]),
    indicator: spec.indicator,
    detail: blocks(spec.intro, claimsMarkdown(spec.claims), ...(spec.after ?? []), sourcesMarkdown(keys)),
    source: cardSource(primary),
    extension: { [CARD_KIND_EXTENSION_KEY]: spec.kind },
  };
  if (spec.indicator === 'warning') card.overrideReasons = overrideReasonsFor(spec.kind);
  return card;
}
