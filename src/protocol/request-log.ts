import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { logger } from '../log.js';

/** What a route may add to its request's log line (res.locals.log). Counts and codes only: never ids of
 *  patients, names, dates, tokens or resource content (src/log.ts drops any other field anyway). */
export interface RequestLogFields {
  serviceId?: string;
  hook?: string;
  hookInstance?: string;
  observations?: number;
  fhirCalls?: number;
  cards?: number;
  problems?: number;
  errorCode?: string;
  check?: string;
}

// A client's X-Request-Id is reused only when it cannot carry anything but an id (no spaces, no PHI-shaped text).
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** hookInstance as it may be logged: a UUID as sent (that is what the spec asks clients for), anything else
 *  replaced, since a non-UUID value is free text we cannot vouch for. */
export function loggableHookInstance(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return UUID.test(value) ? value.toLowerCase() : 'non-uuid';
}

/** Gives every request an id (echoed in X-Request-Id) and writes one log line when its response is finished. */
export const requestLog: RequestHandler = (req, res, next) => {
  const started = process.hrtime.bigint();
  const incoming = req.get('x-request-id');
  const requestId = incoming && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.locals.requestId = requestId;
  res.locals.log = {} satisfies RequestLogFields;
  res.setHeader('X-Request-Id', requestId);

  res.on('finish', () => {
    const fields = res.locals.log as RequestLogFields;
    const level = res.statusCode >= 500 ? 'error' : 'info';
    logger.log(level, 'request', {
      requestId,
      method: req.method,
      // The route pattern, not the URL: the path of an unknown route or a query string is client text.
      route: (req.route as { path?: string } | undefined)?.path ?? 'unmatched',
      status: res.statusCode,
      durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
      errorClass: res.locals.errorClass as string | undefined,
      ...fields,
    });
  });
  next();
};

/** The log fields of the current request, for routes to fill in. */
export function logFields(res: { locals: Record<string, unknown> }): RequestLogFields {
  res.locals.log ??= {};
  return res.locals.log as RequestLogFields;
}
