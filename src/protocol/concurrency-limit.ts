import type { RequestHandler } from 'express';

export interface ConcurrencyLimitOptions {
  /** Hook calls allowed in flight at once; the next one is refused, not queued. */
  max: number;
  /** Sent as Retry-After (seconds) with the 503. */
  retryAfterSeconds: number;
}

/** A snapshot of the limiter, for tests and metrics. */
export interface ConcurrencyLimiter extends RequestHandler {
  readonly inFlight: number;
  readonly refused: number;
}

/**
 * Bounds the hook calls running at once (issue 10, "graceful under pressure"). Past `max`, a call gets 503 with
 * Retry-After at once instead of waiting in an unbounded queue: an EHR waits a few seconds at most for cards, so a
 * queued call would be answered after its client gave up, while it still holds memory and FHIR requests. The load
 * balancer or the EHR retries on another instance. Mount it on the hook routes only: health, readiness and
 * discovery must keep answering under load.
 *
 * A slot is held until the response is finished or its connection closes. A call whose client went away keeps
 * working until the FHIR time budget ends; it is not counted any more, but that work is bounded by the budget.
 */
export function concurrencyLimit(options: ConcurrencyLimitOptions): ConcurrencyLimiter {
  if (!Number.isInteger(options.max) || options.max < 1) throw new RangeError('concurrencyLimit: max must be a whole number >= 1');
  const retryAfter = String(Math.max(0, Math.round(options.retryAfterSeconds)));
  let inFlight = 0;
  let refused = 0;

  const middleware: RequestHandler = (_req, res, next) => {
    if (inFlight >= options.max) {
      refused++;
      res.setHeader('Retry-After', retryAfter);
      res.status(503).json({
        error: 'overloaded',
        message: `The service is answering as many calls as it can; retry after ${retryAfter} s.`,
      });
      return;
    }
    inFlight++;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      inFlight--;
    };
    res.once('finish', release);
    res.once('close', release);
    next();
  };

  return Object.defineProperties(middleware, {
    inFlight: { get: () => inFlight, enumerable: true },
    refused: { get: () => refused, enumerable: true },
  }) as ConcurrencyLimiter;
}
