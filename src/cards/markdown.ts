/**
 * Markdown helpers. Card detail is GitHub-flavoured Markdown and some clients (the CDS Hooks Sandbox)
 * render raw HTML in it, so any text that comes from FHIR (lab text, specimen labels, reasons) goes
 * through escapeMarkdown before it is written: HTML is turned into entities and Markdown syntax
 * characters are backslash-escaped, so the text shows as written and cannot become markup or a link.
 */
import type { Claim } from './content.js';

/** CDS Hooks: summary "fewer than 140 characters". */
export const MAX_SUMMARY_LENGTH = 139;

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Makes untrusted text (from FHIR) safe to place inline in Markdown. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f]+/g, ' ') // control characters and line breaks: one line, no new blocks
    .replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c)
    .replace(/[\\`*_[\]{}#|~:!]/g, (c) => `\\${c}`) // ':' stops autolinks of "http://…" text
    .trim();
}

/** The shortest candidate is the last resort; each candidate is tried in order until one fits. */
export function fitSummary(candidates: readonly string[]): string {
  for (const c of candidates) {
    if (c.length <= MAX_SUMMARY_LENGTH) return c;
  }
  const last = candidates[candidates.length - 1] ?? '';
  return `${last.slice(0, MAX_SUMMARY_LENGTH - 1).trimEnd()}…`;
}

export function bulletList(lines: readonly string[]): string {
  return lines.map((l) => `- ${l}`).join('\n');
}

/** Claims as a bullet list (our own content: not escaped). */
export function claimsMarkdown(claims: readonly Claim[]): string {
  return bulletList(claims.map((c) => c.text));
}

export function heading(text: string): string {
  return `#### ${text}`;
}

/** Joins non-empty blocks with blank lines. */
export function blocks(...parts: Array<string | undefined | false>): string {
  return parts.filter((p): p is string => typeof p === 'string' && p.length > 0).join('\n\n');
}
