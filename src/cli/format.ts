/**
 * Plain-text output of the CLI: cards as a clinician would scan them in a terminal (indicator, summary, the detail
 * condensed, suggestions, links, source) and the interpretation as label/value rows.
 */
import type { Card } from '../cards/types.js';
import type { Row } from '../embedded/preview/client/interpretation-view.js';

/** Lines of detail kept per card; the rest is "…" (use --json for everything). */
export const DETAIL_LINES = 8;

export function formatCards(cards: readonly Card[]): string {
  if (cards.length === 0) return 'No cards: the service has nothing to say for this call.';
  return cards.map(formatCard).join('\n\n');
}

export function formatCard(card: Card): string {
  const lines = [`[${card.indicator.toUpperCase()}] ${card.summary}`];
  if (card.detail) {
    const detail = markdownToText(card.detail);
    lines.push(...detail.slice(0, DETAIL_LINES).map((l) => `  ${l}`));
    if (detail.length > DETAIL_LINES) lines.push('  …');
  }
  for (const s of card.suggestions ?? []) {
    lines.push(`  → Suggestion${s.isRecommended ? ' (recommended)' : ''}: ${s.label}`);
  }
  for (const l of card.links ?? []) lines.push(`  ↗ ${l.label}: ${l.url}`);
  lines.push(`  Source: ${card.source.label}${card.source.url ? ` <${card.source.url}>` : ''}`);
  return lines.join('\n');
}

export function formatRows(rows: readonly Row[]): string {
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&#39;': "'" };

/** Card Markdown → readable lines: no markers, no "Sources" section (the card's source is printed apart). */
export function markdownToText(markdown: string): string[] {
  const out: string[] = [];
  let inSources = false;
  for (const raw of markdown.split(/\r?\n/)) {
    const heading = /^#{1,6}\s+(.*)$/.exec(raw);
    if (heading) {
      inSources = /^sources?$/i.test((heading[1] ?? '').trim());
      if (!inSources) out.push(`${inlineText(heading[1] ?? '')}:`);
      continue;
    }
    if (inSources || raw.trim() === '') continue;
    out.push(inlineText(raw.trim()).replace(/^[-*+]\s+/, '• '));
  }
  return out;
}

function inlineText(text: string): string {
  return text
    .replace(/<(https?:\/\/[^\s>]+)>/g, '$1')
    .replace(/\[([^\]]*)\]\((https?:\/\/[^\s)]+)\)/g, '$1 ($2)')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^\w\\])[*_](\S(?:.*?\S)?)[*_](?!\w)/g, '$1$2')
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/&(lt|gt|amp|quot|#39);/g, (e) => ENTITIES[e] ?? e)
    .trimEnd();
}
