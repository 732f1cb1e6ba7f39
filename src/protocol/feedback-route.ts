import type { RequestHandler } from 'express';
import { audienceFor } from '../auth/audience.js';
import type { CdsAuth } from '../auth/types.js';
import type { FeedbackRuntime } from '../feedback/runtime.js';
import { UnknownCardError } from '../feedback/service.js';
import { logger } from '../log.js';
import type { DiscoveryDocument } from './discovery-schema.js';
import { badRequest, HttpError, zodDetails } from './errors.js';
import { feedbackRequestSchema } from './feedback-schema.js';
import { logFields } from './request-log.js';

const JSON_TYPES = ['application/json', 'application/fhir+json'];

const UNAVAILABLE = new HttpError(503, {
  error: 'feedback-unavailable',
  message: 'Feedback cannot be stored right now (database unavailable); the cards are not affected. Retry later.',
});

/**
 * POST /cds-services/{id}/feedback (CDS Hooks 2.0 "Feedback"; ../shared/cds-hooks/NOTES.md §5): the same JWT
 * checks as the service with the feedback URL as audience, the body validated, every card checked to be one we
 * issued for this service (404 otherwise, nothing stored), then stored idempotently. 200 without a body.
 */
export function feedbackRoute(deps: {
  services: DiscoveryDocument;
  auth: CdsAuth;
  publicBaseUrl: string;
  runtime?: Pick<FeedbackRuntime, 'service' | 'state'>;
}): RequestHandler {
  const ids = new Set(deps.services.services.map((s) => s.id));
  return async (req, res) => {
    const id = String(req.params.id);
    if (!ids.has(id)) throw new HttpError(404, { error: 'unknown-service', message: 'No CDS service has this id. See GET /cds-services.' });
    const log = logFields(res);
    log.serviceId = id;
    await deps.auth.verify(req.get('authorization'), audienceFor(deps.publicBaseUrl, `/cds-services/${id}/feedback`), { required: true });

    if (!req.is(JSON_TYPES)) throw badRequest('unsupported-content-type', 'Send feedback as JSON (Content-Type: application/json).');
    const parsed = feedbackRequestSchema.safeParse(req.body);
    if (!parsed.success) throw badRequest('invalid-feedback', 'The feedback body is not valid CDS Hooks 2.0 feedback.', zodDetails(parsed.error));

    const service = deps.runtime?.state === 'ready' ? deps.runtime.service : undefined;
    if (!service) throw UNAVAILABLE;
    try {
      const items = parsed.data.feedback.map((f) => ({
        card: f.card,
        outcome: f.outcome,
        ...(f.acceptedSuggestions ? { acceptedSuggestions: f.acceptedSuggestions.map((s) => ({ id: s.id })) } : {}),
        ...(f.overrideReason
          ? {
              overrideReason: {
                ...(f.overrideReason.reason ? { reason: { code: f.overrideReason.reason.code, ...(f.overrideReason.reason.system ? { system: f.overrideReason.reason.system } : {}) } } : {}),
                ...(f.overrideReason.userComment ? { userComment: f.overrideReason.userComment } : {}),
              },
            }
          : {}),
        outcomeTimestamp: f.outcomeTimestamp,
      }));
      log.cards = items.length;
      await service.receive(id, items);
    } catch (err) {
      if (err instanceof UnknownCardError) {
        throw new HttpError(404, {
          error: 'unknown-card',
          message: 'Feedback names a card this service did not issue (or whose record has expired); nothing was stored.',
          details: err.indexes.slice(0, 20).map((n) => ({ path: `feedback.${n}.card`, message: 'no card with this uuid was issued by this service' })),
        });
      }
      logger.error('feedback not stored: database fault', { component: 'feedback', errorClass: err instanceof Error ? err.name : typeof err });
      throw UNAVAILABLE;
    }
    res.status(200).end();
  };
}
