import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, DEFAULTS, loadConfig } from '../../src/config/index.js';
import { ROOT } from '../helpers/app.js';

/** Configuration comes only from environment variables, each with a documented default; a bad value stops the
 *  start with a message naming the variable and the fault. */

test('defaults (README table)', () => {
  const config = loadConfig({});
  expect(config).toMatchObject({
    port: 8080,
    host: '0.0.0.0',
    publicBaseUrl: 'http://localhost:8080',
    fhirTimeBudgetMs: DEFAULTS.fhirTimeBudgetMs,
    fhirMaxPages: 5,
    logLevel: 'info',
    bodyLimit: '1mb',
    shutdownTimeoutMs: 10_000,
    servicesFile: path.join(ROOT, 'cds-services.json'),
    orders: { quietWhenConsistent: false, lvefWindowDays: 90 },
  });
  expect(config.auth.publicBaseUrl).toBe('http://localhost:8080');
});

test('every variable is read', () => {
  const config = loadConfig({
    PORT: '9000',
    HOST: '127.0.0.1',
    PUBLIC_BASE_URL: 'https://cds.example.org/base/',
    FHIR_TIME_BUDGET_MS: '1200',
    FHIR_MAX_PAGES: '2',
    LOG_LEVEL: 'WARN',
    BODY_LIMIT: '500kb',
    SHUTDOWN_TIMEOUT_MS: '3000',
    CDS_QUIET_WHEN_CONSISTENT: 'true',
    LVEF_WINDOW_DAYS: '120',
  });
  expect(config).toMatchObject({
    port: 9000,
    host: '127.0.0.1',
    publicBaseUrl: 'https://cds.example.org/base',
    fhirTimeBudgetMs: 1200,
    fhirMaxPages: 2,
    logLevel: 'warn',
    bodyLimit: '500kb',
    shutdownTimeoutMs: 3000,
    orders: { quietWhenConsistent: true, lvefWindowDays: 120 },
  });
  // JWT audiences use the same base URL.
  expect(config.auth.publicBaseUrl).toBe('https://cds.example.org/base');
});

const dir = mkdtempSync(path.join(tmpdir(), 'her2-cds-config-'));
const badServices = path.join(dir, 'bad-services.json');
writeFileSync(badServices, JSON.stringify({ services: [{ hook: 'patient-view', id: 'x', description: 'd', prefetch: { p: 'Patient/{{context.draftOrders}}' } }] }));
const notJson = path.join(dir, 'not-json.json');
writeFileSync(notJson, '{ services: ');

const faults: Array<{ env: NodeJS.ProcessEnv; variable: string; fault: RegExp }> = [
  { env: { PORT: 'eighty' }, variable: 'PORT', fault: /whole number/ },
  { env: { PORT: '70000' }, variable: 'PORT', fault: /0 to 65535/ },
  { env: { PUBLIC_BASE_URL: 'cds.example.org' }, variable: 'PUBLIC_BASE_URL', fault: /not an absolute URL/ },
  { env: { PUBLIC_BASE_URL: 'ftp://cds.example.org' }, variable: 'PUBLIC_BASE_URL', fault: /http\(s\)/ },
  { env: { FHIR_TIME_BUDGET_MS: '-5' }, variable: 'FHIR_TIME_BUDGET_MS', fault: /whole number/ },
  { env: { LOG_LEVEL: 'loud' }, variable: 'LOG_LEVEL', fault: /one of error, warn, info, debug, silent/ },
  { env: { BODY_LIMIT: 'lots' }, variable: 'BODY_LIMIT', fault: /size/ },
  { env: { BODY_LIMIT: '1gb' }, variable: 'BODY_LIMIT', fault: /size/ },
  { env: { CDS_QUIET_WHEN_CONSISTENT: 'yes' }, variable: 'CDS_QUIET_WHEN_CONSISTENT', fault: /"true" or "false"/ },
  { env: { CDS_SERVICES_FILE: path.join(dir, 'missing.json') }, variable: 'CDS_SERVICES_FILE', fault: /cannot read.*ENOENT/ },
  { env: { CDS_SERVICES_FILE: notJson }, variable: 'CDS_SERVICES_FILE', fault: /not valid JSON/ },
  { env: { CDS_SERVICES_FILE: badServices }, variable: 'CDS_SERVICES_FILE', fault: /not a CDS Hooks 2.0 prefetch token/ },
  { env: { CDS_AUTH: 'maybe' }, variable: 'CDS_AUTH', fault: /enabled/ },
];

describe.each(faults)('$variable = $env', ({ env, variable, fault }) => {
  test('refuses with a message naming the variable and the fault', () => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable.startsWith(variable)).toBe(true);
    expect((error as ConfigError).message).toMatch(fault);
  });
});
