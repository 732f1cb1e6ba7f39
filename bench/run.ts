import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import autocannon, { type Result } from 'autocannon';
import { repoRoot } from '../src/config/repo-root.js';
import { cpuPerCall, threadTimes } from './cpu.js';
import { fhirRequestsServed, startBenchServer, startService, type Child } from './proc.js';
import { orderSignWithPrefetch, ORDER_SIGN_ID, PATIENT_VIEW_ID, patientViewFallback, patientViewWithPrefetch } from './requests.js';
import { writeBenchmarks, type BenchRow } from './report.js';
import { TokenPool } from './token-pool.js';
import { BENCH_ISSUER, BENCH_JKU, createSigner, type BenchSigner } from './tokens.js';

/**
 * `npm run bench`: B0 (express alone), B1 (express + jose), and our service through its real entry
 * (dist/src/server.js, configured by environment), each in its own process on loopback; autocannon runs here.
 * Prints the table and writes BENCHMARKS.md. Options: --duration S (per row, default 8), --connections N (10),
 * --sequential N (fallback single-call samples, 30), --no-write.
 */

const argv = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? Number(argv[i + 1]) : fallback;
};
const DURATION = flag('duration', 8);
const WARMUP = 2;
const CONNECTIONS = flag('connections', 10);
const SEQUENTIAL = flag('sequential', 30);
const WRITE = !argv.includes('--no-write');
// --database-url postgres://…: our service stores jtis, issued cards and feedback there instead of the embedded
// PGlite (WASM, on the service's own event loop).
const DATABASE_URL = (() => {
  const i = argv.indexOf('--database-url');
  return i >= 0 ? argv[i + 1] : undefined;
})();

const PUBLIC_BASE_URL = 'http://localhost:8080';
const PV_PATH = `/cds-services/${PATIENT_VIEW_ID}`;
const OS_PATH = `/cds-services/${ORDER_SIGN_ID}`;
const PV_AUD = `${PUBLIC_BASE_URL}${PV_PATH}`;
const OS_AUD = `${PUBLIC_BASE_URL}${OS_PATH}`;

const work = mkdtempSync(path.join(tmpdir(), 'her2-bench-'));
const rows: BenchRow[] = [];

interface Load {
  path: string;
  body: string;
  /** A fresh bearer token per request; none → no Authorization header. */
  token?: () => string;
}

async function load(url: string, spec: Load, duration: number, connections = CONNECTIONS): Promise<Result> {
  return autocannon({
    url,
    connections,
    duration,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: spec.path,
        headers: { 'content-type': 'application/json' },
        body: spec.body,
        ...(spec.token
          ? { setupRequest: (req) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${spec.token?.()}` } }) }
          : {}),
      },
    ],
  });
}

/** Warm-up (JIT, connection set-up) then the measured run. */
async function measure(name: string, child: Child, spec: Load, note: string): Promise<BenchRow> {
  await load(child.url, spec, WARMUP);
  const pid = child.process.pid ?? -1;
  const before = threadTimes(pid);
  const ownBefore = process.cpuUsage();
  const r = await load(child.url, spec, DURATION);
  const own = process.cpuUsage(ownBefore);
  const cpu = cpuPerCall(pid, before, threadTimes(pid), r.requests.total);
  const row: BenchRow = {
    name,
    note,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    total: r.requests.total,
    ...(cpu ? { cpu: { ...cpu, client: (own.user + own.system) / 1000 / Math.max(r.requests.total, 1) } } : {}),
  };
  console.log(`  ${name}: ${row.rps.toFixed(0)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, errors ${row.errors}, non-2xx ${row.non2xx}`);
  rows.push(row);
  return row;
}

function trust(signers: BenchSigner[], fhirServers: string[] = []): string {
  return JSON.stringify([
    { iss: BENCH_ISSUER, jku: [BENCH_JKU], jwks: { keys: signers.flatMap((s) => s.jwks.keys) }, fhirServers },
  ]);
}

function serviceEnv(extra: Record<string, string>): Record<string, string> {
  // LOG_LEVEL info: one JSON line per request, as in production (the log goes to a file).
  // A throw-away database and a fixed pseudonym key (required in production) keep runs independent.
  return {
    PUBLIC_BASE_URL,
    LOG_LEVEL: 'info',
    NODE_ENV: 'production',
    // The product's default: the embedded database in a data directory on disk (a fresh one per service).
    ...(DATABASE_URL ? { DATABASE_URL } : { DATA_DIR: mkdtempSync(path.join(work, 'pglite-')) }),
    PATIENT_HASH_KEY: 'bench-only-patient-hash-key-0123456789abcdef',
    ...extra,
  };
}

/** Average fhirCalls of the hook calls in a service log (the app logs the count per call). */
function fhirCallsInLog(logFile: string): { calls: number; fhirCalls: number } {
  let calls = 0;
  let fhirCalls = 0;
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.includes('"fhirCalls"')) continue;
    try {
      const entry = JSON.parse(line) as { fhirCalls?: number };
      calls++;
      fhirCalls += entry.fhirCalls ?? 0;
    } catch {
      // a partial last line
    }
  }
  return { calls, fhirCalls };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function fallbackRow(name: string, fhir: Child, signer: BenchSigner, note: string): Promise<void> {
  const fhirServer = `${fhir.url}/fhir`;
  const logFile = path.join(work, `${name}.log`);
  const ours = await startService(name, serviceEnv({ CDS_TRUSTED_ISSUERS: trust([signer], [fhirServer]) }), logFile);
  try {
    const body = JSON.stringify(patientViewFallback(fhirServer, 'bench-access-token'));
    // Single-call latency: one call at a time (keep-alive connection), token signed before the clock starts.
    const times: number[] = [];
    let statuses = new Map<number, number>();
    const before = await fhirRequestsServed(fhir);
    for (let i = 0; i < SEQUENTIAL + 3; i++) {
      const token = signer.token(PV_AUD);
      const t0 = performance.now();
      const res = await fetch(`${ours.url}${PV_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body,
      });
      await res.arrayBuffer();
      const ms = performance.now() - t0;
      if (i >= 3) times.push(ms); // the first calls warm up the connection pools
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }
    const served = (await fhirRequestsServed(fhir)) - before;
    times.sort((a, b) => a - b);
    const perCall = served / (SEQUENTIAL + 3);
    console.log(`  ${name} single call: p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms, ` +
      `FHIR requests per call ${perCall.toFixed(2)}, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    statuses = new Map();

    const row = await measure(name, ours, { path: PV_PATH, body, token: () => signer.token(PV_AUD) }, note);
    const logged = fhirCallsInLog(logFile);
    row.fhirPerCall = perCall;
    row.fhirPerCallLogged = logged.calls ? logged.fhirCalls / logged.calls : undefined;
    row.sequential = { n: times.length, p50: percentile(times, 50), p99: percentile(times, 99), max: times[times.length - 1] ?? NaN };
  } finally {
    await ours.stop();
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadBefore = loadavg()[0] ?? 0;
  console.log(`bench: ${DURATION} s per row after ${WARMUP} s warm-up, ${CONNECTIONS} connections, loopback only; work dir ${work}`);
  const es384 = createSigner('ES384');
  const rs384 = createSigner('RS384');
  const responseFile = path.join(work, 'cards-response.json');
  const pvBody = JSON.stringify(patientViewWithPrefetch());
  const osBody = JSON.stringify(orderSignWithPrefetch());

  // 1. Ours without auth: also captures the cards response B0 and B1 send back.
  let ours = await startService('ours-noauth', serviceEnv({ CDS_AUTH: 'disabled', NODE_ENV: 'development' }), path.join(work, 'ours-noauth.log'));
  const captured = await fetch(`${ours.url}${PV_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: pvBody });
  if (captured.status !== 200) throw new Error(`ours answered ${captured.status} to the benchmark request`);
  writeFileSync(responseFile, await captured.text());
  const noAuth = await measure('ours, patient-view, prefetch, auth disabled', ours, { path: PV_PATH, body: pvBody }, 'CDS_AUTH=disabled');
  await ours.stop();

  // 2. B0.
  let base = await startBenchServer('b0', { responseFile });
  const b0 = await measure('B0: express + body parser + fixed cards', base, { path: PV_PATH, body: pvBody }, 'framework limit');
  await base.stop();

  // Pools: ours cannot serve more than it does without auth, so that rate bounds the tokens a row can use.
  const poolSize = (rps: number): number => Math.ceil(rps * (DURATION + WARMUP) * 1.2) + 500;

  for (const signer of [es384, rs384]) {
    const b1Pool = await TokenPool.create(signer, PV_AUD, 2000);
    // B1 does not keep jtis: cycling a pool of distinct tokens costs it exactly what fresh ones would.
    let cycle = 0;
    const b1Tokens = (): string => {
      if (cycle >= b1Pool.size) {
        cycle = 0;
        b1Pool.rewind();
      }
      cycle++;
      return b1Pool.next();
    };
    base = await startBenchServer('b1', { responseFile, iss: BENCH_ISSUER, audience: PV_AUD, jwks: signer.jwks });
    const b1 = await measure(`B1 ${signer.alg}: B0 + jose jwtVerify`, base, { path: PV_PATH, body: pvBody, token: b1Tokens }, 'cryptographic limit');
    await base.stop();

    const pool = await TokenPool.create(signer, PV_AUD, poolSize(Math.min(b1.rps, noAuth.rps)));
    ours = await startService(`ours-${signer.alg}`, serviceEnv({ CDS_TRUSTED_ISSUERS: trust([signer]) }), path.join(work, `ours-${signer.alg}.log`));
    const row = await measure(`ours, patient-view, prefetch, ${signer.alg} JWT`, ours, { path: PV_PATH, body: pvBody, token: () => pool.next() }, 'fresh jti per call');
    row.signedDuringRun = pool.signedDuringRun;
    row.vsB1 = { rps: row.rps / b1.rps, p99: row.p99 / b1.p99 };
    await ours.stop();
    if (signer === es384) {
      const osPool = await TokenPool.create(signer, OS_AUD, poolSize(Math.min(b1.rps, noAuth.rps)));
      ours = await startService('ours-order-sign', serviceEnv({ CDS_TRUSTED_ISSUERS: trust([signer]) }), path.join(work, 'ours-order-sign.log'));
      const os = await measure('ours, order-sign (trastuzumab draft), prefetch, ES384 JWT', ours, { path: OS_PATH, body: osBody, token: () => osPool.next() }, 'fresh jti per call');
      os.signedDuringRun = osPool.signedDuringRun;
      os.vsB1 = { rps: os.rps / b1.rps, p99: os.p99 / b1.p99 };
      await ours.stop();
    }
  }
  noAuth.vsB0 = noAuth.rps / b0.rps;

  // Fallback: no prefetch, all four keys read from a FHIR server (ES384 JWT; the issuer lists that server).
  const embedded = await startBenchServer('fhir-embedded');
  await fallbackRow('ours, patient-view fallback, embedded FHIR server', embedded, es384, '4 keys fetched; medplum in-memory store');
  await embedded.stop();
  const slow = await startBenchServer('fhir-stub', { delayMs: 100 });
  await fallbackRow('ours, patient-view fallback, FHIR server answering after 100 ms', slow, es384, '4 keys fetched in parallel');
  await slow.stop();

  for (const row of rows) if (row.vsB0 === undefined) row.vsB0 = row.rps / b0.rps;
  const seconds = Math.round((Date.now() - started) / 1000);
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB`;
  const report = writeBenchmarks({
    rows,
    machine,
    node: process.version,
    date: new Date().toISOString(),
    duration: DURATION,
    warmup: WARMUP,
    connections: CONNECTIONS,
    storage: DATABASE_URL ? 'PostgreSQL (DATABASE_URL, loopback)' : 'embedded PGlite (worker thread), data directory on disk',
    seconds,
    load: { before: loadBefore, after: loadavg()[0] ?? 0 },
    file: WRITE ? path.join(repoRoot(), 'BENCHMARKS.md') : undefined,
  });
  console.log(`\n${report.table}\n`);
  for (const line of report.verdicts) console.log(line);
  console.log(`\nbench took ${seconds} s${WRITE ? '; BENCHMARKS.md written' : ''}`);
  process.exitCode = report.verdicts.some((v) => v.startsWith('FAIL')) ? 1 : 0;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
