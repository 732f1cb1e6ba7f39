/**
 * The auth exports mounted exactly as src/app.ts must mount them (used until createApp exists; see the report):
 * x-powered-by off → securityHeaders() → createCorsMiddleware(cfg) → express.json({limit}) → routes that call
 * auth.verify(header, audienceFor(publicBaseUrl, req.path), {required}) and auth.checkFhirServer before any FHIR
 * request → an error handler mapping AuthError via authErrorBody/authErrorHeaders, never a stack trace.
 */
import express, { type ErrorRequestHandler } from 'express';
import type { AuthConfig } from '../../src/config/auth.js';
import {
  audienceFor,
  AuthError,
  authErrorBody,
  authErrorHeaders,
  createCorsMiddleware,
  securityHeaders,
  type CdsAuth,
} from '../../src/auth/index.js';

export function miniApp(cfg: AuthConfig, auth: CdsAuth): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders());
  app.use(createCorsMiddleware(cfg));
  app.use(express.json({ limit: '1mb' }));

  app.get('/cds-services', async (req, res) => {
    const caller = await auth.verify(req.headers.authorization, audienceFor(cfg.publicBaseUrl, req.path), { required: false });
    res.json({ services: [{ id: 'her2-er-pr-patient-view', hook: 'patient-view', description: 'x' }], caller: caller?.iss ?? null });
  });

  app.post('/cds-services/:id', async (req, res) => {
    const caller = await auth.verify(req.headers.authorization, audienceFor(cfg.publicBaseUrl, req.path), { required: true });
    const fhirServer = (req.body as { fhirServer?: unknown })?.fhirServer;
    if (typeof fhirServer === 'string') {
      auth.checkFhirServer(caller, fhirServer);
      // Stands in for the data layer: one FHIR read, which must never happen for a refused fhirServer.
      await fetch(`${fhirServer}/metadata`, { redirect: 'error' }).catch(() => undefined);
    }
    res.json({ cards: [] });
  });

  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    if (err instanceof AuthError) {
      res.status(err.status).set(authErrorHeaders(err)).json(authErrorBody(err));
      return;
    }
    const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    res.status(status).json({ error: status === 500 ? 'internal' : 'bad-request' });
  };
  app.use(onError);
  return app;
}
