import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { buildReport, parseSince } from '../feedback/report.js';
import type { FeedbackRuntime } from '../feedback/runtime.js';
import { logger } from '../log.js';
import { badRequest, HttpError } from './errors.js';

/** Constant-time comparison of the bearer token with ADMIN_TOKEN (both hashed first, so lengths leak nothing). */
export function adminTokenMatches(header: string | undefined, adminToken: string): boolean {
  const match = /^Bearer ([^\s]+)$/.exec(header ?? '');
  if (!match) return false;
  const a = createHash('sha256').update(match[1]!).digest();
  const b = createHash('sha256').update(adminToken).digest();
  return timingSafeEqual(a, b);
}

/**
 * GET /admin/feedback/summary?since=30d: acceptance and override rates per card kind and reason. Protected by
 * ADMIN_TOKEN (Authorization: Bearer …); without ADMIN_TOKEN the route is not mounted (404).
 */
export function adminSummaryRoute(deps: { adminToken: string; runtime?: Pick<FeedbackRuntime, 'service' | 'state'>; now?: () => Date }): RequestHandler {
  return async (req, res) => {
    if (!adminTokenMatches(req.get('authorization'), deps.adminToken)) {
      res.set('WWW-Authenticate', 'Bearer realm="her2-cds-admin"');
      throw new HttpError(401, { error: 'unauthorized', message: 'Authorization: Bearer <ADMIN_TOKEN> is required.' });
    }
    let since: Date;
    try {
      since = parseSince(typeof req.query.since === 'string' ? req.query.since : undefined, (deps.now ?? (() => new Date()))());
    } catch {
      throw badRequest('invalid-since', 'since must be like 30d, 12h or 2026-01-31.');
    }
    const service = deps.runtime?.state === 'ready' ? deps.runtime.service : undefined;
    if (!service) throw new HttpError(503, { error: 'feedback-unavailable', message: 'The feedback database is not available.' });
    try {
      await service.flushIssued();
      const [rows, issued] = await Promise.all([service.store.summary(since), service.store.issuedCounts(since)]);
      res.json(buildReport(since, rows, issued));
    } catch (err) {
      logger.error('feedback summary failed', { component: 'feedback', errorClass: err instanceof Error ? err.name : typeof err });
      throw new HttpError(503, { error: 'feedback-unavailable', message: 'The feedback database is not available.' });
    }
  };
}
