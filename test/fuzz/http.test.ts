import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { fuzzRequest } from '../../bench/fuzz/arbitraries.js';
import { FuzzTally, send, stableCards } from '../../bench/fuzz/harness.js';
import { patientViewWithPrefetch, PATIENT_VIEW_ID } from '../../bench/requests.js';
import { createSigner, trustEntry } from '../../bench/tokens.js';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { setConsoleOutput } from '../../src/log.js';
import { startScenarioFhir } from './fhir-stub.js';

/**
 * HTTP fuzzing (issue 10, part 2), bounded for CI: FUZZ_RUNS requests (default 400) of random and mutated hook
 * requests against the real app on a loopback port, auth on (pinned ES384 test issuer; most requests carry a
 * fresh valid token so they reach the hook logic). Pass: a 200 with a valid cards array or a 4xx with a JSON body;
 * never a 5xx, a dropped connection or a hang; and a known-good request answers the same before and after.
 * `npm run fuzz` runs the same generators much longer against the real server process (bench/fuzz.ts).
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 400);
const PUBLIC_BASE_URL = 'http://localhost:8080';
const signer = createSigner('ES384');

let server: http.Server;
let base: string;
let fhir: Awaited<ReturnType<typeof startScenarioFhir>>;

beforeAll(async () => {
  setConsoleOutput(false);
  fhir = await startScenarioFhir();
  const config = loadConfig({
    PUBLIC_BASE_URL,
    CDS_TRUSTED_ISSUERS: JSON.stringify([trustEntry(signer, [fhir.base])]),
    FHIR_TIME_BUDGET_MS: '1000',
    DATA_DIR: 'memory://',
  });
  server = createApp({ config }).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await fhir.close();
});

const tokenFor = (path: string): string => signer.token(`${PUBLIC_BASE_URL}${path}`);

async function knownGood(): Promise<{ status: number; cards: string }> {
  const answer = await send(base, {
    method: 'POST', path: `/cds-services/${PATIENT_VIEW_ID}`, headers: { 'content-type': 'application/json' },
    body: JSON.stringify(patientViewWithPrefetch()), kind: 'known-good', withToken: true,
  }, tokenFor);
  return { status: answer.status, cards: stableCards(answer.body) };
}

test(`${RUNS} hostile requests: never a 5xx, a dropped connection or a hang; 4xx answers are JSON; same behaviour afterwards`, async () => {
  const before = await knownGood();
  expect(before.status).toBe(200);

  const tally = new FuzzTally();
  try {
    await fc.assert(
      fc.asyncProperty(fuzzRequest({ allowedFhirServer: fhir.base }), async (r) => {
        const answer = await send(base, r, tokenFor).catch((err: Error) => err);
        const verdict = tally.record(r, answer);
        if (!verdict.ok) throw new Error(`${verdict.why}\nrequest: ${r.method} ${r.path} ${JSON.stringify(r.headers)} ${String(r.body).slice(0, 300)}`);
      }),
      // A failure prints its seed; FUZZ_SEED=<seed> replays that run.
      { numRuns: RUNS, interruptAfterTimeLimit: 60_000, ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}) },
    );
  } finally {
    console.log(tally.summary()); // count and status histogram, also when a request failed (then shrinking follows)
  }

  const after = await knownGood();
  expect(after).toEqual(before);
  expect(tally.tried).toBeGreaterThan(0);
  // Most requests must get past the token and into the hook logic, or the fuzzing proves little.
  expect((tally.statuses.get(200) ?? 0) + (tally.statuses.get(400) ?? 0)).toBeGreaterThan(tally.tried / 3);
}, 120_000);
