import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ROOT } from '../helpers/app.js';

/**
 * No Docker engine runs here: build the production output as the Dockerfile's build stage does (npm run build
 * = tsc -p tsconfig.build.json), start it exactly as its CMD does, check /health with its HEALTHCHECK command,
 * and stop it with SIGTERM as `docker stop` does.
 */

const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
const execForm = (instruction: string): string[] => {
  const match = new RegExp(`^${instruction}(?:\\s+--\\S+)*\\s+(?:CMD\\s+)?(\\[.*\\])\\s*$`, 'm').exec(dockerfile.replace(/\\\n\s*/g, ' '));
  if (!match?.[1]) throw new Error(`Dockerfile: no exec-form ${instruction}`);
  return JSON.parse(match[1]) as string[];
};
const CMD = execForm('CMD');
const HEALTHCHECK = execForm('HEALTHCHECK');
/** ENV of the runtime stage (the last FROM), as the container gets it. */
const runtimeEnv: NodeJS.ProcessEnv = Object.fromEntries(
  [...(dockerfile.split(/^FROM /m).pop() ?? '').replace(/\\\n\s*/g, ' ').matchAll(/^ENV (.+)$/gm)].flatMap((m) =>
    [...m[1]!.matchAll(/(\w+)=(\S+)/g)].map((kv) => [kv[1]!, kv[2]!]),
  ),
);
const node = (argv: string[]): [string, string[]] => [argv[0] === 'node' ? process.execPath : argv[0]!, argv.slice(1)];

/** Environment for the child: nothing from this process except PATH (config comes only from env). */
function env(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: '0', ...extra };
}

/** Starts the CMD and resolves with the port from its "listening" log line. */
async function start(extra: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; port: number; stdout: string[] }> {
  const [bin, args] = node(CMD);
  const child = spawn(bin, args, { cwd: ROOT, env: env(extra), stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  let buffered = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        stdout.push(line);
        const parsed = JSON.parse(line) as { message?: string; port?: number };
        if (parsed.message === 'listening' && parsed.port) resolve(parsed.port);
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before listening`)));
  });
  return { child, port, stdout };
}

beforeAll(() => {
  const build = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
}, 120_000);

test('the Dockerfile runs the compiled server as a non-root user on a Node LTS image, with production dependencies only', () => {
  expect(CMD).toEqual(['node', 'dist/src/server.js']);
  expect(dockerfile).toMatch(/^FROM node:(22|24)-bookworm-slim AS build$/m);
  expect(dockerfile).toMatch(/^FROM node:(22|24)-bookworm-slim AS runtime$/m);
  expect(dockerfile).toMatch(/^RUN npm ci --omit=dev/m);
  expect(dockerfile).toMatch(/^USER node$/m);
});

test('started as the CMD does, /health answers and the HEALTHCHECK command passes; SIGTERM exits cleanly', async () => {
  expect(runtimeEnv.NODE_ENV).toBe('production');
  // The container's environment, plus what an operator must give it in production; PORT 0 picks a free port.
  const { child, port } = await start({ ...runtimeEnv, PORT: '0', PATIENT_HASH_KEY: 'k'.repeat(32), DATA_DIR: 'memory://' });
  const res = await fetch(`http://127.0.0.1:${port}/health`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ status: 'ok' });

  const [bin, args] = node(HEALTHCHECK);
  const check = spawnSync(bin, args, { env: env({ PORT: String(port) }), encoding: 'utf8' });
  expect(check.status).toBe(0);

  child.kill('SIGTERM');
  const [code] = (await once(child, 'exit')) as [number | null];
  expect(code).toBe(0);
});

test('SIGTERM: the call in flight finishes, new connections are refused, the process exits 0', async () => {
  // A slow FHIR server that answers only when the test says so.
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let arrived!: () => void;
  const fhirRequestArrived = new Promise<void>((resolve) => (arrived = resolve));
  const ehr = http.createServer((req, res) => {
    arrived();
    void released.then(() => {
      res.setHeader('Content-Type', 'application/fhir+json');
      res.end(JSON.stringify({ resourceType: 'Bundle', type: 'searchset', entry: [] }));
    });
  });
  ehr.listen(0, '127.0.0.1');
  await once(ehr, 'listening');
  const ehrPort = (ehr.address() as AddressInfo).port;

  const { child, port, stdout } = await start({ CDS_AUTH: 'disabled', FHIR_TIME_BUDGET_MS: '60000' });
  try {
    const inFlight = fetch(`http://127.0.0.1:${port}/cds-services/her2-er-pr-patient-view`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        hook: 'patient-view',
        hookInstance: 'd0c8a6e2-1f3b-4c5d-8e7f-9a0b1c2d3e4f',
        fhirServer: `http://127.0.0.1:${ehrPort}/fhir`,
        context: { patientId: 'p1', userId: 'Practitioner/u1' },
      }),
    });
    await fhirRequestArrived;

    const draining = new Promise<void>((resolve) => {
      child.stdout!.on('data', () => {
        if (stdout.some((l) => l.includes('"draining"'))) resolve();
      });
    });
    child.kill('SIGTERM');
    await draining;
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();

    release();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect((await res.json()).cards).toEqual(expect.any(Array));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  } finally {
    release();
    child.kill('SIGKILL');
    ehr.close();
  }
});

const startFaults: Array<{ name: string; env: NodeJS.ProcessEnv; names: RegExp }> = [
  { name: 'an invalid cds-services.json', env: { CDS_SERVICES_FILE: path.join(ROOT, 'package.json') }, names: /^her2-cds: cannot start: CDS_SERVICES_FILE \(.*package\.json\): invalid discovery document: .*services/ },
  { name: 'a bad PORT', env: { PORT: 'http' }, names: /^her2-cds: cannot start: PORT: must be a whole number/ },
  { name: 'a bad LOG_LEVEL', env: { LOG_LEVEL: 'chatty' }, names: /^her2-cds: cannot start: LOG_LEVEL: must be one of/ },
];

test.each(startFaults)('$name: refuses to start with one line naming the fault, exit code 1', ({ env: extra, names }) => {
  const [bin, args] = node(CMD);
  const run = spawnSync(bin, args, { cwd: ROOT, env: env(extra), encoding: 'utf8', timeout: 20_000 });
  expect(run.status).toBe(1);
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(names);
});
