import cors from 'cors';
import type { RequestHandler } from 'express';
import type { AuthConfig } from '../config/auth.js';

/** What a CDS client needs (CLIENT-BEHAVIOUR.md §1.8): the Sandbox sends Authorization and, on POST, JSON. */
export const CORS_METHODS = ['GET', 'POST', 'OPTIONS'];
export const CORS_HEADERS = ['Authorization', 'Content-Type', 'Accept'];

/**
 * CORS for browser-based clients. Mount before the routes: a preflight from an allowed origin is answered here
 * (204) without a token; one from another origin gets 403 and no CORS headers. Credentials are never allowed:
 * callers authenticate with the bearer JWT, not cookies, so even `*` cannot expose a user's session.
 */
export function createCorsMiddleware(cfg: Pick<AuthConfig, 'corsOrigins'>): RequestHandler {
  const anyOrigin = cfg.corsOrigins.includes('*');
  const allowed = new Set(cfg.corsOrigins);
  const isAllowed = (origin: string | undefined): boolean => origin !== undefined && (anyOrigin || allowed.has(origin));

  const handler = cors({
    origin: (origin, callback) => callback(null, isAllowed(origin)),
    methods: CORS_METHODS,
    allowedHeaders: CORS_HEADERS,
    credentials: false,
    maxAge: 600,
    optionsSuccessStatus: 204,
  });

  return (req, res, next) => {
    const origin = req.headers.origin;
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (preflight && !isAllowed(origin)) {
      res.status(403).json({ error: 'forbidden', check: 'cors-origin', message: 'origin not allowed' });
      return;
    }
    // Chromium's Private Network Access asks this when a public page (the Sandbox) calls localhost.
    if (preflight && req.headers['access-control-request-private-network'] === 'true') {
      res.setHeader('Access-Control-Allow-Private-Network', 'true');
    }
    handler(req, res, next);
  };
}
