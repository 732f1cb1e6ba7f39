import { z } from 'zod';

/**
 * Our CDS Hooks 2.0 response ("CDS Service Response"), stricter than the spec where the product promises more
 * (issue 4): every card has a uuid (so feedback can come back), a markdown detail and a source with a url;
 * every suggestion has a uuid and actions; a card with suggestions has selectionBehavior; a warning card has
 * overrideReasons. Objects are strict: we send only spec fields plus `extension`.
 * Tests validate every response we produce against this schema (and the OpenAPI made from it).
 */

const absoluteUrl = z.url({ protocol: /^https?$/ });

export const codingSchema = z.strictObject({
  system: z.string().min(1),
  code: z.string().min(1),
  display: z.string().min(1).optional(),
});

export const actionSchema = z.strictObject({
  type: z.enum(['create', 'update', 'delete']),
  description: z.string().min(1),
  resource: z.looseObject({ resourceType: z.string().min(1) }).optional(),
  resourceId: z.string().regex(/^[A-Za-z]+\/[A-Za-z0-9.-]{1,64}$/).optional(),
});

export const suggestionSchema = z.strictObject({
  label: z.string().min(1),
  uuid: z.uuid(),
  isRecommended: z.boolean().optional(),
  actions: z.array(actionSchema).min(1),
});

export const linkSchema = z.strictObject({
  label: z.string().min(1),
  url: absoluteUrl,
  type: z.enum(['absolute', 'smart']),
  appContext: z.string().min(1).optional(),
  autolaunchable: z.boolean().optional(),
});

export const sourceSchema = z.strictObject({
  label: z.string().min(1),
  url: absoluteUrl,
  icon: absoluteUrl.optional(),
  topic: codingSchema.optional(),
});

export const cardSchema = z
  .strictObject({
    uuid: z.uuid(),
    // The spec: "fewer than 140 characters".
    summary: z.string().min(1).max(139),
    detail: z.string().min(1),
    indicator: z.enum(['info', 'warning', 'critical']),
    source: sourceSchema,
    suggestions: z.array(suggestionSchema).min(1).optional(),
    selectionBehavior: z.enum(['at-most-one', 'any']).optional(),
    overrideReasons: z.array(codingSchema.extend({ display: z.string().min(1) })).min(1).optional(),
    links: z.array(linkSchema).min(1).optional(),
    extension: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((card, ctx) => {
    if (card.suggestions && !card.selectionBehavior) {
      ctx.addIssue({ code: 'custom', path: ['selectionBehavior'], message: 'a card with suggestions must carry selectionBehavior' });
    }
    if (card.indicator === 'warning' && !card.overrideReasons) {
      ctx.addIssue({ code: 'custom', path: ['overrideReasons'], message: 'a warning card must carry overrideReasons' });
    }
  });

export const hookResponseSchema = z.strictObject({
  cards: z.array(cardSchema),
  systemActions: z.array(actionSchema).optional(),
});

export type HookResponse = z.infer<typeof hookResponseSchema>;
