import { readFileSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import { createCdsAuth } from './auth/index.js';
import { createCorsMiddleware } from './auth/cors.js';
import { securityHeaders } from './auth/security-headers.js';
import type { CdsAuth } from './auth/types.js';
import { interpret } from './clinical/interpret.js';
import type { Config } from './config/index.js';
import type { EmbeddedMode } from './embedded/index.js';
import { repoRoot } from './config/repo-root.js';
import { resolvePrefetch } from './data/resolve.js';
import { discoveryRoute } from './protocol/discovery-route.js';
import { errorHandler, notFoundHandler } from './protocol/errors.js';
import { healthRoutes, Lifecycle, methodNotAllowed, refuseWhileDraining } from './protocol/health.js';
import { hookRoute, type HookDeps } from './protocol/hook-route.js';
import { buildOpenApi } from './protocol/openapi.js';
import { concurrencyLimit } from './protocol/concurrency-limit.js';
import { sourcesRoute } from './protocol/sources-route.js';
import { requestLog } from './protocol/request-log.js';
import type { FeedbackRuntime } from './feedback/runtime.js';
import { adminSummaryRoute } from './protocol/admin-route.js';
import { hookFeedback } from './protocol/feedback-hook.js';
import { feedbackRoute } from './protocol/feedback-route.js';

export interface AppOptions {
  /** The embedded FHIR server, preview page and demo-token API (src/embedded/), mounted outside the JWT checks. */
  embedded?: Pick<EmbeddedMode, 'router'>;
  config: Config;
  /** JWT verification; default: createCdsAuth(config.auth). */
  auth?: CdsAuth;
  /** Draining state shared with server.ts; default: a fresh one (never draining). */
  lifecycle?: Lifecycle;
  /** Stand-ins for tests; default: the real data layer and clinical core. */
  resolvePrefetch?: HookDeps['resolvePrefetch'];
  interpret?: HookDeps['interpret'];
  newId?: () => string;
  now?: () => Date;
  /** The database side (issue 9): suppression, issued cards, feedback, admin summary. Absent → cards are not
   *  filtered or recorded and feedback answers 503. /ready is 503 until it is ready. */
  feedback?: FeedbackRuntime;
}

/** Builds the express app (no listen: tests call it directly, server.ts listens). */
export function createApp(options: AppOptions): express.Express {
  const { config } = options;
  const auth = options.auth ?? createCdsAuth(config.auth);
  const lifecycle = options.lifecycle ?? new Lifecycle();
  const openApi = JSON.stringify(buildOpenApi({ publicBaseUrl: config.publicBaseUrl, version: packageVersion() }));

  const app = express();
  app.disable('x-powered-by');
  // No ETag: hook answers are POST responses nobody revalidates, and express would hash every body to make one.
  app.set('etag', false);
  // Never trust X-Forwarded-*: audiences and links come from PUBLIC_BASE_URL, not from the request.
  app.set('trust proxy', false);

  app.use(requestLog);
  // Security headers and CORS (src/auth/, issue 6). CORS answers preflights before any token is asked for.
  app.use(securityHeaders());
  app.use(createCorsMiddleware(config.auth));
  app.use(refuseWhileDraining(lifecycle));
  const runtime = options.feedback;
  if (runtime) {
    // Not ready until the database is (PGlite takes seconds to start); a failed database is reported, but the
    // instance still serves cards (without suppression), so it stays in the pool.
    app.get('/ready', (_req, res, next) => {
      if (!lifecycle.draining && runtime.state === 'starting') res.status(503).json({ status: 'starting' });
      else if (!lifecycle.draining && runtime.state === 'failed') res.json({ status: 'degraded' });
      else next();
    });
  }
  app.use(healthRoutes(lifecycle));
  // Before the body is parsed: an overloaded instance answers 503 + Retry-After at once instead of queueing.
  app.use('/cds-services/:id', concurrencyLimit({ max: config.maxConcurrentHooks, retryAfterSeconds: config.retryAfterSeconds }));
  app.use(express.json({ limit: config.bodyLimit, type: ['application/json', 'application/fhir+json'] }));

  app.get('/sources', sourcesRoute());
  app.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(openApi);
  });

  app.get('/cds-services', discoveryRoute({ services: config.services, auth, publicBaseUrl: config.publicBaseUrl }));
  app.all('/cds-services', methodNotAllowed('GET'));

  app.post(
    '/cds-services/:id',
    hookRoute({
      config,
      services: config.services,
      auth,
      resolvePrefetch: options.resolvePrefetch ?? resolvePrefetch,
      interpret: options.interpret ?? interpret,
      ...(options.newId ? { newId: options.newId } : {}),
      ...(options.now ? { now: options.now } : {}),
      ...(runtime ? { feedback: hookFeedback(runtime) } : {}),
    }),
  );
  app.all('/cds-services/:id', methodNotAllowed('POST'));

  app.post(
    '/cds-services/:id/feedback',
    feedbackRoute({ services: config.services, auth, publicBaseUrl: config.publicBaseUrl, ...(runtime ? { runtime } : {}) }),
  );
  app.all('/cds-services/:id/feedback', methodNotAllowed('POST'));
  if (config.storage.adminToken) {
    app.get(
      '/admin/feedback/summary',
      adminSummaryRoute({ adminToken: config.storage.adminToken, ...(runtime ? { runtime } : {}), ...(options.now ? { now: options.now } : {}) }),
    );
  }

  if (options.embedded) app.use(options.embedded.router);
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}
