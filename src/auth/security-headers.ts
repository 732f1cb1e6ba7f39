import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * helmet for a JSON API: nothing may be loaded or framed from our responses (CSP default-src 'none'), no referrer,
 * nosniff, HSTS. Cross-Origin-Resource-Policy is `cross-origin` because EHR front ends on other origins read our
 * responses (through CORS). An HTML page served by the app (the embedded preview) needs its own, looser CSP.
 * The app must also: `app.disable('x-powered-by')` (helmet removes the header too), limit JSON bodies, and answer
 * errors without stack traces.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    referrerPolicy: { policy: 'no-referrer' },
  });
}
