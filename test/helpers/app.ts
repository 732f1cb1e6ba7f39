import { readFileSync } from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import Transport from 'winston-transport';
import { createApp, type AppOptions } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config/index.js';
import { repoRoot } from '../../src/config/repo-root.js';
import { logger, setConsoleOutput } from '../../src/log.js';

/** Shared test helpers: a configured app, the shared material in ../shared, and captured log lines. */

export const ROOT = repoRoot();
/** ../shared beside the project (never copied into the repo). */
export const SHARED = path.resolve(ROOT, '../shared');

export function sharedJson<T = Record<string, unknown>>(...parts: string[]): T {
  return JSON.parse(readFileSync(path.join(SHARED, ...parts), 'utf8')) as T;
}

export function exampleRequest(name: string): Record<string, unknown> {
  return sharedJson('cds-hooks', 'examples', name);
}

/** The configuration the service would load from `env` (auth disabled unless the test says otherwise),
 *  with fields replaced by `overrides`. */
export function testConfig(overrides: Partial<Config> = {}, env: NodeJS.ProcessEnv = {}): Config {
  return { ...loadConfig({ CDS_AUTH: 'disabled', ...env }), ...overrides };
}

/** The real express app with test configuration; log lines go nowhere unless captured. */
export function testApp(options: Partial<AppOptions> & { config?: Config } = {}): ReturnType<typeof createApp> {
  setConsoleOutput(false);
  return createApp({ ...options, config: options.config ?? testConfig() });
}

/** Every log line written while the capture is on, exactly as the console would get it. */
export function captureLogs(): { lines: string[]; stop: () => void } {
  const lines: string[] = [];
  const transport = new (class extends Transport {
    override log(info: Record<string | symbol, unknown>, next: () => void): void {
      lines.push(String(info[Symbol.for('message')]));
      next();
    }
  })();
  logger.add(transport);
  return { lines, stop: () => logger.remove(transport) };
}

/** No test reaches the internet: only loopback (supertest's own server) may be connected to. */
export function blockInternet(): void {
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
  });
  // Each test sets up its own FHIR server stand-in: earlier interceptors must not answer for it.
  afterEach(() => nock.cleanAll());
  afterAll(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });
}
