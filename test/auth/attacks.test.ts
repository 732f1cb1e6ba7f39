/**
 * Issue 6, point 6: the JWT checks of NOTES.md §6, table-driven against the real app (createApp), with real JWK Sets served over HTTP on loopback. Every row is an attack or a valid client
 * shape, with the status and the failed check a caller would see.
 */
import request from 'supertest';
import { calculateJwkThumbprint } from 'jose';
import { handMadeToken, makeKey, nowSeconds, signToken, startStub, b64url, type StubServer, type TestKey } from './harness.js';
import { patientViewBody, realApp } from './real-app.js';

const BASE = 'https://cds.example.org'; // PUBLIC_BASE_URL: supertest's Host header is 127.0.0.1:<port>, never used
const SERVICE = 'her2-er-pr-patient-view';
const PATH = `/cds-services/${SERVICE}`;
const AUD = `${BASE}${PATH}`;
const EHR = 'https://ehr.example.org';

let es: TestKey, rs: TestKey, attackerSameKid: TestKey, attackerOwn: TestKey, hmacLike: TestKey;
let jwks: StubServer, attacker: StubServer, fhirOk: StubServer, fhirEvil: StubServer;
let app: ReturnType<typeof realApp>['app'];
const EMPTY_BUNDLE = { resourceType: 'Bundle', type: 'searchset', total: 0 };
const body = () => patientViewBody(`${fhirOk.url}/fhir`);

function trust(jwksUrl: string, attackerUrl: string, fhirBase: string): unknown[] {
  return [
    { iss: EHR, jku: [`${jwksUrl}/jwks.json`], fhirServers: [`${fhirBase}/fhir`] },
    { iss: 'https://limited.example.org', jku: [`${jwksUrl}/jwks.json`], services: ['another-service'] },
    { iss: 'https://tenant.example.org', jku: [`${jwksUrl}/jwks.json`], tenant: 'org-1', fhirServers: [`${fhirBase}/fhir`] },
    { iss: 'https://slow.example.org', jku: [`${jwksUrl}/slow.json`] },
    // The attacker's set is served but appears nowhere in the trust file.
    { iss: 'https://other.example.org', jku: [`${jwksUrl}/other.json`], fhirServers: [`${attackerUrl}/unused`] },
  ];
}

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PUBLIC_BASE_URL: BASE,
    CDS_TRUSTED_ISSUERS: JSON.stringify(trust(jwks.url, attacker.url, fhirOk.url)),
    ...extra,
  };
}

beforeAll(async () => {
  [es, rs, attackerSameKid, attackerOwn, hmacLike] = await Promise.all([
    makeKey('ES384', 'ehr-es384'),
    makeKey('RS384', 'ehr-rs384'),
    makeKey('ES384', 'ehr-es384'), // same kid as the EHR's key, different key
    makeKey('ES384', 'attacker-1'),
    makeKey('ES384', 'unused'),
  ]);
  jwks = await startStub({ '/jwks.json': { keys: [es.publicJwk, rs.publicJwk] }, '/slow.json': 'hang', '/other.json': { keys: [] } });
  attacker = await startStub({ '/jwks.json': { keys: [attackerOwn.publicJwk, attackerSameKid.publicJwk] } });
  fhirOk = await startStub({ '*': EMPTY_BUNDLE });
  fhirEvil = await startStub({ '*': EMPTY_BUNDLE });
  app = realApp(env(), { fetchTimeoutMs: 300 }).app;
});

afterAll(async () => {
  await Promise.all([jwks, attacker, fhirOk, fhirEvil].map((s) => s?.close()));
});

const token = (key: () => TestKey, header?: Record<string, unknown>, claims?: Record<string, unknown>) => () =>
  signToken({ key: key(), ...(header ? { header } : {}), ...(claims ? { claims } : {}) }, { iss: EHR, aud: AUD });
const now = nowSeconds;

function tamperPayload(jwt: string): string {
  const [h, , s] = jwt.split('.');
  return `${h}.${b64url(JSON.stringify({ iss: EHR, aud: AUD, iat: now(), exp: now() + 300, jti: 'forged' }))}.${s}`;
}
function tamperSignature(jwt: string): string {
  const [h, p, s = ''] = jwt.split('.');
  return `${h}.${p}.${(s[0] === 'A' ? 'B' : 'A') + s.slice(1)}`;
}
const validClaims = () => ({ iss: EHR, aud: AUD, iat: now(), exp: now() + 300, jti: `j-${Math.random()}` });

interface Row {
  name: string;
  authorization: () => Promise<string | undefined> | string | undefined;
  status: number;
  check?: string;
}

const rows: Row[] = [
  // Accepted shapes
  { name: 'ES384 valid token (Sandbox shape)', authorization: async () => `Bearer ${await token(() => es)()}`, status: 200 },
  { name: 'RS384 valid token (Epic shape, nbf present)', authorization: async () => `Bearer ${await token(() => rs, undefined, { nbf: now() })()}`, status: 200 },
  { name: 'aud as an array containing this endpoint', authorization: async () => `Bearer ${await token(() => es, undefined, { aud: ['https://x.example', AUD] })()}`, status: 200 },
  { name: 'lifetime exactly 300 s with iat rounded 1 s into the future (Sandbox)', authorization: async () => `Bearer ${await token(() => es, undefined, { iat: now() + 1, exp: now() + 301 })()}`, status: 200 },
  { name: 'jku on the issuer list', authorization: async () => `Bearer ${await token(() => es, { jku: `${jwks.url}/jwks.json` })()}`, status: 200 },
  { name: 'lower-case "bearer" scheme', authorization: async () => `bearer ${await token(() => es)()}`, status: 200 },
  // Algorithm attacks
  { name: 'alg none (empty signature)', authorization: () => `Bearer ${handMadeToken({ alg: 'none', typ: 'JWT', kid: es.kid }, validClaims())}`, status: 401, check: 'authorization' },
  { name: 'alg none with a dummy signature', authorization: () => `Bearer ${handMadeToken({ alg: 'none', typ: 'JWT', kid: es.kid }, validClaims())}AAAA`, status: 401, check: 'alg' },
  { name: 'alg None', authorization: () => `Bearer ${handMadeToken({ alg: 'None', typ: 'JWT', kid: es.kid }, validClaims())}AAAA`, status: 401, check: 'alg' },
  { name: 'HS256 signed with the public key as secret', authorization: () => `Bearer ${handMadeToken({ alg: 'HS256', typ: 'JWT', kid: rs.kid }, validClaims(), JSON.stringify(rs.publicJwk))}`, status: 401, check: 'alg' },
  { name: 'alg/key-type mismatch: RS384 header on the EC kid', authorization: async () => `Bearer ${await signToken({ key: rs, header: { kid: es.kid } }, { iss: EHR, aud: AUD })}`, status: 401, check: 'kid' },
  { name: 'RS256 (not configured by default)', authorization: async () => `Bearer ${await signToken({ key: await makeKey('RS256', 'ehr-rs384') }, { iss: EHR, aud: AUD })}`, status: 401, check: 'alg' },
  // Integrity
  { name: 'tampered payload', authorization: async () => `Bearer ${tamperPayload(await token(() => es)())}`, status: 401, check: 'signature' },
  { name: 'tampered signature (ES384)', authorization: async () => `Bearer ${tamperSignature(await token(() => es)())}`, status: 401, check: 'signature' },
  { name: 'tampered signature (RS384)', authorization: async () => `Bearer ${tamperSignature(await token(() => rs)())}`, status: 401, check: 'signature' },
  { name: 'known kid signed by another key', authorization: async () => `Bearer ${await token(() => attackerSameKid)()}`, status: 401, check: 'signature' },
  { name: 'unknown kid', authorization: async () => `Bearer ${await token(() => attackerOwn)()}`, status: 401, check: 'kid' },
  { name: 'untrusted jku (attacker JWKS, attacker key)', authorization: async () => `Bearer ${await token(() => attackerOwn, { jku: `${attacker.url}/jwks.json` })()}`, status: 401, check: 'jku' },
  { name: 'jku of another issuer', authorization: async () => `Bearer ${await token(() => es, { jku: `${jwks.url}/other.json` })()}`, status: 401, check: 'jku' },
  // Claims
  { name: 'expired', authorization: async () => `Bearer ${await token(() => es, undefined, { iat: now() - 400, exp: now() - 100 })()}`, status: 401, check: 'exp' },
  { name: 'not yet valid (nbf + 60 s)', authorization: async () => `Bearer ${await token(() => es, undefined, { nbf: now() + 60 })()}`, status: 401, check: 'nbf' },
  { name: 'iat 60 s in the future', authorization: async () => `Bearer ${await token(() => es, undefined, { iat: now() + 60, exp: now() + 120 })()}`, status: 401, check: 'iat' },
  { name: 'lifetime 301 s (over the maximum)', authorization: async () => `Bearer ${await token(() => es, undefined, { iat: now(), exp: now() + 301 })()}`, status: 401, check: 'lifetime' },
  { name: 'missing exp', authorization: async () => `Bearer ${await token(() => es, undefined, { exp: undefined })()}`, status: 401, check: 'exp' },
  { name: 'missing iat', authorization: async () => `Bearer ${await token(() => es, undefined, { iat: undefined })()}`, status: 401, check: 'iat' },
  { name: 'missing jti', authorization: async () => `Bearer ${await token(() => es, undefined, { jti: undefined })()}`, status: 401, check: 'jti' },
  { name: 'missing aud', authorization: async () => `Bearer ${await token(() => es, undefined, { aud: undefined })()}`, status: 401, check: 'aud' },
  { name: 'missing iss', authorization: async () => `Bearer ${await token(() => es, undefined, { iss: undefined })()}`, status: 401, check: 'iss' },
  { name: 'missing kid', authorization: async () => `Bearer ${await token(() => es, { kid: undefined })()}`, status: 401, check: 'kid' },
  { name: 'missing typ', authorization: async () => `Bearer ${await token(() => es, { typ: undefined })()}`, status: 401, check: 'typ' },
  { name: 'wrong aud (Host-based URL)', authorization: async () => `Bearer ${await token(() => es, undefined, { aud: `http://127.0.0.1${PATH}` })()}`, status: 401, check: 'aud' },
  { name: 'aud of another service', authorization: async () => `Bearer ${await token(() => es, undefined, { aud: `${BASE}/cds-services/other-service` })()}`, status: 401, check: 'aud' },
  { name: 'aud of the discovery endpoint', authorization: async () => `Bearer ${await token(() => es, undefined, { aud: `${BASE}/cds-services` })()}`, status: 401, check: 'aud' },
  { name: 'wrong iss', authorization: async () => `Bearer ${await token(() => es, undefined, { iss: 'https://evil.example.org' })()}`, status: 401, check: 'iss' },
  { name: 'tenant missing for a tenant issuer', authorization: async () => `Bearer ${await signToken({ key: es }, { iss: 'https://tenant.example.org', aud: AUD })}`, status: 401, check: 'tenant' },
  { name: 'tenant matching', authorization: async () => `Bearer ${await signToken({ key: es, claims: { tenant: 'org-1' } }, { iss: 'https://tenant.example.org', aud: AUD })}`, status: 200 },
  { name: 'valid token, issuer not allowed this service', authorization: async () => `Bearer ${await signToken({ key: es }, { iss: 'https://limited.example.org', aud: AUD })}`, status: 403, check: 'service' },
  { name: 'JWKS endpoint hangs: refused within the fetch budget', authorization: async () => `Bearer ${await signToken({ key: es }, { iss: 'https://slow.example.org', aud: AUD })}`, status: 401, check: 'jwks-unavailable' },
  // Malformed Authorization headers
  { name: 'no Authorization header on a service call', authorization: () => undefined, status: 401, check: 'authorization' },
  { name: 'empty Authorization header', authorization: () => '', status: 401, check: 'authorization' },
  { name: 'Basic credentials', authorization: () => 'Basic dXNlcjpwYXNz', status: 401, check: 'authorization' },
  { name: '"Bearer" without a token', authorization: () => 'Bearer', status: 401, check: 'authorization' },
  { name: 'two parts', authorization: () => 'Bearer abc.def', status: 401, check: 'authorization' },
  { name: 'four parts', authorization: () => 'Bearer abc.def.ghi.jkl', status: 401, check: 'authorization' },
  { name: 'non-base64url characters', authorization: () => 'Bearer ab$c.d+ef.g/hi', status: 401, check: 'authorization' },
  { name: 'base64url parts that are not JSON', authorization: () => 'Bearer abc.def.ghi', status: 401, check: 'token-format' },
  { name: '8 KB of garbage', authorization: () => `Bearer ${'x'.repeat(8192)}`, status: 401, check: 'authorization' },
  { name: 'JWE-like five parts', authorization: () => 'Bearer a.b.c.d.e', status: 401, check: 'authorization' },
];

describe('JWT verification on a service call', () => {
  test.each(rows)('$name → $status', async ({ authorization, status, check }) => {
    const header = await authorization();
    const req = request(app).post(PATH).send(body());
    if (header !== undefined) req.set('Authorization', header);
    const res = await req;
    expect(res.status).toBe(status);
    if (check) expect(res.body).toMatchObject({ check });
    if (status === 401) expect(res.headers['www-authenticate']).toContain('Bearer');
    // Never echo the token back.
    if (header && header.length > 20) expect(JSON.stringify(res.body)).not.toContain(header.slice(7, 40));
  });

  test("the attacker's JWK Set is never fetched", () => {
    expect(attacker.total()).toBe(0);
  });

  test('a replayed token is refused the second time', async () => {
    const jwt = await signToken({ key: es }, { iss: EHR, aud: AUD });
    const first = await request(app).post(PATH).set('Authorization', `Bearer ${jwt}`).send(body());
    const second = await request(app).post(PATH).set('Authorization', `Bearer ${jwt}`).send(body());
    expect(first.status).toBe(200);
    expect(second.status).toBe(401);
    expect(second.body).toMatchObject({ check: 'jti' });
  });

  test('a refused token does not consume its jti', async () => {
    const jti = 'shared-jti';
    const bad = await signToken({ key: es, claims: { jti, aud: `${BASE}/cds-services/x` } }, { iss: EHR, aud: AUD });
    const good = await signToken({ key: es, claims: { jti } }, { iss: EHR, aud: AUD });
    expect((await request(app).post(PATH).set('Authorization', `Bearer ${bad}`).send(body())).status).toBe(401);
    expect((await request(app).post(PATH).set('Authorization', `Bearer ${good}`).send(body())).status).toBe(200);
  });
});

describe('discovery', () => {
  test('answers without a token', async () => {
    const res = await request(app).get('/cds-services');
    expect(res.status).toBe(200);
    expect(res.body.services.length).toBeGreaterThan(0);
  });
  test('verifies a token that is present (aud = discovery URL)', async () => {
    const jwt = await signToken({ key: es }, { iss: EHR, aud: `${BASE}/cds-services` });
    const res = await request(app).get('/cds-services').set('Authorization', `Bearer ${jwt}`);
    expect(res.status).toBe(200);
    expect(res.body.services.length).toBeGreaterThan(0);
  });
  test('refuses a bad token that is present', async () => {
    const jwt = await signToken({ key: es }, { iss: EHR, aud: AUD });
    const res = await request(app).get('/cds-services').set('Authorization', `Bearer ${jwt}`);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ check: 'aud' });
  });
  test('the limited issuer may still use discovery', async () => {
    const jwt = await signToken({ key: es }, { iss: 'https://limited.example.org', aud: `${BASE}/cds-services` });
    expect((await request(app).get('/cds-services').set('Authorization', `Bearer ${jwt}`)).status).toBe(200);
  });
});

describe('fhirServer: the access token goes only where it may', () => {
  test("a fhirServer on the issuer's list is used", async () => {
    const before = fhirOk.total();
    const jwt = await signToken({ key: es }, { iss: EHR, aud: AUD });
    const res = await request(app).post(PATH).set('Authorization', `Bearer ${jwt}`).send(body());
    expect(res.status).toBe(200);
    expect(fhirOk.total()).toBeGreaterThan(before);
  });
  test.each([
    ['another loopback server', () => `${fhirEvil.url}/fhir`],
    ['same host, path outside the prefix', () => `${fhirOk.url}/fhirx`],
    ['cloud metadata address', () => 'http://169.254.169.254/latest'],
  ])('%s → 403 and no request made', async (_name, target) => {
    const totalBefore = fhirEvil.total() + fhirOk.total();
    const jwt = await signToken({ key: es }, { iss: EHR, aud: AUD });
    const res = await request(app).post(PATH).set('Authorization', `Bearer ${jwt}`).send(patientViewBody(target()));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ check: 'fhirServer' });
    expect(fhirEvil.total() + fhirOk.total()).toBe(totalBefore);
  });
});

describe('JWK Set fetching', () => {
  test('50 valid calls fetch the JWK Set at most twice', async () => {
    const server = await startStub({ '/jwks.json': { keys: [es.publicJwk, rs.publicJwk] } });
    try {
      const a = realApp({ PUBLIC_BASE_URL: BASE, CDS_TRUSTED_ISSUERS: JSON.stringify([{ iss: EHR, jku: [`${server.url}/jwks.json`], fhirServers: [`${fhirOk.url}/fhir`] }]) }).app;
      for (let i = 0; i < 50; i++) {
        const jwt = await signToken({ key: i % 2 ? rs : es }, { iss: EHR, aud: AUD });
        expect((await request(a).post(PATH).set('Authorization', `Bearer ${jwt}`).send(body())).status).toBe(200);
      }
      expect(server.hitsOf('/jwks.json')).toBeLessThanOrEqual(2);
      expect(server.hitsOf('/jwks.json')).toBeGreaterThanOrEqual(1);
      console.info(`JWKS fetches over 50 valid calls: ${server.hitsOf('/jwks.json')}`);
    } finally {
      await server.close();
    }
  });

  test('unknown kids refetch at most once per cooldown', async () => {
    const server = await startStub({ '/jwks.json': { keys: [es.publicJwk] } });
    try {
      const a = realApp({ PUBLIC_BASE_URL: BASE, CDS_TRUSTED_ISSUERS: JSON.stringify([{ iss: EHR, jku: [`${server.url}/jwks.json`], fhirServers: [`${fhirOk.url}/fhir`] }]) }).app;
      expect((await request(a).post(PATH).set('Authorization', `Bearer ${await signToken({ key: es }, { iss: EHR, aud: AUD })}`).send(body())).status).toBe(200);
      for (let i = 0; i < 10; i++) {
        const jwt = await signToken({ key: attackerOwn }, { iss: EHR, aud: AUD });
        expect((await request(a).post(PATH).set('Authorization', `Bearer ${jwt}`).send(body())).body).toMatchObject({ check: 'kid' });
      }
      expect(server.hitsOf('/jwks.json')).toBeLessThanOrEqual(2);
    } finally {
      await server.close();
    }
  });
});

describe('algorithm configuration', () => {
  test('the Da Vinci CRD shape (RS256, thumbprint kid, 1-day lifetime) is accepted only when configured', async () => {
    const key = await makeKey('RS256', 'tmp');
    key.kid = await calculateJwkThumbprint(key.publicJwk);
    key.publicJwk.kid = key.kid;
    const server = await startStub({ '/public': { keys: [key.publicJwk] } });
    try {
      const iss = 'http://localhost:8080/test-ehr/r4';
      const trustJson = JSON.stringify([{ iss, jku: [`${server.url}/public`], fhirServers: [`${fhirOk.url}/fhir`] }]);
      const claims = { iat: now(), exp: now() + 86_400, jti: 'q'.repeat(128) };
      const sign = () => signToken({ key, header: { jku: `${server.url}/public` }, claims: { ...claims, jti: `${Math.random()}`.padEnd(128, 'x') } }, { iss, aud: AUD });

      const strict = realApp({ PUBLIC_BASE_URL: BASE, CDS_TRUSTED_ISSUERS: trustJson }).app;
      const refused = await request(strict).post(PATH).set('Authorization', `Bearer ${await sign()}`).send(body());
      expect(refused.status).toBe(401);
      expect(refused.body).toMatchObject({ check: 'alg' });

      const crd = realApp({ PUBLIC_BASE_URL: BASE, CDS_TRUSTED_ISSUERS: trustJson, CDS_ALGORITHMS: 'ES384,RS384,RS256', CDS_MAX_TOKEN_LIFETIME_SECONDS: '86400' }).app;
      const accepted = await request(crd).post(PATH).set('Authorization', `Bearer ${await sign()}`).send(body());
      expect(accepted.status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
