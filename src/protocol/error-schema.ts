import { z } from 'zod';

/**
 * Error bodies. One shape for every error this service produces ({error, message, details?}; auth adds
 * `check`), except 412, which carries a FHIR OperationOutcome as the next CDS Hooks version recommends
 * (../shared/cds-hooks/examples/error-412-operationoutcome.json). Never a stack trace, never request content.
 */
export const errorBodySchema = z.strictObject({
  /** Stable machine-readable code, e.g. "invalid-request", "unknown-service". */
  error: z.string().min(1),
  /** One human sentence saying what is wrong. */
  message: z.string().min(1),
  /** For validation errors: which member is wrong and why. */
  details: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
  /** For 401/403: the auth check that failed (e.g. "aud", "signature"). */
  check: z.string().optional(),
});

export const operationOutcomeSchema = z.looseObject({
  resourceType: z.literal('OperationOutcome'),
  issue: z
    .array(
      z.looseObject({
        severity: z.enum(['fatal', 'error', 'warning', 'information']),
        code: z.string().min(1),
        details: z.looseObject({ text: z.string() }).optional(),
        diagnostics: z.string().optional(),
      }),
    )
    .min(1),
});

export type ErrorBody = z.infer<typeof errorBodySchema>;
export type OperationOutcomeBody = z.infer<typeof operationOutcomeSchema>;
