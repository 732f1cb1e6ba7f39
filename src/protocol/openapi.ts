import { z } from 'zod';
import { serviceSchema, discoverySchema } from './discovery-schema.js';
import { errorBodySchema, operationOutcomeSchema } from './error-schema.js';
import {
  hookRequestSchema,
  orderSelectRequestSchema,
  orderSignRequestSchema,
  patientViewRequestSchema,
} from './request-schema.js';
import { cardSchema, hookResponseSchema } from './response-schema.js';
import { feedbackRequestSchema } from './feedback-schema.js';

/** JSON Schema 2020-12 (what OpenAPI 3.1 uses) from a zod schema, as the service validates it. Requests are
 *  described as accepted (input), responses as produced (output). */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ 'application/json': { schema: ref(name) } });
const error = (description: string) => ({ description, content: json('Error') });

/**
 * There is no official OpenAPI for CDS Hooks 2.0 (../shared/cds-hooks/NOTES.md): this one describes *our*
 * endpoints, generated from the same zod schemas the routes validate with, so it cannot drift from them.
 */
export function buildOpenApi(opts: { publicBaseUrl: string; version: string }): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'HER2/ER/PR CDS Hooks service',
      version: opts.version,
      description:
        'CDS Hooks 2.0 service (patient-view, order-select, order-sign). Errors are {error, message, details?} ' +
        '(401/403 add `check`); 412 carries a FHIR OperationOutcome.',
    },
    servers: [{ url: opts.publicBaseUrl }],
    components: {
      securitySchemes: {
        cdsHooksJwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'CDS Hooks client JWT; aud = the URL called.' },
        adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' },
      },
      schemas: {
        DiscoveryResponse: jsonSchema(discoverySchema, 'output'),
        CdsService: jsonSchema(serviceSchema, 'output'),
        HookRequest: jsonSchema(hookRequestSchema, 'input'),
        PatientViewRequest: jsonSchema(patientViewRequestSchema, 'input'),
        OrderSelectRequest: jsonSchema(orderSelectRequestSchema, 'input'),
        OrderSignRequest: jsonSchema(orderSignRequestSchema, 'input'),
        HookResponse: jsonSchema(hookResponseSchema, 'output'),
        Card: jsonSchema(cardSchema, 'output'),
        Error: jsonSchema(errorBodySchema, 'output'),
        OperationOutcome: jsonSchema(operationOutcomeSchema, 'output'),
        Status: { type: 'object', properties: { status: { type: 'string' } }, required: ['status'] },
        FeedbackRequest: jsonSchema(feedbackRequestSchema, 'input'),
      },
    },
    paths: {
      '/cds-services': {
        get: {
          summary: 'Discovery',
          security: [{}, { cdsHooksJwt: [] }],
          responses: { '200': { description: 'The services offered', content: json('DiscoveryResponse') }, '401': error('Invalid token') },
        },
      },
      '/cds-services/{id}': {
        post: {
          summary: 'Call a CDS service (hook request)',
          security: [{ cdsHooksJwt: [] }],
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: ref('HookRequest') }, 'application/fhir+json': { schema: ref('HookRequest') } },
          },
          responses: {
            '200': { description: 'Cards', content: json('HookResponse') },
            '400': error('Malformed JSON, wrong content type, hook not matching the service, missing or invalid context'),
            '401': error('Missing or invalid JWT'),
            '403': error('Caller not allowed (service or fhirServer)'),
            '404': error('Unknown service id'),
            '405': error('Method not allowed'),
            '412': {
              description: 'Biomarker data neither prefetched nor obtainable from fhirServer',
              content: { 'application/json': { schema: ref('OperationOutcome') } },
            },
            '413': error('Body over BODY_LIMIT'),
          },
        },
      },
      '/cds-services/{id}/feedback': {
        post: {
          summary: 'Feedback on cards (accepted / overridden); overrides meaning "done / not applicable" suppress the card for that patient',
          security: [{ cdsHooksJwt: [] }],
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { required: true, content: json('FeedbackRequest') },
          responses: {
            '200': { description: 'Stored (idempotent); no body' },
            '400': error('Malformed JSON, wrong content type or invalid feedback body'),
            '401': error('Missing or invalid JWT (aud = the feedback URL)'),
            '403': error('Caller not allowed'),
            '404': error('Unknown service id, or a card this service did not issue (nothing stored)'),
            '503': error('Feedback database unavailable'),
          },
        },
      },
      '/admin/feedback/summary': {
        get: {
          summary: 'Acceptance and override rates per card kind and reason (only when ADMIN_TOKEN is set)',
          security: [{ adminToken: [] }],
          parameters: [{ name: 'since', in: 'query', required: false, schema: { type: 'string' }, description: '30d, 12h or a date; default 30d' }],
          responses: {
            '200': { description: 'The report', content: { 'application/json': { schema: { type: 'object' } } } },
            '401': error('Missing or wrong ADMIN_TOKEN'),
            '404': error('Admin endpoints disabled (no ADMIN_TOKEN)'),
            '503': error('Feedback database unavailable'),
          },
        },
      },
      '/health': { get: { summary: 'Liveness', responses: { '200': { description: 'Alive', content: json('Status') } } } },
      '/ready': {
        get: {
          summary: 'Readiness',
          responses: { '200': { description: 'Ready', content: json('Status') }, '503': { description: 'Draining', content: json('Status') } },
        },
      },
      '/openapi.json': { get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1' } } } },
    },
  };
}
