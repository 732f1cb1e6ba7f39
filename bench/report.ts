import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** One benchmark row. Latencies in ms, as autocannon reports them. */
export interface BenchRow {
  name: string;
  note: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
  vsB0?: number;
  vsB1?: { rps: number; p99: number };
  /** Tokens the client had to sign during the run (pool exhausted); 0 = none. */
  signedDuringRun?: number;
  /** FHIR requests per hook call: counted by the FHIR server, and as the app logged them. */
  fhirPerCall?: number;
  fhirPerCallLogged?: number | undefined;
  /** CPU ms per call: the server's event loop, its other threads (libuv pool, GC, database), the load generator. */
  cpu?: { main: number; other: number; client: number };
  /** Single-call latency of the fallback, one call at a time. */
  sequential?: { n: number; p50: number; p99: number; max: number };
}

export interface BenchRun {
  rows: BenchRow[];
  machine: string;
  node: string;
  date: string;
  duration: number;
  warmup: number;
  connections: number;
  /** Where our service keeps jtis, issued cards and feedback during the run. */
  storage: string;
  seconds: number;
  /** 1-minute load average before and after: other work on the machine skews every row. */
  load: { before: number; after: number };
  /** BENCHMARKS.md to (re)write; the soak section in it is kept. */
  file?: string | undefined;
}

/** Targets of issue 10. */
export const TARGETS = {
  es384VsB1Rps: 0.8,
  es384VsB1P99: 1.5,
  noAuthVsB0Rps: 0.6,
  fallbackSlowMs: 150,
} as const;

const SOAK_START = '<!-- soak:start -->';
const SOAK_END = '<!-- soak:end -->';
// A hand-written analysis of the figures (where the time goes), kept as it is when the bench rewrites the file.
const ANALYSIS_START = '<!-- analysis:start -->';
const ANALYSIS_END = '<!-- analysis:end -->';

/** The block between `start` and `end` (markers included) in `text`, or `fallback`. */
function keptBlock(text: string, start: string, end: string, fallback: string): string {
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  return from >= 0 && to > from ? text.slice(from, to + end.length) : `${start}\n${fallback}\n${end}`;
}

const f0 = (n: number): string => (Number.isFinite(n) ? n.toFixed(0) : '–');
const f1 = (n: number): string => (Number.isFinite(n) ? n.toFixed(1) : '–');
const f2 = (n: number | undefined): string => (n !== undefined && Number.isFinite(n) ? n.toFixed(2) : '–');

export function benchTable(rows: BenchRow[]): string {
  const head =
    '| row | req/s | p50 ms | p99 ms | errors | non-2xx | ×B0 req/s | ×B1 req/s | p99 ×B1 | FHIR req/call | single call p50 / p99 ms | CPU ms/call: event loop / other threads / client |';
  const rule = '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|';
  const lines = rows.map((r) =>
    `| ${r.name} (${r.note}) | ${f0(r.rps)} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.non2xx} | ${f2(r.vsB0)} | ${f2(r.vsB1?.rps)} | ${f2(r.vsB1?.p99)} | ` +
      `${r.fhirPerCall !== undefined ? `${f2(r.fhirPerCall)}${r.fhirPerCallLogged !== undefined ? ` (log ${f2(r.fhirPerCallLogged)})` : ''}` : '0'} | ` +
      `${r.sequential ? `${f1(r.sequential.p50)} / ${f1(r.sequential.p99)}` : '–'} | ` +
      `${r.cpu ? `${f2(r.cpu.main)} / ${f2(r.cpu.other)} / ${f2(r.cpu.client)}` : '–'} |`,
  );
  return [head, rule, ...lines].join('\n');
}

/** PASS/FAIL lines for the targets. */
export function verdicts(rows: BenchRow[]): string[] {
  const out: string[] = [];
  const es = rows.find((r) => r.name.startsWith('ours, patient-view, prefetch, ES384'));
  if (es?.vsB1) {
    out.push(`${es.vsB1.rps >= TARGETS.es384VsB1Rps ? 'PASS' : 'FAIL'}: ours with ES384 at ${f2(es.vsB1.rps)}× B1's throughput (target ≥ ${TARGETS.es384VsB1Rps})`);
    out.push(`${es.vsB1.p99 <= TARGETS.es384VsB1P99 ? 'PASS' : 'FAIL'}: ours with ES384 p99 at ${f2(es.vsB1.p99)}× B1's (target ≤ ${TARGETS.es384VsB1P99})`);
  }
  const na = rows.find((r) => r.name.includes('auth disabled'));
  if (na?.vsB0 !== undefined) {
    out.push(`${na.vsB0 >= TARGETS.noAuthVsB0Rps ? 'PASS' : 'FAIL'}: ours without auth at ${f2(na.vsB0)}× B0's throughput (target ≥ ${TARGETS.noAuthVsB0Rps})`);
  }
  const slow = rows.find((r) => r.name.includes('100 ms'));
  if (slow?.sequential) {
    out.push(`${slow.sequential.p99 < TARGETS.fallbackSlowMs ? 'PASS' : 'FAIL'}: fallback with 4 missing keys and a 100 ms FHIR server: ` +
      `single call p50 ${f1(slow.sequential.p50)} ms, p99 ${f1(slow.sequential.p99)} ms (target < ${TARGETS.fallbackSlowMs} ms), ` +
      `${f2(slow.fhirPerCall)} FHIR requests per call`);
  }
  for (const r of rows) {
    if (r.errors > 0 || r.non2xx > 0) out.push(`FAIL: ${r.name}: ${r.errors} errors, ${r.non2xx} non-2xx answers`);
    if (r.signedDuringRun) out.push(`NOTE: ${r.name}: the token pool ran out; the client signed ${r.signedDuringRun} tokens during the run`);
  }
  return out;
}

export function writeBenchmarks(run: BenchRun): { table: string; verdicts: string[] } {
  const table = benchTable(run.rows);
  const v = verdicts(run.rows);
  if (run.file) {
    const previous = existsSync(run.file) ? readFileSync(run.file, 'utf8') : '';
    const soak = keptBlock(previous, SOAK_START, SOAK_END, '_No soak run recorded yet: `npm run soak`._');
    const analysis = keptBlock(previous, ANALYSIS_START, ANALYSIS_END, '_No analysis written yet._');
    writeFileSync(run.file, render(run, table, v, soak, analysis));
  }
  return { table, verdicts: v };
}

/** Replaces the soak section of BENCHMARKS.md (written by bench/soak.ts). */
export function writeSoakSection(file: string, section: string): void {
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : `# Benchmarks\n\n${SOAK_START}\n${SOAK_END}\n`;
  const block = `${SOAK_START}\n${section.trim()}\n${SOAK_END}`;
  const next = previous.includes(SOAK_START)
    ? previous.slice(0, previous.indexOf(SOAK_START)) + block + previous.slice(previous.indexOf(SOAK_END) + SOAK_END.length)
    : `${previous.trimEnd()}\n\n## Soak\n\n${block}\n`;
  writeFileSync(file, next);
}

function render(run: BenchRun, table: string, v: string[], soak: string, analysis: string): string {
  return `# Benchmarks

Written by \`npm run bench\` (bench/run.ts) and \`npm run soak\` (bench/soak.ts). Numbers from one run on the machine below;
rerun to refresh. Everything runs on loopback; each server is its own process; autocannon runs in the parent.

- Machine: ${run.machine}
- Node: ${run.node}
- Date: ${run.date}
- Other load on the machine (1-min load average before / after the run): ${run.load.before.toFixed(2)} / ${run.load.after.toFixed(2)}
- Our service's storage (jti replay store, issued cards, feedback): ${run.storage}
- Load: ${run.duration} s per row after ${run.warmup} s of warm-up, ${run.connections} connections, no pipelining (whole run: ${run.seconds} s)

## Rows

- **B0**: express 5 + \`express.json\` parsing the same patient-view request (full prefetch of a scenario chart) and
  answering the same cards response our service gives for it. The framework's limit.
- **B1**: B0 + jose \`jwtVerify\` of the same token shape (Sandbox header: alg, typ, kid, jku; claims iss, sub, aud,
  exp, iat, jti) with the options our service uses, against a pinned key. The cryptographic limit. B1 keeps no jtis,
  so it cycles 2,000 distinct pre-signed tokens; our service gets a fresh token on every call (pre-signed pool).
- **ours**: the real entry (\`dist/src/server.js\`) configured by environment: NODE_ENV=production, LOG_LEVEL=info
  (one JSON log line per call, to a file), the bench issuer pinned inline in CDS_TRUSTED_ISSUERS. Every call
  also goes through the storage: jti checked and kept, suppressions looked up, issued cards recorded (with the
  embedded database: suppressions from memory, issued cards written in batches by the database's own thread).
- **fallback**: patient-view without prefetch, so all four keys (patient, biomarkers, conditions, medications) are
  read from fhirServer with the access token. "FHIR req/call" is counted by the FHIR server (and, in brackets, as the
  service logged \`fhirCalls\`). "single call" is one call at a time (${'`'}--sequential${'`'} samples), the latency an EHR sees.
- **CPU ms/call**: CPU time used during the measured run, per call answered, read per thread from /proc: the
  server's event loop; its other threads together (libuv's pool, where WebCrypto checks signatures; V8's garbage
  collector; our embedded database's thread); and the load generator (autocannon, this process). All three share
  the machine's cores, so a row's throughput is bounded by their sum, not by the event loop alone.

## Results

${table}

${v.map((line) => `- ${line}`).join('\n')}

## Where the time goes

${analysis}

## Soak

${soak}
`;
}
