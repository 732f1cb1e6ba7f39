import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon, { type RequestSpec } from 'autocannon';
import { repoRoot } from '../src/config/repo-root.js';
import { BENCH_DIR, startBenchServer, startService, type Child } from './proc.js';
import { feedbackBody, orderSignWithPrefetch, ORDER_SIGN_ID, PATIENT_VIEW_ID, patientViewFallback, patientViewWithPrefetch } from './requests.js';
import { writeSoakSection } from './report.js';
import { memoryPlot } from './soak-plot.js';
import { BENCH_ISSUER, BENCH_JKU, createSigner } from './tokens.js';

/**
 * `npm run soak`: a mixed load for a bounded time against the real service process (patient-view with prefetch,
 * the FHIR fallback, order-sign, feedback when that route answers, and bad requests), sampling its RSS and live
 * heap every few seconds. Fails when memory keeps growing after warm-up or when any request errs or gets an
 * unexpected status. Ends with a SIGTERM drain check. Prints the samples, writes docs/benchmarks/soak-memory.svg
 * and the soak section of BENCHMARKS.md.
 * Options: --seconds S (default 600) or --short (90 s), --rate R (requests/s, default 50), --sample S (5),
 * --no-write.
 */

const argv = process.argv.slice(2);
const opt = (name: string): number | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? Number(argv[i + 1]) : undefined;
};
const SHORT = argv.includes('--short');
const SECONDS = opt('seconds') ?? (SHORT ? 90 : 600);
const RATE = opt('rate') ?? 50;
const SAMPLE_SECONDS = opt('sample') ?? 5;
// Warm-up: JIT, pools, and the jti replay store filling up to its steady state (tokens live TOKEN_LIFETIME s).
const WARMUP_SECONDS = Math.max(20, Math.round(SECONDS * 0.25));
const TOKEN_LIFETIME = Math.max(10, Math.min(60, Math.floor(WARMUP_SECONDS / 2)));
const WRITE = !argv.includes('--no-write');

/** Growth allowed after warm-up, between the first and the last quarter of the samples. */
const LIMITS = { heapMb: 5, heapFraction: 0.1, rssMb: 30, rssFraction: 0.25 };

const PUBLIC_BASE_URL = 'http://localhost:8080';
const PV = `/cds-services/${PATIENT_VIEW_ID}`;
const OS = `/cds-services/${ORDER_SIGN_ID}`;
const FEEDBACK = `${PV}/feedback`;

export interface MemorySample {
  t: number;
  rss: number;
  heapUsed: number;
}

const mb = (bytes: number): number => bytes / 2 ** 20;

function sample(child: Child): Promise<MemorySample> {
  const t = process.uptime();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the service did not answer the memory sample')), 5000);
    child.process.once('message', (m: { rss: number; heapUsed: number }) => {
      clearTimeout(timer);
      resolve({ t, rss: m.rss, heapUsed: m.heapUsed });
    });
    child.process.send?.('sample');
  });
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
}

/** Growth between the first and last quarter of the post-warm-up samples, and the least-squares slope per minute. */
export function growth(samples: MemorySample[], pick: (s: MemorySample) => number): { first: number; last: number; grew: number; slopePerMin: number } {
  const q = Math.max(1, Math.floor(samples.length / 4));
  const first = mean(samples.slice(0, q).map(pick));
  const last = mean(samples.slice(-q).map(pick));
  const ts = samples.map((s) => s.t);
  const ys = samples.map(pick);
  const tm = mean(ts);
  const ym = mean(ys);
  const num = ts.reduce((a, t, i) => a + (t - tm) * ((ys[i] ?? 0) - ym), 0);
  const den = ts.reduce((a, t) => a + (t - tm) ** 2, 0);
  return { first, last, grew: last - first, slopePerMin: den > 0 ? (num / den) * 60 : 0 };
}

interface Kind {
  name: string;
  expect: (status: number) => boolean;
  spec: RequestSpec;
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'her2-soak-'));
  const signer = createSigner('ES384');
  const fhir = await startBenchServer('fhir-stub', { delayMs: 20 });
  const slowFhir = await startBenchServer('fhir-stub', { delayMs: 800 });
  const fhirServers = [`${fhir.url}/fhir`, `${slowFhir.url}/fhir`];
  const service = await startService('soak', {
    PUBLIC_BASE_URL,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    // The product's default: the embedded database on disk (memory:// would keep every issued card in RAM).
    DATA_DIR: path.join(work, 'pglite'),
    PATIENT_HASH_KEY: 'soak-only-patient-hash-key-0123456789abcdef',
    SHUTDOWN_TIMEOUT_MS: '10000',
    CDS_TRUSTED_ISSUERS: JSON.stringify([{ iss: BENCH_ISSUER, jku: [BENCH_JKU], jwks: signer.jwks, fhirServers }]),
  }, path.join(work, 'service.log'), { nodeArgs: ['--expose-gc'], ipc: true, entry: path.join(BENCH_DIR, 'servers', 'instrumented.js') });

  const token = (p: string): string => signer.token(`${PUBLIC_BASE_URL}${p}`, TOKEN_LIFETIME);
  const json = { 'content-type': 'application/json' };
  const withToken = (p: string) => (req: { headers?: Record<string, string> }) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${token(p)}` } });
  const pvBody = JSON.stringify(patientViewWithPrefetch());

  // Feedback: another part of the service; included when the route answers a real card's feedback with 2xx.
  const probeCards = await fetch(`${service.url}${PV}`, { method: 'POST', headers: { ...json, authorization: `Bearer ${token(PV)}` }, body: pvBody });
  const firstCard = ((await probeCards.json()) as { cards?: Array<{ uuid?: string }> }).cards?.[0]?.uuid ?? '00000000-0000-4000-8000-000000000000';
  const probe = await fetch(`${service.url}${FEEDBACK}`, { method: 'POST', headers: { ...json, authorization: `Bearer ${token(FEEDBACK)}` }, body: JSON.stringify(feedbackBody(firstCard)) });
  const feedbackOn = probe.status >= 200 && probe.status < 300;
  console.log(`feedback route: answered ${probe.status} to a probe → ${feedbackOn ? 'included in the mix' : 'not included'}`);

  const kinds: Kind[] = [
    {
      name: 'patient-view + prefetch',
      expect: (s) => s === 200,
      spec: {
        method: 'POST', path: PV, headers: json, body: pvBody, setupRequest: withToken(PV),
        onResponse: (_s, body, context) => {
          const uuid = /"uuid":"([^"]+)"/.exec(body)?.[1];
          if (uuid) context.card = uuid;
        },
      },
    },
    { name: 'patient-view fallback (FHIR, 20 ms)', expect: (s) => s === 200, spec: { method: 'POST', path: PV, headers: json, body: JSON.stringify(patientViewFallback(`${fhir.url}/fhir`, 'soak-access-token')), setupRequest: withToken(PV) } },
    { name: 'order-sign + prefetch', expect: (s) => s === 200, spec: { method: 'POST', path: OS, headers: json, body: JSON.stringify(orderSignWithPrefetch()), setupRequest: withToken(OS) } },
    ...(feedbackOn
      ? [{
          name: 'feedback',
          expect: (s: number) => s >= 200 && s < 300,
          spec: {
            method: 'POST', path: FEEDBACK, headers: json,
            setupRequest: (req: { headers?: Record<string, string> }, context: Record<string, unknown>) => ({
              ...withToken(FEEDBACK)(req),
              body: JSON.stringify(feedbackBody(typeof context.card === 'string' ? context.card : firstCard)),
            }),
          },
        }]
      : []),
    { name: 'bad: malformed JSON', expect: (s) => s === 400, spec: { method: 'POST', path: PV, headers: json, body: '{"hook":"patient-view",', setupRequest: withToken(PV) } },
    { name: 'bad: no token', expect: (s) => s === 401, spec: { method: 'POST', path: PV, headers: json, body: pvBody } },
    { name: 'bad: wrong hook for the service', expect: (s) => s === 400, spec: { method: 'POST', path: OS, headers: json, body: pvBody, setupRequest: withToken(OS) } },
  ];
  const unexpected = new Map<string, Map<number, number>>();
  const counts = new Map<string, number>();
  const specs: RequestSpec[] = kinds.map((k) => ({
    ...k.spec,
    onResponse: (status, body, context, headers) => {
      counts.set(k.name, (counts.get(k.name) ?? 0) + 1);
      if (!k.expect(status)) {
        const m = unexpected.get(k.name) ?? new Map<number, number>();
        m.set(status, (m.get(status) ?? 0) + 1);
        unexpected.set(k.name, m);
      }
      k.spec.onResponse?.(status, body, context, headers);
    },
  }));

  console.log(`soak: ${SECONDS} s at ${RATE} req/s (warm-up ${WARMUP_SECONDS} s, tokens live ${TOKEN_LIFETIME} s), memory every ${SAMPLE_SECONDS} s; ${kinds.length} kinds of request`);
  const t0 = process.uptime();
  const samples: MemorySample[] = [await sample(service)];
  const sampler = setInterval(() => {
    sample(service).then((s) => {
      samples.push(s);
      console.log(`  t=${(s.t - t0).toFixed(0).padStart(4)} s  rss ${mb(s.rss).toFixed(1)} MB  heap ${mb(s.heapUsed).toFixed(1)} MB`);
    }, (err: Error) => console.log(`  sample failed: ${err.message}`));
  }, SAMPLE_SECONDS * 1000);
  const result = await autocannon({ url: service.url, connections: 8, duration: SECONDS, overallRate: RATE, timeout: 10, requests: specs });
  clearInterval(sampler);
  samples.push(await sample(service));

  // Drain: three calls in flight on an 800 ms FHIR server, then SIGTERM. All three must complete with 200.
  const inflight = [0, 1, 2].map(() =>
    fetch(`${service.url}${PV}`, { method: 'POST', headers: { ...json, authorization: `Bearer ${token(PV)}` }, body: JSON.stringify(patientViewFallback(`${slowFhir.url}/fhir`)) })
      .then((r) => r.status, () => 0));
  await new Promise((r) => setTimeout(r, 200));
  const exit = new Promise<number | null>((resolve) => service.process.once('exit', (code) => resolve(code)));
  service.process.kill('SIGTERM');
  const drained = await Promise.all(inflight);
  const exitCode = await exit;
  const drainOk = drained.every((s) => s === 200) && exitCode === 0;
  console.log(`drain: in-flight calls answered ${drained.join(', ')} after SIGTERM; process exited ${exitCode} → ${drainOk ? 'ok' : 'FAIL'}`);
  await fhir.stop();
  await slowFhir.stop();

  // Verdict.
  const steady = samples.filter((s) => s.t - t0 >= WARMUP_SECONDS);
  const heap = growth(steady, (s) => mb(s.heapUsed));
  const rss = growth(steady, (s) => mb(s.rss));
  const heapLimit = Math.max(LIMITS.heapMb, heap.first * LIMITS.heapFraction);
  const rssLimit = Math.max(LIMITS.rssMb, rss.first * LIMITS.rssFraction);
  const heapOk = heap.grew <= heapLimit;
  const rssOk = rss.grew <= rssLimit;
  const errors = result.errors + result.timeouts;
  const badStatuses = [...unexpected].map(([k, m]) => `${k}: ${[...m].map(([s, n]) => `${n}× ${s}`).join(', ')}`);
  const ok = heapOk && rssOk && errors === 0 && badStatuses.length === 0 && drainOk;

  const lines = [
    `Soak run ${new Date().toISOString()}: ${SECONDS} s at ${RATE} req/s (${result.requests.total} requests; warm-up ${WARMUP_SECONDS} s), Node ${process.version}.`,
    `Mix: ${kinds.map((k) => `${k.name} (${counts.get(k.name) ?? 0})`).join(', ')}${feedbackOn ? '' : '; feedback not included (route did not answer 2xx)'}.`,
    `Latency: p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms. Errors/timeouts: ${errors}. Unexpected statuses: ${badStatuses.length ? badStatuses.join('; ') : 'none'}.`,
    `Live heap after warm-up (after a full GC): ${heap.first.toFixed(1)} → ${heap.last.toFixed(1)} MB (first vs last quarter; ${heap.grew >= 0 ? '+' : ''}${heap.grew.toFixed(1)} MB, limit +${heapLimit.toFixed(1)}; slope ${heap.slopePerMin.toFixed(2)} MB/min) → ${heapOk ? 'flat' : 'GROWING'}.`,
    `RSS after warm-up: ${rss.first.toFixed(1)} → ${rss.last.toFixed(1)} MB (${rss.grew >= 0 ? '+' : ''}${rss.grew.toFixed(1)} MB, limit +${rssLimit.toFixed(1)}; slope ${rss.slopePerMin.toFixed(2)} MB/min) → ${!rssOk ? 'GROWING' : rss.slopePerMin > 1 ? 'within the limit but rising' : 'flat'}.`,
    `SIGTERM with 3 calls in flight (800 ms FHIR server): answered ${drained.join(', ')}; exit code ${exitCode} → ${drainOk ? 'drained' : 'NOT drained'}.`,
    `Verdict: ${ok ? 'PASS' : 'FAIL'}.`,
  ];
  console.log(`\n${lines.join('\n')}`);

  if (WRITE) {
    const dir = path.join(repoRoot(), 'docs', 'benchmarks');
    mkdirSync(dir, { recursive: true });
    const rel = samples.map((s) => ({ t: s.t - t0, rss: mb(s.rss), heap: mb(s.heapUsed) }));
    writeFileSync(path.join(dir, 'soak-memory.svg'), memoryPlot(rel, WARMUP_SECONDS, `Soak: ${SECONDS} s at ${RATE} req/s, ${process.version}`));
    const every = Math.max(1, Math.ceil(rel.length / 40));
    const table = ['| t (s) | RSS (MB) | live heap (MB) |', '|---:|---:|---:|', ...rel.filter((_, i) => i % every === 0 || i === rel.length - 1).map((s) => `| ${s.t.toFixed(0)} | ${s.rss.toFixed(1)} | ${s.heap.toFixed(1)} |`)];
    writeSoakSection(path.join(repoRoot(), 'BENCHMARKS.md'), `${lines.map((l) => `- ${l}`).join('\n')}\n\n![memory during the soak](docs/benchmarks/soak-memory.svg)\n\n${table.join('\n')}`);
    console.log('wrote docs/benchmarks/soak-memory.svg and the soak section of BENCHMARKS.md');
  }
  process.exitCode = ok ? 0 : 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
