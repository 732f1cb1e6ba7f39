import type { RequestHandler } from 'express';
import ordersSources from '../../cards/orders-sources.json' with { type: 'json' };
import { SOURCES } from '../cards/content.js';
import { sourceAnchor } from '../cards/sources.js';

interface Entry {
  label: string;
  citation: string;
  url?: string;
}

/**
 * GET /sources: every source a card can cite, with its full citation, and a link only where the identifier was
 * verified. Cards whose source has no verified identifier link here (cards/sources.ts linkUnlinkedSources), so a
 * clinician clicking "source" always reaches the citation. Static HTML, no script.
 */
export function sourcesRoute(): RequestHandler {
  const entries = collect();
  const html = page(entries);
  const json = JSON.stringify({ sources: entries.map((e) => ({ anchor: sourceAnchor(e.label), ...e })) });
  return (req, res) => {
    if (req.accepts(['html', 'json']) === 'json') {
      res.type('application/json').send(json);
      return;
    }
    res.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    res.type('html').send(html);
  };
}

function collect(): Entry[] {
  const all = new Map<string, Entry>();
  const add = (record: Record<string, unknown>) => {
    for (const value of Object.values(record)) {
      if (typeof value !== 'object' || value === null) continue; // the files' _comment
      const v = value as Partial<Entry>;
      if (typeof v.label !== 'string' || typeof v.citation !== 'string') continue;
      all.set(v.label, { label: v.label, citation: v.citation, ...(typeof v.url === 'string' ? { url: v.url } : {}) });
    }
  };
  add(SOURCES as Record<string, unknown>);
  add(ordersSources as Record<string, unknown>);
  return [...all.values()].sort((a, b) => a.label.localeCompare(b.label));
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(entries: readonly Entry[]): string {
  const items = entries
    .map((e) => {
      const link = e.url ? ` <a href="${escapeHtml(e.url)}" rel="noopener noreferrer">${escapeHtml(e.url)}</a>` : ' <em>(no verified identifier: cited by name only)</em>';
      return `<li id="${sourceAnchor(e.label)}"><strong>${escapeHtml(e.label)}</strong><br>${escapeHtml(e.citation)}${link}</li>`;
    })
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sources of the HER2/ER/PR cards</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:56rem;margin:2rem auto;padding:0 1rem}li{margin:.8rem 0}li:target{background:#fff6d5}</style>
</head><body><h1>Sources cited on the HER2/ER/PR cards</h1>
<p>Every claim on a card names one of these sources. Links are given only for identifiers that were verified.</p>
<ol>
${items}
</ol></body></html>`;
}
