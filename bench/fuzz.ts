import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { fuzzRequest } from './fuzz/arbitraries.js';
import { FuzzTally, send, stableCards } from './fuzz/harness.js';
import { startService } from './proc.js';
import { patientViewWithPrefetch, PATIENT_VIEW_ID, scenarioResources } from './requests.js';
import { createSigner, trustEntry } from './tokens.js';

/**
 * `npm run fuzz`: the fuzz generators of test/fuzz/http.test.ts, many more requests (--runs N, default 20000),
 * against the real server process (dist/src/server.js) on loopback, with a loopback FHIR server for the fallback.
 * Keeps going after a failure and prints every distinct failure, the status histogram, and whether the process
 * still answers a known-good request the same way. Exit code 1 on any failure. --seed N reproduces a run.
 */
const argv = process.argv.slice(2);
const opt = (name: string): number | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? Number(argv[i + 1]) : undefined;
};
const RUNS = opt('runs') ?? 20_000;
const SEED = opt('seed') ?? Date.now() % 2 ** 31;
const CONCURRENCY = opt('concurrency') ?? 8;
const PUBLIC_BASE_URL = 'http://localhost:8080';

async function main(): Promise<void> {
  const resources = scenarioResources();
  const fhirServer = http.createServer((req, res) => {
    const [, , type, id] = new URL(req.url ?? '/', 'http://x').pathname.split('/');
    const found = id !== undefined ? resources.find((r) => r.resourceType === type && r.id === id)
      : { resourceType: 'Bundle', type: 'searchset', entry: resources.filter((r) => r.resourceType === type).map((resource) => ({ resource })) };
    res.writeHead(found ? 200 : 404, { 'content-type': 'application/fhir+json' }).end(JSON.stringify(found ?? { resourceType: 'OperationOutcome', issue: [] }));
  });
  await new Promise<void>((resolve) => fhirServer.listen(0, '127.0.0.1', resolve));
  const fhirBase = `http://127.0.0.1:${(fhirServer.address() as AddressInfo).port}/fhir`;

  const signer = createSigner('ES384');
  const log = path.join(mkdtempSync(path.join(tmpdir(), 'her2-fuzz-')), 'service.log');
  const service = await startService('fuzz-target', {
    PUBLIC_BASE_URL,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATA_DIR: 'memory://',
    PATIENT_HASH_KEY: 'fuzz-only-patient-hash-key-0123456789abcdef',
    FHIR_TIME_BUDGET_MS: '1000',
    CDS_TRUSTED_ISSUERS: JSON.stringify([trustEntry(signer, [fhirBase])]),
  }, log);
  let exited: string | undefined;
  service.process.once('exit', (code, signal) => (exited = `exited (${code ?? signal})`));

  const tokenFor = (p: string): string => signer.token(`${PUBLIC_BASE_URL}${p}`);
  const knownGood = async (): Promise<string> => {
    const a = await send(service.url, { method: 'POST', path: `/cds-services/${PATIENT_VIEW_ID}`, headers: { 'content-type': 'application/json' }, body: JSON.stringify(patientViewWithPrefetch()), kind: 'known-good', withToken: true }, tokenFor);
    return `${a.status} ${stableCards(a.body)}`;
  };

  console.log(`fuzz: ${RUNS} requests, seed ${SEED}, ${CONCURRENCY} at a time, target ${service.url} (service log ${log})`);
  const before = await knownGood();
  const requests = fc.sample(fuzzRequest({ allowedFhirServer: fhirBase }), { numRuns: RUNS, seed: SEED });
  const tally = new FuzzTally();
  let next = 0;
  const started = Date.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < requests.length && !exited) {
      const r = requests[next++] as (typeof requests)[number];
      tally.record(r, await send(service.url, r, tokenFor).catch((err: Error) => err));
      if (tally.tried % 2000 === 0) console.log(`  ${tally.tried} requests, ${tally.failures.length} failures, ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
  }));
  const after = exited ? `service ${exited}` : await knownGood();

  console.log(tally.summary());
  // Group failures by reason and by the content-encoding sent (a known cause), one example each.
  const distinct = new Map<string, (typeof tally.failures)[number]>();
  for (const f of tally.failures) {
    const key = `${f.why} [content-encoding: ${f.request.headers['content-encoding'] ?? 'none'}]`;
    if (!distinct.has(key)) distinct.set(key, f);
  }
  for (const [why, f] of distinct) {
    console.log(`FAIL ${why}\n  e.g. ${f.request.kind}: ${f.request.method} ${f.request.path} ${JSON.stringify(f.request.headers)} ${String(f.request.body ?? '').slice(0, 200)}`);
  }
  const same = before === after;
  console.log(same ? 'known-good request: same answer before and after' : `FAIL known-good request answered differently afterwards (${after.slice(0, 120)})`);
  await service.stop();
  fhirServer.close();
  process.exitCode = tally.failures.length === 0 && same ? 0 : 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
