import content from '../../cards/orders.json' with { type: 'json' };
import ordersSources from '../../cards/orders-sources.json' with { type: 'json' };
import sharedOverride from '../../cards/override-reasons.json' with { type: 'json' };
import { OVERRIDE_REASON_SYSTEM, sourceFor } from '../cards/index.js';

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

/** Every suggestion carries an action (our response schema); advice without an action stays in the detail. */
export type SuggestionKey = 'remove-order' | 'reflex-ish' | 'ihc-review' | 'echo';

export interface SourceEntry {
  label: string;
  citation?: string;
  url?: string;
}

interface OrdersContentFile {
  overrideReasons: Record<string, string>;
  suggestions: Record<SuggestionKey, { label: string; action?: string }>;
  cards: Record<OrderCardKind, OrderCardContent>;
}

/** The order card content (cards/orders.json). */
export const ORDER_CONTENT = content as unknown as OrdersContentFile;

/** Source key → citation: the card builder's lookup (cards/sources.json), then ours (cards/orders-sources.json). */
export function lookupSource(key: string): SourceEntry | undefined {
  const own = (ordersSources as Record<string, unknown>)[key];
  if (typeof own === 'object' && own !== null && typeof (own as SourceEntry).label === 'string') return own as SourceEntry;
  try {
    return sourceFor(key);
  } catch {
    return undefined; // unknown key: a content error, caught by the content test
  }
}

/** Override reason codes → Coding in the service's one code system (cards/override-reasons.json). */
export function overrideReasons(codes: readonly string[]): Array<{ system: string; code: string; display: string }> {
  const shared = (sharedOverride as { reasons: Record<string, string> }).reasons;
  return codes.map((code) => ({
    system: OVERRIDE_REASON_SYSTEM,
    code,
    display: shared[code] ?? ORDER_CONTENT.overrideReasons[code] ?? code,
  }));
}

/** Fills "{name}" placeholders; unknown names are left as they are (a test catches them). */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}
