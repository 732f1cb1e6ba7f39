import { z } from 'zod';

/** The hooks this service implements: a discovery entry for any other hook could never be served. */
export const IMPLEMENTED_HOOKS = ['patient-view', 'order-select', 'order-sign'] as const;
export type HookName = (typeof IMPLEMENTED_HOOKS)[number];

/** CDS Hooks 2.0 prefetch tokens ("Prefetch tokens"): first-level primitive context fields marked
 *  "Prefetch Token: Yes" by our three hooks, plus the four user-derived tokens. Nested paths and FHIRPath
 *  (`{{today()}}`) are not 2.0 and are refused so that a spec-conformant EHR can fill every template we publish. */
export const PREFETCH_TOKENS: ReadonlySet<string> = new Set([
  'context.patientId',
  'context.userId',
  'context.encounterId',
  'userPractitionerId',
  'userPractitionerRoleId',
  'userPatientId',
  'userRelatedPersonId',
]);

const nonEmpty = z.string().trim().min(1);

/** A relative FHIR read or search URL whose `{{ }}` tokens are all 2.0 tokens. */
export const prefetchTemplateSchema = z
  .string()
  .min(1)
  .superRefine((template, ctx) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(template) || template.startsWith('/')) {
      ctx.addIssue({ code: 'custom', message: `template "${template}" must be a relative FHIR URL such as "Patient/{{context.patientId}}"` });
    }
    if (!/^[A-Z][A-Za-z]+([/?]|$)/.test(template)) {
      ctx.addIssue({ code: 'custom', message: `template "${template}" must start with a FHIR resource type` });
    }
    const withoutTokens = template.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (_match, token: string) => {
      if (!PREFETCH_TOKENS.has(token)) {
        ctx.addIssue({
          code: 'custom',
          message: `token "{{${token}}}" is not a CDS Hooks 2.0 prefetch token (allowed: ${[...PREFETCH_TOKENS].map((t) => `{{${t}}}`).join(', ')})`,
        });
      }
      return '';
    });
    if (withoutTokens.includes('{{') || withoutTokens.includes('}}')) {
      ctx.addIssue({ code: 'custom', message: `template "${template}" has an unbalanced "{{" or "}}"` });
    }
  });

/** One discovery entry ("Discovery" table of the 2.0.1 spec). Strict: we publish only spec fields. */
export const serviceSchema = z
  .strictObject({
    hook: z.enum(IMPLEMENTED_HOOKS),
    // The id becomes a path segment: {baseUrl}/cds-services/{id}.
    id: z.string().regex(/^[A-Za-z0-9._~-]{1,64}$/, 'must be 1-64 URL-safe characters (letters, digits, . _ ~ -)'),
    title: nonEmpty.optional(),
    description: nonEmpty,
    prefetch: z
      .record(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'prefetch keys must be 1-64 letters, digits, _ or -'), prefetchTemplateSchema)
      .refine((p) => Object.keys(p).length > 0, 'must not be empty (omit it instead)')
      .optional(),
    usageRequirements: nonEmpty.optional(),
    extension: z.record(z.string(), z.unknown()).optional(),
  });

export const discoverySchema = z
  .strictObject({ services: z.array(serviceSchema) })
  .superRefine((doc, ctx) => {
    // The same id MAY appear under several hooks ("update stale guidance"), but once per hook.
    const seen = new Set<string>();
    doc.services.forEach((service, index) => {
      const key = `${service.hook} ${service.id}`;
      if (seen.has(key)) {
        ctx.addIssue({ code: 'custom', path: ['services', index, 'id'], message: `service "${service.id}" is listed twice for hook "${service.hook}"` });
      }
      seen.add(key);
    });
  });

export type CdsService = z.infer<typeof serviceSchema>;
export type DiscoveryDocument = z.infer<typeof discoverySchema>;
