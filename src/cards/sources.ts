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
