import path from 'node:path';
import express from 'express';
import type { TrustedIssuer } from '../auth/types.js';
import type { Config } from '../config/index.js';
import { repoRoot } from '../config/repo-root.js';
import { createDemoIssuer, type DemoIssuer } from './demo-issuer.js';
import { createEmbeddedFhirServer, type ScenarioPatient } from './fhir-server.js';
import { previewRouter } from './preview/router.js';

export { parseEmbeddedSettings, type EmbeddedSettings } from '../config/embedded.js';
export type { DemoIssuer } from './demo-issuer.js';
export type { ScenarioPatient } from './fhir-server.js';

export interface EmbeddedModeOptions {
  config: Config;
  /** PREVIEW_FHIR_SERVERS: other FHIR base URLs the preview page may call the service with. */
  previewFhirServers?: readonly string[];
  /** Defaults: fixtures/, public/preview/ and dist/src/embedded/preview/client/ under the project root. */
  fixturesDir?: string;
  publicDir?: string;
  clientDir?: string;
}

export interface EmbeddedMode {
  /** Mount on the outer app BEFORE the service's 404 handler: /fhir/R4, / (the preview page), /preview/*. */
  router: express.Router;
  /** Pass to createCdsAuth(config.auth, { extraIssuers: [issuer] }); never put it in a trust file. */
  issuer: TrustedIssuer;
  /** Signs demo tokens (the page's token endpoint uses it; the CLI too). */
  demoIssuer: DemoIssuer;
  /** `${PUBLIC_BASE_URL}/fhir/R4`. */
  fhirBaseUrl: string;
  scenarios: ScenarioPatient[];
}

/** Path of the embedded FHIR server under PUBLIC_BASE_URL. */
export const EMBEDDED_FHIR_PATH = '/fhir/R4';

/**
 * The out-of-the-box mode (development and demonstrations; off in production unless EMBEDDED=on): a FHIR server
 * with the scenario patients, a local demo issuer trusted only by this process, and the card preview page.
 * The FHIR base URL is built from PUBLIC_BASE_URL, so the service reaches its own embedded server over HTTP
 * exactly as it reaches an EHR's (the fallback path), and the same URL is what the demo issuer allows.
 */
export async function createEmbeddedMode(opts: EmbeddedModeOptions): Promise<EmbeddedMode> {
  const root = repoRoot();
  const base = opts.config.publicBaseUrl.replace(/\/+$/, '');
  const fhirBaseUrl = `${base}${EMBEDDED_FHIR_PATH}`;
  const fhir = await createEmbeddedFhirServer({ fixturesDir: opts.fixturesDir ?? path.join(root, 'fixtures'), baseUrl: fhirBaseUrl });
  const otherFhirServers = [...(opts.previewFhirServers ?? [])];
  const demoIssuer = await createDemoIssuer({
    publicBaseUrl: base,
    serviceIds: opts.config.services.services.map((s) => s.id),
    fhirServers: [fhirBaseUrl, ...otherFhirServers],
    algorithms: opts.config.auth.algorithms,
  });

  const router = express.Router();
  router.use(EMBEDDED_FHIR_PATH, fhir.router);
  router.use(
    previewRouter({
      issuer: demoIssuer,
      fhirBaseUrl,
      scenarios: fhir.patients,
      otherFhirServers,
      publicDir: opts.publicDir ?? path.join(root, 'public', 'preview'),
      clientDir: opts.clientDir ?? path.join(root, 'dist', 'src', 'embedded', 'preview', 'client'),
    }),
  );
  return { router, issuer: demoIssuer.issuer, demoIssuer, fhirBaseUrl, scenarios: fhir.patients };
}
