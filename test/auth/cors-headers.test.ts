/** Issue 6, point 5: CORS for browser clients (the Sandbox), HTTP hardening, and the pinned Sandbox key set. */
import path from 'node:path';
import request from 'supertest';
import { makeKey, signToken } from './harness.js';
import { patientViewBody, realApp } from './real-app.js';

const SANDBOX = 'https://sandbox.cds-hooks.org';
const { app } = realApp(
  {
    PUBLIC_BASE_URL: 'http://localhost:3000',
    CORS_ORIGINS: SANDBOX,
    BODY_LIMIT: '10kb',
    CDS_TRUSTED_ISSUERS: `@${path.resolve(process.cwd(), 'docs/examples/trust-sandbox.json')}`,
  },
  { fetchTimeoutMs: 200 },
);
const SERVICE_PATH = '/cds-services/her2-er-pr-patient-view';

describe('CORS', () => {
  test('preflight from the allowed origin is answered without a token', async () => {
    const res = await request(app)
      .options(SERVICE_PATH)
      .set('Origin', SANDBOX)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(SANDBOX);
    expect(res.headers['access-control-allow-methods']).toBe('GET,POST,OPTIONS');
    expect(res.headers['access-control-allow-headers']).toBe('Authorization,Content-Type,Accept');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });
  test('preflight from another origin is refused with no CORS headers', async () => {
    const res = await request(app).options('/cds-services').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'GET');
    expect(res.status).toBe(403);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
  test('Private Network Access preflight (public page → localhost) is allowed for an allowed origin', async () => {
    const res = await request(app)
      .options('/cds-services')
      .set('Origin', SANDBOX)
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Private-Network', 'true');
    expect(res.headers['access-control-allow-private-network']).toBe('true');
  });
  test('an actual call from the allowed origin carries Allow-Origin; from another origin it does not', async () => {
    const ok = await request(app).get('/cds-services').set('Origin', SANDBOX);
    expect(ok.headers['access-control-allow-origin']).toBe(SANDBOX);
    const other = await request(app).get('/cds-services').set('Origin', 'https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
  test('with no CORS_ORIGINS (the default) every preflight is refused', async () => {
    const res = await request(realApp({}).app).options('/cds-services').set('Origin', SANDBOX).set('Access-Control-Request-Method', 'GET');
    expect(res.status).toBe(403);
  });
});

describe('hardening', () => {
  test('helmet headers, no x-powered-by', async () => {
    const res = await request(app).get('/cds-services');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['strict-transport-security']).toBeDefined();
  });
  test('an oversized body is refused with 413 before any other work', async () => {
    const res = await request(app).post(SERVICE_PATH).set('Content-Type', 'application/json').send(JSON.stringify({ pad: 'x'.repeat(20_000) }));
    expect(res.status).toBe(413);
  });
  test('no stack trace or internals in an error answer', async () => {
    const res = await request(app).post(SERVICE_PATH).set('Content-Type', 'application/json').send('{"hook": ');
    expect(res.status).toBe(400);
    expect(res.text).not.toMatch(/at .*\.(js|ts):\d+|node_modules|SyntaxError/);
  });
});

describe('the Sandbox issuer with its published JWK Set pinned', () => {
  test('a token naming the Sandbox jku but signed with another key fails on the signature, and nothing is fetched', async () => {
    // Same kid and jku as the Sandbox; our own key. The pinned set is used: a fetch attempt (offline host) would
    // have surfaced as jwks-unavailable instead.
    const forger = await makeKey('ES384', '44823f3d-0b01-4a6c-a80e-b9d3e8a7226f');
    const jwt = await signToken(
      { key: forger, header: { jku: 'https://sandbox.cds-hooks.org/.well-known/jwks.json' } },
      { iss: SANDBOX, aud: `http://localhost:3000${SERVICE_PATH}` },
    );
    const res = await request(app).post(SERVICE_PATH).set('Authorization', `Bearer ${jwt}`).send(patientViewBody('https://launch.smarthealthit.org/v/r4/fhir'));
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ check: 'signature' });
  });
});
