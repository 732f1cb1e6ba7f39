/**
 * The biomarker interpretation (the contract object the summary card carries in
 * extension["biomarker-interpretation"]) as label/value rows: what the preview page shows beside the cards and
 * what `her2-cds interpret` prints. Pure, and defensive: the object comes over the wire.
 */
import type { Interpretation } from '../../../clinical/types.js';

export type Row = [label: string, value: string];

/** The key of the contract object in the summary card's extension (src/cards/summary.ts). */
export const INTERPRETATION_KEY = 'biomarker-interpretation';

/** The interpretation carried by the first card that has one, if any. */
export function interpretationFromCards(cards: unknown): Interpretation | undefined {
  if (!Array.isArray(cards)) return undefined;
  for (const card of cards) {
    const ext = (card as { extension?: Record<string, unknown> } | null)?.extension;
    const value = ext?.[INTERPRETATION_KEY];
    if (value && typeof value === 'object') return value as Interpretation;
  }
  return undefined;
}

export function interpretationRows(i: Interpretation): Row[] {
  const rows: Row[] = [];
  const her2 = i.her2 ?? { category: 'unknown' };
  const her2Parts: string[] = [her2.category];
  if (her2.ihcScore) her2Parts.push(`IHC ${her2.ihcScore}`);
  if (her2.ishGroup) her2Parts.push(`ISH group ${her2.ishGroup}`);
  if (typeof her2.ishRatio === 'number') her2Parts.push(`ratio ${her2.ishRatio}`);
  if (typeof her2.her2CopiesPerCell === 'number') her2Parts.push(`${her2.her2CopiesPerCell} copies/cell`);
  rows.push(['HER2', her2Parts.join(', ') + dated(her2.effectiveDate)]);
  for (const [label, r] of [['ER', i.er], ['PR', i.pr]] as const) {
    const pct = typeof r?.percentPositive === 'number' ? `, ${r.percentPositive} %` : '';
    rows.push([label, `${r?.category ?? 'unknown'}${pct}${dated(r?.effectiveDate)}`]);
  }
  rows.push(['Subtype', i.subtype ?? 'undetermined']);
  rows.push(['Eligibility', list(i.eligibility)]);
  rows.push(['Caveats', list(i.caveats)]);
  if (i.pam50) rows.push(['PAM50', i.pam50]);
  if (Array.isArray(i.pending) && i.pending.length > 0) rows.push(['Pending', i.pending.map((p) => p.description).join('; ')]);
  if (Array.isArray(i.unreadable) && i.unreadable.length > 0) rows.push(['Unreadable', i.unreadable.map((u) => `${u.ref} (${u.reason})`).join('; ')]);
  const ctx = i.context;
  if (ctx) {
    const flags = [
      ctx.breastCancer && 'breast cancer',
      ctx.metastatic && 'metastatic',
      ctx.recurrence && 'recurrence',
      ctx.priorEndocrineTherapy && 'prior endocrine therapy',
      ctx.priorChemoMetastatic && 'prior chemotherapy (metastatic)',
      ctx.priorAntiHer2 && 'prior anti-HER2',
      ctx.neoadjuvantTherapy && 'neoadjuvant therapy',
      ctx.tumorCategory && `p${ctx.tumorCategory}`,
      ctx.nodalCategory && `p${ctx.nodalCategory}`,
    ].filter((f): f is string => typeof f === 'string');
    rows.push(['Context', flags.length > 0 ? flags.join(', ') : 'none recorded']);
  }
  rows.push(['Rules', list(i.rules)]);
  rows.push(['Rule set', String(i.ruleSetVersion ?? '')]);
  return rows;
}

function list(values: readonly string[] | undefined): string {
  return Array.isArray(values) && values.length > 0 ? values.join(', ') : 'none';
}

function dated(date: string | null | undefined): string {
  return typeof date === 'string' && date !== '' ? ` (${date.slice(0, 10)})` : '';
}
