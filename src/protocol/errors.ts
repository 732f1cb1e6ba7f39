import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { z } from 'zod';
import { authErrorBody, authErrorHeaders } from '../auth/error-body.js';
import { AuthError } from '../auth/types.js';
import { logger } from '../log.js';
import type { ErrorBody, OperationOutcomeBody } from './error-schema.js';
import { logFields } from './request-log.js';

/** An error that already knows its HTTP answer. Thrown by routes; turned into a response by errorHandler. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody | OperationOutcomeBody,
  ) {
    super(`HTTP ${status}`);
    this.name = 'HttpError';
  }
}

export function badRequest(error: string, message: string, details?: ErrorBody['details']): HttpError {
  return new HttpError(400, { error, message, ...(details ? { details } : {}) });
}

/** zod issues → {path, message} pairs. Messages are zod's or ours; they never echo the received value. */
export function zodDetails(error: z.ZodError): NonNullable<ErrorBody['details']> {
  return error.issues.slice(0, 20).map((issue) => ({
    path: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }));
}

/** Body-parser failures (express.json) by their `type`. */
const BODY_PARSER_ERRORS: Record<string, { status: number; error: string; message: string }> = {
  'entity.parse.failed': { status: 400, error: 'malformed-json', message: 'The request body is not valid JSON.' },
  'entity.too.large': { status: 413, error: 'body-too-large', message: 'The request body is larger than this service accepts (BODY_LIMIT).' },
  'encoding.unsupported': { status: 400, error: 'unsupported-encoding', message: 'The request body uses an unsupported Content-Encoding.' },
  'charset.unsupported': { status: 400, error: 'unsupported-charset', message: 'The request body uses an unsupported charset; send UTF-8.' },
  'request.aborted': { status: 400, error: 'request-aborted', message: 'The client aborted the request.' },
  'request.size.invalid': { status: 400, error: 'invalid-length', message: 'The request body does not match its Content-Length.' },
};

export const notFoundHandler: RequestHandler = (_req, _res, next) => {
  next(new HttpError(404, { error: 'not-found', message: 'No such endpoint. See GET /openapi.json for the endpoints.' }));
};

/** The last middleware: every error becomes a JSON answer; unexpected ones are 500 without any detail. */
export const errorHandler: ErrorRequestHandler = (err: unknown, _req, res, next) => {
  if (res.headersSent) {
    next(err);
    return;
  }
  const { status, body } = toResponse(err);
  const errorClass = err instanceof Error ? err.name : typeof err;
  res.locals.errorClass = errorClass;
  const log = logFields(res);
  log.errorCode = 'error' in body && typeof body.error === 'string' ? body.error : 'precondition-failed';
  if (err instanceof AuthError) log.check = err.check;
  if (status >= 500) logger.error('unexpected error', { requestId: res.locals.requestId as string | undefined, errorClass });
  if (err instanceof AuthError) res.set(authErrorHeaders(err));
  res.status(status).json(body);
};

function toResponse(err: unknown): { status: number; body: ErrorBody | OperationOutcomeBody } {
  if (err instanceof HttpError) return { status: err.status, body: err.body };
  if (err instanceof AuthError) {
    return { status: err.status, body: authErrorBody(err) };
  }
  const type = typeof err === 'object' && err !== null && 'type' in err ? String((err as { type: unknown }).type) : '';
  const known = BODY_PARSER_ERRORS[type];
  if (known) return { status: known.status, body: { error: known.error, message: known.message } };
  // Any other client fault express or body-parser recognised (an unsupported or broken Content-Encoding, a URL
  // with bad percent-encoding) carries a 4xx status: it is the client's, never a 500 (found by the HTTP fuzzer).
  const status = typeof err === 'object' && err !== null && 'status' in err ? Number((err as { status: unknown }).status) : 0;
  if (status >= 400 && status < 500) {
    return { status, body: { error: 'unreadable-request', message: 'The request body or URL could not be read (check Content-Encoding and URL encoding).' } };
  }
  return { status: 500, body: { error: 'internal', message: 'The service failed to process the request.' } };
}
