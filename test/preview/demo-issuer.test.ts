import { decodeJwt, decodeProtectedHeader } from 'jose';
import { createCdsAuth } from '../../src/auth/index.js';
import { loadConfig } from '../../src/config/index.js';
import { createDemoIssuer, DEMO_TOKEN_LIFETIME_SECONDS } from '../../src/embedded/demo-issuer.js';
import { parseEmbeddedSettings } from '../../src/config/embedded.js';

const BASE = 'http://localhost:8080';
const FHIR = `${BASE}/fhir/R4`;
const SERVICE = 'her2-er-pr-patient-view';
const AUD = `${BASE}/cds-services/${SERVICE}`;

async function setup(extra: { algorithms?: string[] } = {}) {
  const demo = await createDemoIssuer({ publicBaseUrl: BASE, serviceIds: [SERVICE], fhirServers: [FHIR, 'https://r4.smarthealthit.org/'], ...extra });
  const config = loadConfig({ PUBLIC_BASE_URL: BASE });
  return { demo, config, auth: createCdsAuth(config.auth, { extraIssuers: [demo.issuer] }) };
}

describe('demo issuer', () => {
  it('signs a token the service accepts once, for its own endpoint, with a short life and a fresh jti', async () => {
    const { demo, auth } = await setup();
    const token = (await demo.signFor(SERVICE)) as string;
    const claims = decodeJwt(token);
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES384', typ: 'JWT' });
    expect(claims).toMatchObject({ iss: `${BASE}/preview`, aud: AUD });
    expect((claims.exp as number) - (claims.iat as number)).toBe(DEMO_TOKEN_LIFETIME_SECONDS);
    expect(DEMO_TOKEN_LIFETIME_SECONDS).toBeLessThanOrEqual(60);
    const caller = await auth.verify(`Bearer ${token}`, AUD, { required: true });
    expect(caller?.iss).toBe(`${BASE}/preview`);
    await expect(auth.verify(`Bearer ${token}`, AUD, { required: true })).rejects.toMatchObject({ status: 401, check: 'jti' });
    const second = decodeJwt((await demo.signFor(SERVICE)) as string);
    expect(second.jti).not.toBe(claims.jti);
  });

  it('signs nothing for an id that is not one of our services (never an arbitrary audience)', async () => {
    const { demo } = await setup();
    for (const id of ['other-service', `${SERVICE}/../x`, 'https://evil.example/cds-services/x', '']) {
      expect(await demo.signFor(id)).toBeUndefined();
    }
  });

  it('is not trusted unless added as an extra issuer', async () => {
    const { demo, config } = await setup();
    const plain = createCdsAuth(config.auth);
    await expect(plain.verify(`Bearer ${(await demo.signFor(SERVICE)) as string}`, AUD, { required: true })).rejects.toMatchObject({ status: 401, check: 'iss' });
  });

  it('lets the service use only the embedded FHIR server and the listed ones', async () => {
    const { demo, auth } = await setup();
    const caller = await auth.verify(`Bearer ${(await demo.signFor(SERVICE)) as string}`, AUD, { required: true });
    expect(() => auth.checkFhirServer(caller, FHIR)).not.toThrow();
    expect(() => auth.checkFhirServer(caller, 'https://r4.smarthealthit.org')).not.toThrow();
    expect(() => auth.checkFhirServer(caller, 'https://hapi.fhir.org/baseR4')).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => auth.checkFhirServer(caller, 'http://169.254.169.254/latest')).toThrow(expect.objectContaining({ status: 403 }));
  });

  it('pins its public key only (no private members) and names no jku', async () => {
    const { demo } = await setup();
    expect(demo.issuer.jku).toEqual([]);
    const key = demo.issuer.jwks?.keys[0] as Record<string, unknown>;
    expect(key).toMatchObject({ kty: 'EC', crv: 'P-384', alg: 'ES384' });
    expect(key).not.toHaveProperty('d');
  });

  it('signs with an algorithm the service accepts when ES384 is not allowed', async () => {
    const { demo } = await setup({ algorithms: ['RS384'] });
    expect(decodeProtectedHeader((await demo.signFor(SERVICE)) as string).alg).toBe('RS384');
  });
});

describe('embedded settings (EMBEDDED, PREVIEW_FHIR_SERVERS)', () => {
  it.each([
    [{}, true],
    [{ NODE_ENV: 'production' }, false],
    [{ NODE_ENV: 'production', EMBEDDED: 'on' }, true],
    [{ EMBEDDED: 'off' }, false],
  ])('%j → enabled %s', (env, enabled) => {
    expect(parseEmbeddedSettings(env as NodeJS.ProcessEnv).enabled).toBe(enabled);
  });

  it('reads PREVIEW_FHIR_SERVERS as a list of base URLs', () => {
    expect(parseEmbeddedSettings({ PREVIEW_FHIR_SERVERS: 'https://r4.smarthealthit.org/, https://hapi.fhir.org/baseR4' }).previewFhirServers).toEqual([
      'https://r4.smarthealthit.org',
      'https://hapi.fhir.org/baseR4',
    ]);
  });

  it.each([
    [{ EMBEDDED: 'maybe' }, /^EMBEDDED: /],
    [{ PREVIEW_FHIR_SERVERS: 'not a url' }, /^PREVIEW_FHIR_SERVERS: /],
    [{ PREVIEW_FHIR_SERVERS: 'https://user:pw@x.org/fhir' }, /^PREVIEW_FHIR_SERVERS: /],
    [{ PREVIEW_FHIR_SERVERS: 'ftp://x.org/fhir' }, /^PREVIEW_FHIR_SERVERS: /],
  ])('%j is refused, naming the variable', (env, message) => {
    expect(() => parseEmbeddedSettings(env as NodeJS.ProcessEnv)).toThrow(message);
  });
});
