import type { FeedbackSummaryRow } from '../storage/feedback-store.js';

/** Acceptance and override rates per card kind and reason (issue 9: feedback-report and /admin/feedback/summary). */
export interface KindReport {
  cardKind: string;
  issued: number;
  accepted: number;
  overridden: number;
  /** accepted / issued, 0..1 (0 when nothing was issued). */
  acceptedRate: number;
  overriddenRate: number;
  reasons: Array<{ system: string | null; code: string; count: number }>;
}

export interface FeedbackReport {
  since: string;
  kinds: KindReport[];
}

/** Pure: summary rows + issued counts → one row per card kind, most issued first. */
export function buildReport(since: Date, rows: readonly FeedbackSummaryRow[], issued: Record<string, number>): FeedbackReport {
  const kinds = new Map<string, KindReport>();
  const get = (kind: string): KindReport => {
    let k = kinds.get(kind);
    if (!k) {
      k = { cardKind: kind, issued: issued[kind] ?? 0, accepted: 0, overridden: 0, acceptedRate: 0, overriddenRate: 0, reasons: [] };
      kinds.set(kind, k);
    }
    return k;
  };
  for (const kind of Object.keys(issued)) get(kind);
  for (const row of rows) {
    const k = get(row.cardKind);
    k[row.outcome] += row.count;
    if (row.outcome === 'overridden') k.reasons.push({ system: row.reasonSystem, code: row.reasonCode ?? '(no reason)', count: row.count });
  }
  for (const k of kinds.values()) {
    const base = Math.max(k.issued, k.accepted + k.overridden);
    k.acceptedRate = base > 0 ? k.accepted / base : 0;
    k.overriddenRate = base > 0 ? k.overridden / base : 0;
    k.reasons.sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  }
  return {
    since: since.toISOString(),
    kinds: [...kinds.values()].sort((a, b) => b.issued - a.issued || a.cardKind.localeCompare(b.cardKind)),
  };
}

/** "30d", "12h", an ISO date or date-time → the start of the period. Throws on anything else. */
export function parseSince(value: string | undefined, now: Date, fallbackDays = 30): Date {
  if (value === undefined || value.trim() === '') return new Date(now.getTime() - fallbackDays * 86_400_000);
  const rel = /^(\d{1,5})([dh])$/.exec(value.trim());
  if (rel) return new Date(now.getTime() - Number(rel[1]) * (rel[2] === 'd' ? 86_400_000 : 3_600_000));
  if (/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim())) {
    const d = new Date(value.trim());
    if (!Number.isNaN(d.getTime())) return d;
  }
  throw new Error(`--since must be like 30d, 12h or 2026-01-31, got "${value.slice(0, 40)}"`);
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** The report as a plain-text table for the terminal. */
export function formatReport(report: FeedbackReport): string {
  const header = ['card kind', 'issued', 'accepted', 'overridden', 'top override reasons'];
  const rows = report.kinds.map((k) => [
    k.cardKind,
    String(k.issued),
    `${k.accepted} (${pct(k.acceptedRate)})`,
    `${k.overridden} (${pct(k.overriddenRate)})`,
    k.reasons.slice(0, 3).map((r) => `${r.code} ×${r.count}`).join(', ') || '-',
  ]);
  const widths = header.map((h, n) => Math.max(h.length, ...rows.map((r) => r[n]!.length)));
  const line = (cells: string[]) => cells.map((c, n) => (n === 0 || n === 4 ? c.padEnd(widths[n]!) : c.padStart(widths[n]!))).join('  ').trimEnd();
  const out = [`Feedback since ${report.since}`, line(header), widths.map((w) => '-'.repeat(w)).join('  ')];
  out.push(...(rows.length > 0 ? rows.map(line) : ['(no cards issued in this period)']));
  return out.join('\n');
}
