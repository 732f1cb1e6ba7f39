import { z } from 'zod';

/**
 * CDS Hooks 2.0 feedback body (../shared/cds-hooks/NOTES.md §5): {feedback: [item, …]}. Lenient where real
 * clients differ: unknown members are tolerated, `display` is optional, and the 2020 Sandbox shape
 * `overrideReason: {code, system}` (without the `reason` wrapper) is read as `{reason: {code, system}}`.
 */
const coding = z.looseObject({
  system: z.string().min(1).max(500).optional(),
  code: z.string().min(1).max(200),
  display: z.string().max(1000).optional(),
});

const overrideReason = z.preprocess(
  (value) => {
    if (typeof value !== 'object' || value === null || 'reason' in value || !('code' in value)) return value;
    const { code, system, display, ...rest } = value as Record<string, unknown>;
    return { ...rest, reason: { code, system, display } };
  },
  z.looseObject({
    reason: coding.optional(),
    userComment: z.string().max(10_000).optional(),
  }),
);

export const feedbackItemSchema = z
  .looseObject({
    card: z.string().min(1).max(200),
    outcome: z.enum(['accepted', 'overridden']),
    acceptedSuggestions: z.array(z.looseObject({ id: z.string().min(1).max(200) })).max(100).optional(),
    overrideReason: overrideReason.optional(),
    outcomeTimestamp: z.iso.datetime({ offset: true }),
  })
  .superRefine((item, ctx) => {
    if (item.outcome === 'accepted' && (item.acceptedSuggestions ?? []).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['acceptedSuggestions'], message: 'required (at least one {id}) when outcome is "accepted"' });
    }
  });

export const feedbackRequestSchema = z.looseObject({
  feedback: z.array(feedbackItemSchema).min(1).max(100),
});

export type FeedbackRequest = z.infer<typeof feedbackRequestSchema>;
