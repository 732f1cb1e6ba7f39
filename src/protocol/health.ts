import type { RequestHandler, Router } from 'express';
import express from 'express';

/** Process state the HTTP layer must know about. server.ts sets `draining` on SIGTERM/SIGINT. */
export class Lifecycle {
  draining = false;
}

/** GET /health: the process is alive (Docker HEALTHCHECK). GET /ready: it takes traffic (503 while draining). */
export function healthRoutes(lifecycle: Lifecycle): Router {
  const router = express.Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/ready', (_req, res) => {
    if (lifecycle.draining) res.status(503).json({ status: 'draining' });
    else res.json({ status: 'ready' });
  });
  return router;
}

/** While draining, new requests on kept-alive connections are refused (503, connection closed); the ones
 *  already running finish. /health and /ready still answer so orchestrators can see the state. */
export function refuseWhileDraining(lifecycle: Lifecycle): RequestHandler {
  return (req, res, next) => {
    if (!lifecycle.draining || req.path === '/health' || req.path === '/ready') {
      next();
      return;
    }
    res.setHeader('Connection', 'close');
    res.status(503).json({ error: 'shutting-down', message: 'The service is shutting down; retry on another instance.' });
  };
}

/** 405 for a known path called with the wrong method. */
export function methodNotAllowed(allowed: string): RequestHandler {
  return (_req, res) => {
    res.setHeader('Allow', allowed);
    res.status(405).json({ error: 'method-not-allowed', message: `Use ${allowed} on this endpoint.` });
  };
}
