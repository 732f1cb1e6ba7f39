/**
 * Source lookup over cards/sources.json. Stable API for the order-check cards, which cite the same keys.
 * Only verified identifiers (S in GUIDELINES.md, or verified in CODES.md section 4/5) have a url there, so
 * nothing here can print an identifier still marked M.
 */
import type { Claim, SourceEntry } from './content.js';
import { SOURCES, SUMMARY } from './content.js';
import type { Source } from './types.js';
import { heading } from './markdown.js';

export type { SourceEntry } from './content.js';

/** The citation entry for a source key; throws for an unknown key (a programming error in card content). */
export function sourceFor(key: string): SourceEntry {
  const entry = SOURCES[key];
  if (!entry) throw new Error(`cards: unknown source key ${key}`);
  return entry;
}

/** The key a card names as its source: the first cited source with a verified link (CDS Hooks clients show
 *  the source as a link), else `fallback`. */
export function primarySourceKey(keys: readonly string[], fallback: string): string {
  return keys.find((k) => sourceFor(k).url !== undefined) ?? fallback;
}

/** A card's `source` ({label, url}) for its primary source key. */
export function cardSource(key: string): Source {
  const entry = sourceFor(key);
  return entry.url ? { label: entry.label, url: entry.url } : { label: entry.label };
}

/** Source keys of claims, first occurrence first, without repeats. */
export function sourceKeys(claims: readonly Claim[], extra: readonly string[] = []): string[] {
  return [...new Set([...claims.flatMap((c) => c.sources), ...extra])];
}

/** The "Sources" list that ends every card detail. */
export function sourcesMarkdown(keys: readonly string[]): string {
  const lines = keys.map((key, n) => {
    const entry = sourceFor(key);
    return entry.url ? `${n + 1}. ${entry.citation} <${entry.url}>` : `${n + 1}. ${entry.citation}`;
  });
  return `${heading(SUMMARY.headings.sources)}\n${lines.join('\n')}`;
}

/** The anchor of a source on our /sources page (the label, slugged: labels are unique across cards/). */
export function sourceAnchor(label: string): string {
  return label
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** CDS Hooks clients show a card's source as a link, and our response schema requires one. A source with no
 *  verified identifier (a label, product policy, a trial without a checked DOI) links to its full citation on
 *  the service's own /sources page instead: never to an unverified identifier. Pure. */
export function linkUnlinkedSources<T extends { source: Source }>(cards: readonly T[], sourcesPageUrl: string): T[] {
  return cards.map((card) =>
    card.source.url ? card : { ...card, source: { ...card.source, url: `${sourcesPageUrl}#${sourceAnchor(card.source.label)}` } },
  );
}
