import { z } from 'zod';

/**
 * CDS Hooks 2.0 request bodies ("Calling a CDS Service" and the hook pages), lenient on shape the way real
 * clients need (../shared/cds-hooks/CLIENT-BEHAVIOUR.md): unknown members and `extension` are tolerated
 * everywhere (loose objects, never strict), draft orders are not FHIR-validated (the Sandbox sends a Bundle
 * without `type` and an R4 `category` as a single object), and `fhirAuthorization` may lack `access_token`
 * (the Da Vinci CRD generator when not logged in), which we treat as "no token".
 */

/** hookInstance: the spec says UUID, but it is no key of ours (never a cache or replay key), so any short
 *  non-empty string is accepted; only UUID-shaped values are logged (see protocol/request-log.ts). */
export const hookInstanceSchema = z.string().min(1).max(128);

const nonEmpty = z.string().min(1);

/** "Type/id" as used in context.userId and selections. */
const reference = z.string().regex(/^[A-Za-z]+\/[A-Za-z0-9.-]{1,64}$/, 'must be a relative reference "Type/id"');

/** FHIR resource ids ([A-Za-z0-9\-\.]{1,64}); patientId is an id, not "Patient/id". */
const fhirId = z.string().regex(/^[A-Za-z0-9.-]{1,64}$/, 'must be a FHIR id (1-64 letters, digits, "-" or ".", no "Patient/" prefix)');

const resource = z.looseObject({ resourceType: z.string().min(1) });

/** A Bundle of draft orders: only its outline is checked (entries hold resources with a resourceType). */
export const draftOrdersSchema = z.looseObject({
  resourceType: z.literal('Bundle'),
  entry: z.array(z.looseObject({ resource: resource.optional() })).optional(),
});

export const fhirAuthorizationSchema = z.looseObject({
  access_token: z.string().optional(),
  token_type: z.string().optional(),
  expires_in: z.number().optional(),
  scope: z.string().optional(),
  subject: z.string().optional(),
  patient: z.string().optional(),
});

const patientViewContext = z.looseObject({
  userId: reference,
  patientId: fhirId,
  encounterId: nonEmpty.optional(),
});

const orderSelectContext = patientViewContext.extend({
  selections: z.array(reference).min(1),
  draftOrders: draftOrdersSchema,
});

const orderSignContext = patientViewContext.extend({
  draftOrders: draftOrdersSchema,
});

/** A prefetch value: a FHIR resource (usually a Bundle) or null ("the client had no data"). Anything else is
 *  passed on too: the data layer treats junk under a key as a failed client fetch, not as a bad request. */
const prefetchSchema = z.record(z.string(), z.unknown());

const common = {
  hookInstance: hookInstanceSchema,
  fhirServer: z.url({ protocol: /^https?$/ }).optional(),
  fhirAuthorization: fhirAuthorizationSchema.optional(),
  prefetch: prefetchSchema.optional(),
  extension: z.record(z.string(), z.unknown()).optional(),
};

export const patientViewRequestSchema = z.looseObject({ hook: z.literal('patient-view'), context: patientViewContext, ...common });
export const orderSelectRequestSchema = z.looseObject({ hook: z.literal('order-select'), context: orderSelectContext, ...common });
export const orderSignRequestSchema = z.looseObject({ hook: z.literal('order-sign'), context: orderSignContext, ...common });

/** One schema per implemented hook: the route picks it from the *service's* hook, so a body whose `hook`
 *  differs is refused before its context is read. */
export const hookRequestSchemas = {
  'patient-view': patientViewRequestSchema,
  'order-select': orderSelectRequestSchema,
  'order-sign': orderSignRequestSchema,
} as const;

export const hookRequestSchema = z.discriminatedUnion('hook', [
  patientViewRequestSchema,
  orderSelectRequestSchema,
  orderSignRequestSchema,
]);

export type HookRequest = z.infer<typeof hookRequestSchema>;
export type DraftOrders = z.infer<typeof draftOrdersSchema>;
