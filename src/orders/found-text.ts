import type { Interpretation } from '../clinical/types.js';
import type { RecognizedDrug } from '../clinical/drugs.js';
import type { HrStatus } from './order-rules.js';
import { escapeMarkdown } from '../cards/index.js';

/** Short, card-ready description of the HER2 result the check rests on. */
export function her2Found(interpretation: Interpretation): string {
  const her2 = interpretation.her2;
  const caveats = interpretation.caveats;
  switch (her2.category) {
    case 'positive':
      return her2.ihcScore === '3+' ? 'HER2-positive, IHC 3+' : her2.ishGroup ? 'HER2-positive, ISH-positive' : 'HER2-positive';
    case 'equivocal':
      if (caveats.includes('her2-equivocal-pending-ish')) return 'IHC 2+, ISH pending';
      if (caveats.includes('ish-needs-ihc-review')) return 'ISH awaiting IHC review';
      return 'HER2 equivocal';
    case 'low':
      return her2.ihcScore === '2+' ? 'HER2-low, IHC 2+/ISH-negative' : her2.ihcScore === '1+' ? 'HER2-low, IHC 1+' : 'HER2-low';
    case 'ultralow':
      return 'HER2-ultralow, IHC 0 with faint staining';
    case 'zero':
      return 'HER2 IHC 0';
    case 'negative-unspecified':
      return 'HER2-negative, no IHC score';
    case 'indeterminate':
      return 'HER2 test not evaluable';
    case 'unknown':
      return 'no HER2 result on file';
  }
}

export function hrFound(hr: HrStatus): string {
  return hr === 'positive' ? 'HR-positive' : hr === 'negative' ? 'HR-negative' : 'HR status not established';
}

/** "ER 5 % (low-positive), PR negative" style description. */
export function receptorFound(interpretation: Interpretation): string {
  const part = (name: string, r: Interpretation['er']): string => {
    const pct = typeof r.percentPositive === 'number' ? ` ${r.percentPositive} %` : '';
    const label = r.category === 'unknown' ? 'no result' : r.category;
    return pct && r.category !== 'unknown' ? `${name}${pct} (${label})` : `${name} ${label}`;
  };
  return `${part('ER', interpretation.er)}, ${part('PR', interpretation.pr)}`;
}

/** The dated result(s) the category rests on, for the card detail ("Result on file: …"). */
export function resultLine(results: Interpretation['her2']['results'], basis: readonly string[]): string | undefined {
  const used = results.filter((r) => basis.includes(r.ref));
  const shown = (used.length > 0 ? used : results).slice(0, 2);
  if (shown.length === 0) return undefined;
  return `Result on file: ${shown.map((r) => `${escapeMarkdown(r.description)}${r.effectiveDate ? ` (${escapeMarkdown(r.effectiveDate.slice(0, 10))})` : ''}`).join('; ')}.`;
}

const SHORT_NAMES: Record<string, string> = {
  'fam-trastuzumab deruxtecan': 'T-DXd',
  'ado-trastuzumab emtansine': 'T-DM1',
};

/** Drug name for a summary: "trastuzumab", "pertuzumab + trastuzumab", "T-DXd". */
export function drugLabel(drugs: readonly RecognizedDrug[]): string {
  const names = [...new Set(drugs.map((d) => SHORT_NAMES[d.ingredient] ?? d.ingredient))].sort();
  return names.join(' + ');
}
