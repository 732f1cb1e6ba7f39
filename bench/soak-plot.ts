/** A small SVG line chart of the soak's memory samples (RSS and live heap over time), no dependencies. */
export function memoryPlot(samples: Array<{ t: number; rss: number; heap: number }>, warmupSeconds: number, title: string): string {
  const W = 720;
  const H = 360;
  const m = { left: 60, right: 20, top: 40, bottom: 50 };
  const tMax = Math.max(1, ...samples.map((s) => s.t));
  const yMax = niceCeil(Math.max(1, ...samples.map((s) => Math.max(s.rss, s.heap))) * 1.1);
  const x = (t: number): number => m.left + (t / tMax) * (W - m.left - m.right);
  const y = (v: number): number => H - m.bottom - (v / yMax) * (H - m.top - m.bottom);
  const line = (pick: (s: { rss: number; heap: number }) => number): string =>
    samples.map((s) => `${x(s.t).toFixed(1)},${y(pick(s)).toFixed(1)}`).join(' ');
  const yTicks = Array.from({ length: 6 }, (_, i) => (yMax * i) / 5);
  const xTicks = Array.from({ length: 6 }, (_, i) => (tMax * i) / 5);
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">
<rect width="${W}" height="${H}" fill="white"/>
<text x="${W / 2}" y="22" text-anchor="middle" font-size="14">${esc(title)}</text>
<rect x="${m.left}" y="${m.top}" width="${Math.max(0, x(Math.min(warmupSeconds, tMax)) - m.left).toFixed(1)}" height="${H - m.top - m.bottom}" fill="#eeeeee"/>
<text x="${m.left + 4}" y="${m.top + 14}" fill="#777">warm-up</text>
${yTicks.map((v) => `<line x1="${m.left}" x2="${W - m.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#ddd"/><text x="${m.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${v.toFixed(0)}</text>`).join('\n')}
${xTicks.map((t) => `<text x="${x(t).toFixed(1)}" y="${H - m.bottom + 18}" text-anchor="middle">${t.toFixed(0)}</text>`).join('\n')}
<line x1="${m.left}" x2="${m.left}" y1="${m.top}" y2="${H - m.bottom}" stroke="#333"/>
<line x1="${m.left}" x2="${W - m.right}" y1="${H - m.bottom}" y2="${H - m.bottom}" stroke="#333"/>
<text x="${W / 2}" y="${H - 12}" text-anchor="middle">time (s)</text>
<text x="16" y="${H / 2}" text-anchor="middle" transform="rotate(-90 16 ${H / 2})">MB</text>
<polyline fill="none" stroke="#1f77b4" stroke-width="2" points="${line((s) => s.rss)}"/>
<polyline fill="none" stroke="#d62728" stroke-width="2" points="${line((s) => s.heap)}"/>
<rect x="${W - 200}" y="${m.top + 4}" width="12" height="3" fill="#1f77b4"/><text x="${W - 182}" y="${m.top + 10}">RSS</text>
<rect x="${W - 200}" y="${m.top + 20}" width="12" height="3" fill="#d62728"/><text x="${W - 182}" y="${m.top + 26}">live heap (after GC)</text>
</svg>
`;
}

function niceCeil(v: number): number {
  const step = 10 ** Math.floor(Math.log10(v));
  return Math.ceil(v / step) * step;
}
