import type { Interpretation } from '../clinical/types.js';
import type { RecognizedDrug } from '../clinical/drugs.js';
import { CARD_KIND_EXTENSION_KEY, type Action, type Card, type Indicator, type Suggestion } from '../cards/types.js';
import { fitSummary } from '../cards/index.js';
import { ORDER_CONTENT, fill, lookupSource, overrideReasons, type Claim, type OrderCardKind, type SuggestionKey } from './order-content.js';
import type { BiomarkerFacts } from './order-rules.js';

const LOINC = 'http://loinc.org';

/** ServiceRequest codes we may suggest (CODES.md §3, tier A). */
export const SERVICE_CODES = {
  'reflex-ish': { code: '85318-4', display: 'ERBB2 gene duplication [Presence] in Breast cancer specimen by FISH' },
  'ihc-review': { code: '85319-2', display: 'HER2 [Presence] in Breast cancer specimen by Immune stain' },
  echo: { code: '34552-0', display: 'Cardiac 2D echo panel' },
} as const;

/** Everything a card needs besides its own finding. */
export interface CardContext {
  interpretation: Interpretation;
  facts: BiomarkerFacts;
  patientId: string;
  newId: () => string;
  /** The summary card's extension (carries "biomarker-interpretation"). */
  extension: Record<string, unknown>;
  hook: 'order-select' | 'order-sign';
}

export interface CardRequest {
  kind: OrderCardKind;
  indicator: Indicator;
  ruleId: string;
  /** The order concerned ("MedicationRequest/<id>"); absent for the response-wide LVEF card. */
  orderRef?: string;
  deletable?: boolean;
  drugs: RecognizedDrug[];
  claims: Claim[];
  notes: string[];
  values: Record<string, string>;
  suggestions: SuggestionKey[];
  /** Result references a suggested test rests on (ServiceRequest.reasonReference). */
  reasonRefs?: string[];
}

/** A finding → one CDS Hooks card, with sources, override reasons, suggestions and the interpretation
 *  extension. Pure. */
export function buildOrderCard(request: CardRequest, ctx: CardContext): Card {
  const content = ORDER_CONTENT.cards[request.kind];
  const sourceKeys = unique(request.claims.flatMap((c) => c.sources));
  // The card's source must carry a url (our response schema): the first cited source that has one.
  const cited = sourceKeys.map(lookupSource).filter((s) => s !== undefined);
  const primary = cited.find((s) => s.url !== undefined) ?? cited[0];
  const suggestions = request.suggestions
    .map((key) => buildSuggestion(key, request, ctx))
    .filter((s): s is Suggestion => s !== undefined);
  const card: Card = {
    uuid: ctx.newId(),
    summary: shorten(fill(content.summary, request.values)),
    detail: buildDetail(request, sourceKeys),
    indicator: request.indicator,
    source: primary ? { label: primary.label, ...(primary.url ? { url: primary.url } : {}) } : { label: 'HER2/ER/PR order check' },
    extension: {
      ...ctx.extension,
      [CARD_KIND_EXTENSION_KEY]: `order/${request.kind}`,
      'order-check': {
        rule: request.ruleId,
        kind: request.kind,
        hook: ctx.hook,
        ...(request.orderRef ? { order: request.orderRef } : {}),
        drugs: request.drugs.map((d) => d.ingredient),
        sources: sourceKeys,
      },
    },
  };
  if (suggestions.length > 0) {
    card.suggestions = suggestions;
    card.selectionBehavior = 'at-most-one';
  }
  const reasons = overrideReasons(content.overrideReasons);
  if (reasons.length > 0) card.overrideReasons = reasons;
  return card;
}

function buildDetail(request: CardRequest, sourceKeys: string[]): string {
  const lines = request.claims.filter((c) => c.text !== '').map((c) => fill(c.text, request.values));
  lines.push(...request.notes.map((n) => fill(n, request.values)));
  const sources = sourceKeys
    .map((key) => lookupSource(key))
    .filter((s) => s !== undefined)
    .map((s, n) => `${n + 1}. ${s.citation ?? s.label}${s.url ? ` <${s.url}>` : ''}`);
  if (sources.length > 0) lines.push(`#### Sources\n${sources.join('\n')}`);
  return lines.join('\n\n');
}

function buildSuggestion(key: SuggestionKey, request: CardRequest, ctx: CardContext): Suggestion | undefined {
  const text = ORDER_CONTENT.suggestions[key];
  const label = fill(text.label, request.values);
  if (key === 'remove-order') {
    if (!request.orderRef || !request.deletable) return undefined;
    const action: Action = {
      type: 'delete',
      description: fill(text.action ?? label, { ...request.values, ref: request.orderRef }),
      resourceId: request.orderRef,
    };
    return { label, uuid: ctx.newId(), actions: [action] };
  }
  const code = SERVICE_CODES[key];
  const resource: Record<string, unknown> = {
    resourceType: 'ServiceRequest',
    status: 'draft',
    intent: 'order',
    subject: { reference: `Patient/${ctx.patientId}` },
    code: { coding: [{ system: LOINC, code: code.code, display: code.display }], text: code.display },
  };
  if (request.reasonRefs && request.reasonRefs.length > 0) {
    resource.reasonReference = request.reasonRefs.map((reference) => ({ reference }));
  }
  return {
    label,
    uuid: ctx.newId(),
    isRecommended: true,
    actions: [{ type: 'create', description: text.action ?? label, resource }],
  };
}

/** CDS Hooks: summary fewer than 140 characters (the card builder's rule). */
function shorten(text: string): string {
  return fitSummary([text.charAt(0).toUpperCase() + text.slice(1)]);
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
