/**
 * A small, SAFE Markdown renderer for card detail, as an EHR must render it: card text and the FHIR text
 * quoted in it are untrusted. Everything is HTML-escaped FIRST; only then are a few Markdown constructs turned
 * into tags this file writes itself: headings, paragraphs, bold, italics, inline code, bullet and numbered
 * lists, tables, links and <autolinks> — links only with an http(s) URL. No raw HTML ever passes, so a
 * <script>, an onerror attribute or a javascript: link stays visible text. Pure (no DOM): tested in Node,
 * used by the page through innerHTML of the returned string.
 */

/** Entities a Markdown source may carry on purpose (src/cards escapeMarkdown writes them for FHIR text).
 *  They decode to text, never to markup, so they are passed through; any other "&" is escaped. */
const ENTITY = /^&(?:amp|lt|gt|quot|#39|#\d{1,6}|#x[0-9a-fA-F]{1,6});/;

/** Characters a backslash may escape (CommonMark: ASCII punctuation). */
const ESCAPABLE = /[!-/:-@[-`{-~]/;

/** Escapes text for HTML; known entities stay as they are. */
export function escapeHtml(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '&') out += ENTITY.test(text.slice(i)) ? '&' : '&amp;';
    else if (c === '<') out += '&lt;';
    else if (c === '>') out += '&gt;';
    else if (c === '"') out += '&quot;';
    else if (c === "'") out += '&#39;';
    else out += c;
  }
  return out;
}

/** A link target we write into href: absolute http(s), no spaces, quotes or angle brackets, and no entity other
 *  than &amp; (an entity in an attribute is decoded by the browser, e.g. "&#58;" to ":"). */
export function safeHref(url: string): string | undefined {
  if (!/^https?:\/\/[^\s<>"'`\\]+$/i.test(url)) return undefined;
  if (/&(?!amp;)/i.test(url.replace(/&(?![a-z#0-9]+;)/gi, '&amp;'))) return undefined;
  return escapeHtml(url.replace(/&amp;/g, '&'));
}

/** Markdown → HTML string (safe to assign to innerHTML). */
export function renderMarkdown(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const html: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    if (line.trim() === '') {
      i++;
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const level = Math.min(6, (heading[1] as string).length + 1); // an h1 inside a card is too loud
      html.push(`<h${level}>${inline(heading[2] as string)}</h${level}>`);
      i++;
      continue;
    }
    if (isTableStart(lines, i)) {
      const rows: string[] = [];
      while (i < lines.length && /^\s*\|.*\|\s*$/.test(lines[i] as string)) rows.push(lines[i++] as string);
      html.push(table(rows));
      continue;
    }
    const list = listKind(line);
    if (list) {
      const items: string[] = [];
      while (i < lines.length && listKind(lines[i] as string) === list) {
        let item = (lines[i] as string).replace(LIST_MARKER[list], '');
        i++;
        // Lazy continuation: an indented line belongs to the item above.
        while (i < lines.length && /^\s{2,}\S/.test(lines[i] as string) && !listKind(lines[i] as string)) item += ' ' + (lines[i++] as string).trim();
        items.push(`<li>${inline(item)}</li>`);
      }
      html.push(`<${list}>${items.join('')}</${list}>`);
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && (lines[i] as string).trim() !== '' && !startsBlock(lines, i)) para.push((lines[i++] as string).trim());
    html.push(`<p>${para.map(inline).join('<br>')}</p>`);
  }
  return html.join('\n');
}

const LIST_MARKER = { ul: /^\s*[-*+]\s+/, ol: /^\s*\d{1,9}[.)]\s+/ } as const;

function listKind(line: string): 'ul' | 'ol' | undefined {
  if (LIST_MARKER.ul.test(line)) return 'ul';
  if (LIST_MARKER.ol.test(line)) return 'ol';
  return undefined;
}

function startsBlock(lines: readonly string[], i: number): boolean {
  const line = lines[i] as string;
  return /^#{1,6}\s/.test(line) || listKind(line) !== undefined || isTableStart(lines, i);
}

function isTableStart(lines: readonly string[], i: number): boolean {
  return /^\s*\|.*\|\s*$/.test(lines[i] ?? '') && /^\s*\|(\s*:?-{3,}:?\s*\|)+\s*$/.test(lines[i + 1] ?? '');
}

function cells(row: string): string[] {
  // Split on "|" not preceded by a backslash; the outer pipes make an empty first and last cell.
  return row.trim().replace(/^\||\|$/g, '').split(/(?<!\\)\|/).map((c) => c.trim());
}

function table(rows: readonly string[]): string {
  const [head, , ...body] = rows;
  const th = cells(head ?? '').map((c) => `<th>${inline(c)}</th>`).join('');
  const tb = body.map((r) => `<tr>${cells(r).map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`).join('');
  return `<table><thead><tr>${th}</tr></thead><tbody>${tb}</tbody></table>`;
}

/**
 * Inline Markdown on one line. The raw text is split into literal pieces and constructs; every literal piece is
 * escaped with escapeHtml, so the only tags in the output are the ones written here.
 */
export function inline(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const c = text[i] as string;
    if (c === '\\' && ESCAPABLE.test(text[i + 1] ?? '')) {
      out += escapeHtml(text[i + 1] as string);
      i += 2;
      continue;
    }
    const code = /^`([^`]+)`/.exec(rest);
    if (code) {
      out += `<code>${escapeHtml(code[1] as string)}</code>`;
      i += code[0].length;
      continue;
    }
    const auto = /^<(https?:\/\/[^\s<>]+)>/i.exec(rest);
    if (auto) {
      out += link(auto[1] as string, escapeHtml(auto[1] as string));
      i += auto[0].length;
      continue;
    }
    const md = matchLink(rest);
    if (md) {
      out += link(md.url, inline(md.label));
      i += md.length;
      continue;
    }
    const strong = /^(\*\*|__)(?=\S)([\s\S]*?\S)\1/.exec(rest);
    if (strong) {
      out += `<strong>${inline(strong[2] as string)}</strong>`;
      i += strong[0].length;
      continue;
    }
    const em = /^(\*|_)(?=\S)([\s\S]*?\S)\1(?!\1)/.exec(rest);
    if (em && !(c === '_' && /\w/.test(text[i - 1] ?? ''))) {
      out += `<em>${inline(em[2] as string)}</em>`;
      i += em[0].length;
      continue;
    }
    const entity = c === '&' ? ENTITY.exec(rest) : null;
    out += entity ? entity[0] : escapeHtml(c);
    i += entity ? entity[0].length : 1;
  }
  return out;
}

/** [label](url) with balanced brackets in the label and no spaces in the url. */
function matchLink(rest: string): { label: string; url: string; length: number } | undefined {
  if (!rest.startsWith('[')) return undefined;
  let depth = 0;
  let end = -1;
  for (let j = 0; j < rest.length; j++) {
    const ch = rest[j];
    if (ch === '\\') {
      j++;
      continue;
    }
    if (ch === '[') depth++;
    else if (ch === ']' && --depth === 0) {
      end = j;
      break;
    }
  }
  if (end < 0 || rest[end + 1] !== '(') return undefined;
  const close = rest.indexOf(')', end + 2);
  if (close < 0) return undefined;
  const url = rest.slice(end + 2, close).trim();
  if (/\s/.test(url)) return undefined;
  return { label: rest.slice(1, end), url, length: close + 1 };
}

/** A link with a safe http(s) target, opened in a new tab without access to this page; anything else is text. */
function link(url: string, labelHtml: string): string {
  const href = safeHref(url);
  if (!href) return `${labelHtml} (${escapeHtml(url)})`;
  return `<a href="${href}" target="_blank" rel="noopener noreferrer">${labelHtml}</a>`;
}
