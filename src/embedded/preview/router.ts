import { existsSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import helmet from 'helmet';
import type { ScenarioPatient } from '../fhir-server.js';
import type { DemoIssuer } from '../demo-issuer.js';
import { DEMO_TOKEN_LIFETIME_SECONDS } from '../demo-issuer.js';
import { DRAFT_ORDERS } from './client/draft-orders.js';

export interface PreviewRouterOptions {
  issuer: DemoIssuer;
  /** The embedded FHIR server's base URL (what the page sends as fhirServer for a scenario patient). */
  fhirBaseUrl: string;
  scenarios: readonly ScenarioPatient[];
  /** Other FHIR servers demo tokens may name (PREVIEW_FHIR_SERVERS). */
  otherFhirServers: readonly string[];
  /** public/preview: index.html and preview.css. */
  publicDir: string;
  /** The compiled page scripts (dist/src/embedded/preview/client). */
  clientDir: string;
}

/** What GET /preview/api/scenarios answers. */
export interface PreviewInfo {
  fhirServer: string;
  scenarios: ScenarioPatient[];
  otherFhirServers: string[];
  draftOrders: typeof DRAFT_ORDERS;
  tokenLifetimeSeconds: number;
}

/**
 * The card preview page (GET /), its assets and its small helper API. The page itself then calls the real
 * GET /cds-services and POST /cds-services/{id}, like an EHR. These routes are mounted before the app, so they
 * carry their own headers: a strict CSP for a page (scripts and styles from this origin only, no inline script),
 * which also keeps any markup that slipped into card text from running.
 */
export function previewRouter(opts: PreviewRouterOptions): express.Router {
  const router = express.Router();
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
  });

  router.get('/', headers, (_req, res) => {
    res.set('Cache-Control', 'no-store');
    res.sendFile(path.join(opts.publicDir, 'index.html'));
  });
  router.use('/preview/static', headers, express.static(opts.publicDir, { index: false, fallthrough: false }));
  router.get('/preview/client/:file', headers, (req, res) => {
    const file = String(req.params.file);
    // Only the compiled modules (no maps, no .d.ts, nothing above the folder).
    if (!/^[a-z-]+\.js$/.test(file)) {
      res.status(404).json({ error: 'not-found', message: 'No such preview script.' });
      return;
    }
    const full = path.join(opts.clientDir, file);
    if (!existsSync(full)) {
      res.status(503).json({ error: 'preview-not-built', message: 'The preview scripts are not built: run "npm run build".' });
      return;
    }
    res.type('text/javascript').sendFile(full);
  });

  router.get('/preview/api/scenarios', headers, (_req, res) => {
    const info: PreviewInfo = {
      fhirServer: opts.fhirBaseUrl,
      scenarios: [...opts.scenarios],
      otherFhirServers: [...opts.otherFhirServers],
      draftOrders: DRAFT_ORDERS,
      tokenLifetimeSeconds: DEMO_TOKEN_LIFETIME_SECONDS,
    };
    res.set('Cache-Control', 'no-store').json(info);
  });

  // Only this origin's page may obtain demo tokens through a browser: JSON only (a cross-site page cannot send it
  // without a CORS preflight), and a browser request from another site (Sec-Fetch-Site) is refused even when
  // CORS_ORIGINS would let the app answer that preflight. Non-browser clients send no Sec-Fetch-Site.
  router.post('/preview/api/token', headers, express.json({ limit: '2kb' }), async (req, res) => {
    const site = req.get('sec-fetch-site');
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      res.status(403).json({ error: 'forbidden', message: 'Demo tokens are given only to the preview page of this origin.' });
      return;
    }
    if (!req.is('application/json')) {
      res.status(415).json({ error: 'unsupported-content-type', message: 'Send {"serviceId": "..."} as application/json.' });
      return;
    }
    const serviceId = (req.body as { serviceId?: unknown } | undefined)?.serviceId;
    const token = typeof serviceId === 'string' ? await opts.issuer.signFor(serviceId) : undefined;
    if (!token) {
      res.status(400).json({ error: 'unknown-service', message: 'Demo tokens are signed only for the services in GET /cds-services.' });
      return;
    }
    res.set('Cache-Control', 'no-store').json({ token, expiresIn: DEMO_TOKEN_LIFETIME_SECONDS });
  });

  return router;
}
