/**
 * Issue 9, part 4: two real service processes (node dist/src/server.js) behind one public URL share one real
 * PostgreSQL (a throw-away database). A token replayed on the other instance is refused; an override on one
 * suppresses on the other; both survive a restart with nothing lost. Logs a short transcript.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/app.js';
import { makeKey, signToken, type TestKey } from '../auth/harness.js';
import { createThrowawayDb, pgReachable, requirePg } from '../storage/pg-server.js';

const PUBLIC = 'https://cds.lb.test';
const ISS = 'https://ehr.two-instances.test';
const SERVICE = 'her2-er-pr-patient-view';
const FIXTURE = 'her2-ihc2-awaiting-ish';
const KIND = 'her2-equivocal-pending-ish';
const REASON = { system: 'http://her2-cds.local/CodeSystem/override-reason', code: 'ish-already-ordered' };

interface Instance {
  name: string;
  port: number;
  child: ChildProcess;
}

const transcript: string[] = [];
const say = (line: string) => transcript.push(line);

let key: TestKey;
let db: { url: string; drop: () => Promise<void> } | undefined;
let env: NodeJS.ProcessEnv;
const running: Instance[] = [];

function start(name: string): Promise<Instance> {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/src/server.js')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${err || out}`)), 30_000);
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => reject(new Error(`${name} exited ${code}: ${err}`)));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /"message":"listening"[^\n]*"port":(\d+)|"port":(\d+)[^\n]*"message":"listening"/.exec(out);
      if (m) {
        clearTimeout(timer);
        const inst = { name, port: Number(m[1] ?? m[2]), child };
        running.push(inst);
        resolve(inst);
      }
    });
  });
}

async function ready(inst: Instance): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const res = await fetch(`http://127.0.0.1:${inst.port}/ready`).catch(() => undefined);
    if (res?.status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${inst.name} never became ready`);
}

async function stop(inst: Instance): Promise<void> {
  inst.child.removeAllListeners('exit');
  const exited = new Promise<void>((resolve) => {
    if (inst.child.exitCode !== null || inst.child.signalCode !== null) resolve();
    else inst.child.once('exit', () => resolve());
  });
  inst.child.kill('SIGTERM');
  // Drain is bounded by SHUTDOWN_TIMEOUT_MS; never wait for ever on a child.
  const timer = setTimeout(() => inst.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
  running.splice(running.indexOf(inst), 1);
}

const token = (endpoint: string) => signToken({ key }, { iss: ISS, aud: `${PUBLIC}${endpoint}` });

function hookBody(): Record<string, unknown> {
  const bundle = JSON.parse(readFileSync(path.join(ROOT, 'fixtures', `${FIXTURE}.json`), 'utf8')) as { entry: Array<{ resource: { resourceType: string } }> };
  const of = (type: string) => ({ resourceType: 'Bundle', type: 'searchset', entry: bundle.entry.filter((e) => e.resource.resourceType === type) });
  return {
    hookInstance: 'd1577c69-dfbe-44ad-ba6d-3e05e953b2ea',
    hook: 'patient-view',
    context: { patientId: FIXTURE, userId: 'Practitioner/example' },
    prefetch: {
      patient: bundle.entry.find((e) => e.resource.resourceType === 'Patient')!.resource,
      biomarkers: of('Observation'),
      conditions: of('Condition'),
      medications: null,
    },
  };
}

async function call(inst: Instance, bearer: string, endpoint = `/cds-services/${SERVICE}`, body: unknown = hookBody()) {
  const res = await fetch(`http://127.0.0.1:${inst.port}${endpoint}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

type Card = { uuid: string; extension?: Record<string, unknown> };
const kinds = (body: Record<string, unknown> | undefined) => ((body?.cards ?? []) as Card[]).map((c) => String(c.extension?.['org.her2-cds.card-kind']));

beforeAll(async () => {
  const reachable = await pgReachable();
  requirePg(reachable);
  if (!reachable) throw new Error('PostgreSQL not reachable (set TEST_DATABASE_URL or start the server)');
  // Built once from the current sources; type errors elsewhere do not stop tsc from emitting.
  spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'ignore' });
  if (!existsSync(path.join(ROOT, 'dist/src/server.js'))) throw new Error('build produced no dist/src/server.js');
  key = await makeKey('ES384', 'two-instances-1');
  db = await createThrowawayDb('her2cds_two');
  env = {
    PATH: process.env.PATH,
    PORT: '0',
    HOST: '127.0.0.1',
    PUBLIC_BASE_URL: PUBLIC,
    DATABASE_URL: db.url,
    PATIENT_HASH_KEY: 'two-instances-test-key-0123456789abcdef',
    CDS_TRUSTED_ISSUERS: JSON.stringify([{ iss: ISS, jwks: { keys: [key.publicJwk] } }]),
    LOG_LEVEL: 'info',
    SHUTDOWN_TIMEOUT_MS: '5000',
  };
}, 120_000);

afterAll(async () => {
  for (const inst of [...running]) await stop(inst);
  await db?.drop();
  console.log(['two instances on one PostgreSQL:', ...transcript].join('\n  '));
}, 60_000);

test('two instances on one PostgreSQL behave as one, across a restart', async () => {
  let a = await start('A');
  let b = await start('B');
  await Promise.all([ready(a), ready(b)]);
  say(`started A (port ${a.port}) and B (port ${b.port}), DATABASE_URL = one throw-away database, PUBLIC_BASE_URL = ${PUBLIC}`);

  // 1. replay across instances
  const t1 = await token(`/cds-services/${SERVICE}`);
  const first = await call(a, t1);
  const replay = await call(b, t1);
  say(`token T1 on A → ${first.status}; the same T1 replayed on B → ${replay.status} (${String(replay.body?.check ?? replay.body?.error)})`);
  expect(first.status).toBe(200);
  expect(replay.status).toBe(401);
  expect(replay.body).toMatchObject({ check: 'jti' });

  // 2. override on one instance suppresses on the other
  const cards = first.body?.cards as Card[];
  const card = cards.find((c) => c.extension?.['org.her2-cds.card-kind'] === KIND);
  say(`A's cards: ${kinds(first.body).join(', ')}`);
  expect(card).toBeDefined();
  const fb = await call(b, await token(`/cds-services/${SERVICE}/feedback`), `/cds-services/${SERVICE}/feedback`, {
    feedback: [{ card: card!.uuid, outcome: 'overridden', overrideReason: { reason: REASON }, outcomeTimestamp: new Date().toISOString() }],
  });
  say(`feedback to B: "${KIND}" overridden with ${REASON.code} → ${fb.status}`);
  expect(fb.status).toBe(200);
  const onB = await call(b, await token(`/cds-services/${SERVICE}`));
  const onA = await call(a, await token(`/cds-services/${SERVICE}`));
  say(`next call on B → cards: ${kinds(onB.body).join(', ')}`);
  say(`next call on A → cards: ${kinds(onA.body).join(', ')}`);
  expect(kinds(onB.body)).not.toContain(KIND);
  expect(kinds(onA.body)).not.toContain(KIND);
  expect(kinds(onA.body)).toContain('summary');
  // a feedback token whose audience is the service URL (not the feedback URL) is refused
  const wrongAud = await call(a, await token(`/cds-services/${SERVICE}`), `/cds-services/${SERVICE}/feedback`, { feedback: [] });
  say(`feedback with a token for the service URL instead of the feedback URL → ${wrongAud.status}`);
  expect(wrongAud.status).toBe(401);

  // 3. restart both: nothing lost
  await stop(a);
  await stop(b);
  a = await start('A');
  b = await start('B');
  await Promise.all([ready(a), ready(b)]);
  const afterRestart = await call(a, await token(`/cds-services/${SERVICE}`));
  const replayAfterRestart = await call(b, t1);
  say(`restarted A (port ${a.port}) and B (port ${b.port})`);
  say(`after restart, call on A → cards: ${kinds(afterRestart.body).join(', ')}`);
  say(`after restart, T1 replayed on B → ${replayAfterRestart.status} (${String(replayAfterRestart.body?.check)})`);
  expect(afterRestart.status).toBe(200);
  expect(kinds(afterRestart.body)).not.toContain(KIND);
  expect(replayAfterRestart.status).toBe(401);
}, 120_000);
