import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createCdsAuth } from '../../src/auth/index.js';
import { interpret } from '../../src/clinical/interpret.js';
import { loadConfig } from '../../src/config/index.js';
import type { ResolvedData, ResolveInput } from '../../src/data/resolve.js';
import { resolvePrefetch } from '../../src/data/resolve.js';
import { setConsoleOutput } from '../../src/log.js';
import { concurrencyLimit } from '../../src/protocol/concurrency-limit.js';
import { errorHandler, notFoundHandler } from '../../src/protocol/errors.js';
import { healthRoutes, Lifecycle } from '../../src/protocol/health.js';
import { hookRoute } from '../../src/protocol/hook-route.js';

/**
 * The concurrency limit in front of the real hook route, wired as it is meant to be mounted in src/app.ts
 * (hook routes only), with a slow stand-in for the FHIR side that the test releases by hand. Over real HTTP.
 */

const PATH = '/cds-services/her2-er-pr-patient-view';
const MAX = 2;

let server: http.Server;
let base: string;
let limiter: ReturnType<typeof concurrencyLimit>;
/** Calls waiting in the stand-in resolvePrefetch; releasing one lets it go on with the real resolver. */
const waiting: Array<() => void> = [];

beforeAll(async () => {
  setConsoleOutput(false);
  const config = loadConfig({ CDS_AUTH: 'disabled', DATA_DIR: 'memory://' });
  const slowResolve = async (input: ResolveInput): Promise<ResolvedData> => {
    await new Promise<void>((resolve) => waiting.push(resolve));
    return resolvePrefetch(input);
  };
  limiter = concurrencyLimit({ max: MAX, retryAfterSeconds: 3 });
  const app = express();
  app.use(healthRoutes(new Lifecycle()));
  app.use(express.json());
  app.post(PATH.replace('her2-er-pr-patient-view', ':id'), limiter, hookRoute({
    config,
    services: config.services,
    auth: createCdsAuth(config.auth),
    resolvePrefetch: slowResolve,
    interpret,
  }));
  app.use(notFoundHandler);
  app.use(errorHandler);
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const release of waiting.splice(0)) release();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const BODY = JSON.stringify({
  hookInstance: '1c4b7e52-3f0e-4a8e-9d62-0a5c1e7b9f31',
  hook: 'patient-view',
  context: { patientId: 'p-limit', userId: 'Practitioner/x' },
  prefetch: { patient: null, biomarkers: null, conditions: null, medications: null },
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function post(signal?: AbortSignal): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${PATH}`, { method: 'POST', agent: false, headers: { 'content-type': 'application/json' }, ...(signal ? { signal } : {}) }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(BODY);
  });
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
}

test('past the limit a hook call gets 503 with Retry-After and a JSON body at once; health still answers; freed slots admit calls again', async () => {
  const first = post();
  const second = post();
  await until(() => waiting.length === MAX);
  expect(limiter.inFlight).toBe(MAX);

  const refused = await post();
  expect(refused.status).toBe(503);
  expect(refused.headers['retry-after']).toBe('3');
  expect(JSON.parse(refused.body)).toMatchObject({ error: 'overloaded' });
  expect(waiting.length).toBe(MAX); // the refused call never reached the route

  const health = await new Promise<number>((resolve, reject) => {
    http.get(`${base}/health`, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
  expect(health).toBe(200);

  for (const release of waiting.splice(0)) release();
  expect((await first).status).toBe(200);
  expect((await second).status).toBe(200);
  await until(() => limiter.inFlight === 0);

  const third = post();
  await until(() => waiting.length === 1);
  for (const release of waiting.splice(0)) release();
  expect((await third).status).toBe(200);
  expect(limiter.refused).toBe(1);
});

test('a call whose client went away frees its slot', async () => {
  const controller = new AbortController();
  const abandoned = post(controller.signal).catch(() => undefined);
  const held = post();
  await until(() => waiting.length === MAX);
  controller.abort();
  await abandoned;
  await until(() => limiter.inFlight === 1);

  const admitted = post();
  await until(() => waiting.length === MAX + 1); // admitted reached the route while the abandoned call still waits
  for (const release of waiting.splice(0)) release();
  expect((await held).status).toBe(200);
  expect((await admitted).status).toBe(200);
});

test('max must be a whole number of at least 1', () => {
  expect(() => concurrencyLimit({ max: 0, retryAfterSeconds: 1 })).toThrow(RangeError);
  expect(() => concurrencyLimit({ max: 1.5, retryAfterSeconds: 1 })).toThrow(RangeError);
});
