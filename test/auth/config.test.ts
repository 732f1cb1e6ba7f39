/** Issue 6, point 1: the trust configuration is validated at start-up; a bad value stops the process with a message
 *  naming the variable and the fault. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AUTH_DEFAULTS, parseAuthConfig } from '../../src/config/auth.js';
import { createCdsAuth } from '../../src/auth/index.js';
import { logger } from '../../src/log.js';

const SHARED = path.resolve(process.cwd(), '../shared/cds-hooks/examples');
const DOCS = path.resolve(process.cwd(), 'docs/examples');
const ok = { iss: 'https://ehr.example.org', jku: ['https://ehr.example.org/jwks.json'], fhirServers: ['https://ehr.example.org/fhir/'] };
const trust = (x: unknown) => ({ CDS_TRUSTED_ISSUERS: JSON.stringify(x) });

describe('defaults', () => {
  test('no variables: auth enabled, no issuers, ES384+RS384, 300 s, a few seconds of skew, no CORS origin', () => {
    const cfg = parseAuthConfig({});
    expect(cfg).toEqual({
      mode: 'enabled',
      issuers: [],
      algorithms: ['ES384', 'RS384'],
      maxTokenLifetimeSeconds: 300,
      clockSkewSeconds: AUTH_DEFAULTS.clockSkewSeconds,
      corsOrigins: [],
      jwksTimeoutMs: 2000,
      publicBaseUrl: 'http://localhost:3000',
    });
  });
  test('PUBLIC_BASE_URL loses its trailing slash; PORT sets the local default', () => {
    expect(parseAuthConfig({ PUBLIC_BASE_URL: 'https://cds.example.org/her2/' }).publicBaseUrl).toBe('https://cds.example.org/her2');
    expect(parseAuthConfig({ PORT: '8080' }).publicBaseUrl).toBe('http://localhost:8080');
  });
  test('fhirServers prefixes are stored without a trailing slash', () => {
    expect(parseAuthConfig(trust([ok])).issuers[0]?.fhirServers).toEqual(['https://ehr.example.org/fhir']);
  });
});

describe('refused configurations (message names the variable and the fault)', () => {
  const rows: Array<[string, NodeJS.ProcessEnv, RegExp]> = [
    ['CDS_AUTH=disabled in production', { CDS_AUTH: 'disabled', NODE_ENV: 'production' }, /^CDS_AUTH: .*production/],
    ['CDS_AUTH unknown value', { CDS_AUTH: 'off' }, /^CDS_AUTH: must be "enabled" or "disabled"/],
    ['alg none', { CDS_ALGORITHMS: 'ES384,none' }, /^CDS_ALGORITHMS: "none" is forbidden/],
    ['HS256', { CDS_ALGORITHMS: 'HS256' }, /^CDS_ALGORITHMS: "HS256" is forbidden/],
    ['unsupported alg', { CDS_ALGORITHMS: 'PS512' }, /^CDS_ALGORITHMS: "PS512" is not supported/],
    ['lifetime not a number', { CDS_MAX_TOKEN_LIFETIME_SECONDS: '5m' }, /^CDS_MAX_TOKEN_LIFETIME_SECONDS: must be an integer/],
    ['lifetime over a day', { CDS_MAX_TOKEN_LIFETIME_SECONDS: '86401' }, /^CDS_MAX_TOKEN_LIFETIME_SECONDS/],
    ['skew over a minute', { CDS_CLOCK_SKEW_SECONDS: '600' }, /^CDS_CLOCK_SKEW_SECONDS/],
    ['CORS origin with a path', { CORS_ORIGINS: 'https://sandbox.cds-hooks.org/' }, /^CORS_ORIGINS: "https:\/\/sandbox.cds-hooks.org\/" is not an origin/],
    ['PUBLIC_BASE_URL with a query', { PUBLIC_BASE_URL: 'https://cds.example.org/?x=1' }, /^PUBLIC_BASE_URL/],
    ['trust: not JSON', { CDS_TRUSTED_ISSUERS: '[{iss:' }, /^CDS_TRUSTED_ISSUERS: not valid JSON/],
    ['trust: not an array', trust({ iss: 'x' }), /^CDS_TRUSTED_ISSUERS: /],
    ['trust: missing iss', trust([{ jku: ok.jku }]), /iss/],
    ['trust: no jku and no jwks', trust([{ iss: 'https://a' }]), /needs "jku".*or "jwks"/],
    ['trust: jku over plain http off localhost', trust([{ ...ok, jku: ['http://ehr.example.org/jwks.json'] }]), /must use https/],
    ['trust: fhirServer with credentials', trust([{ ...ok, fhirServers: ['https://u:p@ehr.example.org/fhir'] }]), /without credentials/],
    ['trust: unknown member (typo)', trust([{ ...ok, fhirServer: ['https://x'] }]), /fhirServer/],
    ['trust: duplicate issuer', trust([ok, ok]), /duplicate issuer/],
    ['trust: private key pinned', trust([{ iss: 'https://a', jwks: { keys: [{ kty: 'EC', kid: 'k', crv: 'P-384', x: 'a', y: 'b', d: 'c' }] } }]), /private members/],
    ['trust: symmetric key pinned', trust([{ iss: 'https://a', jwks: { keys: [{ kty: 'oct', kid: 'k', k: 'c2VjcmV0' }] } }]), /kty/],
    ['trust: broken public key pinned', trust([{ iss: 'https://a', jwks: { keys: [{ kty: 'EC', kid: 'k', crv: 'P-384', x: 'AA', y: 'AA' }] } }]), /not a valid public EC key/],
    ['trust: file missing', { CDS_TRUSTED_ISSUERS: '@/nonexistent/trust.json' }, /^CDS_TRUSTED_ISSUERS \(\/nonexistent\/trust.json\): cannot read the trust file \(ENOENT\)/],
  ];
  test.each(rows)('%s', (_name, env, message) => {
    expect(() => parseAuthConfig(env)).toThrow(message);
  });

  test('a bad trust file names the file and the faulty entry', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'trust-'));
    const file = path.join(dir, 'trust.json');
    writeFileSync(file, JSON.stringify([ok, { ...ok, iss: 'https://b', fhirServers: ['ftp://b/fhir'] }]));
    expect(() => parseAuthConfig({ CDS_TRUSTED_ISSUERS: `@${file}` })).toThrow(new RegExp(`${file.replace(/[.]/g, '\\.')}.*\\n?.*1.*fhirServers`, 's'));
  });
});

describe('accepted configurations', () => {
  test('RS256/ES256 may be added', () => {
    expect(parseAuthConfig({ CDS_ALGORITHMS: 'ES384, RS384, RS256, ES256' }).algorithms).toEqual(['ES384', 'RS384', 'RS256', 'ES256']);
  });
  test('CORS_ORIGINS: a comma list of origins', () => {
    expect(parseAuthConfig({ CORS_ORIGINS: 'https://sandbox.cds-hooks.org, http://localhost:8080' }).corsOrigins).toEqual([
      'https://sandbox.cds-hooks.org',
      'http://localhost:8080',
    ]);
  });
  test("the Sandbox's real JWK Set pinned inline parses (docs/examples/trust-sandbox.json)", () => {
    const cfg = parseAuthConfig({ CDS_TRUSTED_ISSUERS: `@${path.join(DOCS, 'trust-sandbox.json')}` });
    const sandbox = cfg.issuers[0];
    expect(sandbox?.iss).toBe('https://sandbox.cds-hooks.org');
    expect(sandbox?.jwks?.keys[0]?.kid).toBe('44823f3d-0b01-4a6c-a80e-b9d3e8a7226f');
    // The pinned set in the example is the one published by the Sandbox, unchanged.
    const published = JSON.parse(readFileSync(path.join(SHARED, 'sandbox-jwks.public.json'), 'utf8'));
    expect(sandbox?.jwks).toEqual(published);
  });
  test.each(['trust-sandbox.json', 'trust-epic.json', 'trust-oracle-health.json', 'trust-pinned-rs256-crd.json'])('docs/examples/%s is a valid trust file', (file) => {
    expect(parseAuthConfig({ CDS_TRUSTED_ISSUERS: `@${path.join(DOCS, file)}` }).issuers.length).toBeGreaterThan(0);
  });
});

describe('CDS_AUTH=disabled (local experiments only)', () => {
  test('warns on every start and lets calls through', async () => {
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => logger);
    try {
      const cfg = parseAuthConfig({ CDS_AUTH: 'disabled', NODE_ENV: 'development' });
      const auth = createCdsAuth(cfg);
      createCdsAuth(cfg);
      expect(warn).toHaveBeenCalledTimes(2);
      expect(String(warn.mock.calls[0]?.[0])).toMatch(/CDS_AUTH=disabled/);
      expect(auth.disabled).toBe(true);
      await expect(auth.verify('Bearer x.y.z', 'https://any', { required: true })).resolves.not.toBeNull();
      expect(() => auth.checkFhirServer(null, 'http://127.0.0.1:8080/fhir')).not.toThrow();
    } finally {
      warn.mockRestore();
    }
  });
});
