import content from '../../cards/orders.json' with { type: 'json' };
import ordersSources from '../../cards/orders-sources.json' with { type: 'json' };
import sharedSources from '../../cards/sources.json' with { type: 'json' };

/** One sentence on a card with the source keys it rests on. */
export interface Claim {
  id: string;
  text: string;
  sources: string[];
}

export interface OrderCardContent {
  summary: string;
  claims: Claim[];
  overrideReasons: string[];
  byHer2?: Record<string, Claim>;
  byCaveat?: Record<string, Claim>;
  byDrug?: Record<string, Claim>;
  hrPositive?: Claim;
  hrPositiveHer2Zero?: Claim;
  notes?: Record<string, string>;
  echoCodeSources?: string[];
}

export type OrderCardKind =
  | 'could-not-check'
  | 'anti-her2-not-positive'
  | 'her2-unresolved'
  | 'tdxd-not-eligible'
  | 'tdxd-low-setting'
  | 'tdxd-consistent'
  | 'anti-her2-consistent'
  | 'endocrine-hr-negative'
  | 'endocrine-unknown'
  | 'endocrine-er-low'
  | 'endocrine-consistent'
  | 'cdk46-hr-negative'
  | 'cdk46-unknown'
  | 'lvef-missing';

export type SuggestionKey = 'remove-order' | 'reflex-ish' | 'ihc-review' | 'rereview' | 'echo';

export interface SourceEntry {
  label: string;
  citation?: string;
  url?: string;
}

interface OrdersContentFile {
  overrideReasonSystem: string;
  overrideReasons: Record<string, string>;
  suggestions: Record<SuggestionKey, { label: string; action?: string }>;
  cards: Record<OrderCardKind, OrderCardContent>;
}

/** The order card content (cards/orders.json). */
export const ORDER_CONTENT = content as unknown as OrdersContentFile;

/** Source key → citation, from cards/sources.json (card builder's) and cards/orders-sources.json (ours). */
export function lookupSource(key: string): SourceEntry | undefined {
  const all = { ...(sharedSources as Record<string, unknown>), ...(ordersSources as Record<string, unknown>) };
  const entry = all[key];
  if (typeof entry !== 'object' || entry === null || typeof (entry as SourceEntry).label !== 'string') return undefined;
  return entry as SourceEntry;
}

/** Fills "{name}" placeholders; unknown names are left as they are (a test catches them). */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}
