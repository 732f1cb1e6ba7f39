import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Child processes for load tests: every server under test runs in its own process, on loopback only. */

export interface Child {
  name: string;
  port: number;
  url: string;
  process: ChildProcess;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

/** This compiled file's folder (dist/bench). */
export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
/** The real server entry (dist/src/server.js). */
export const SERVER_ENTRY = path.resolve(BENCH_DIR, '../src/server.js');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** A bench server (dist/bench/servers/<name>.js) that prints `LISTENING <port>`. */
export async function startBenchServer(name: string, args: unknown = {}, nodeArgs: string[] = []): Promise<Child> {
  const script = path.join(BENCH_DIR, 'servers', `${name}.js`);
  const child = spawn(process.execPath, [...nodeArgs, script, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString();
      const match = /LISTENING (\d+)/.exec(seen);
      if (match) {
        child.stdout?.off('data', onData);
        child.stdout?.resume(); // keep draining, never block the child
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before listening`)));
    setTimeout(() => reject(new Error(`${name} did not start in 30 s`)), 30_000).unref();
  });
  return wrap(name, child, port);
}

/** The real service (dist/src/server.js) with `env`; stdout (the JSON log) goes to `logFile`. Waits for /ready. */
export interface ServiceOptions {
  nodeArgs?: string[];
  /** An IPC channel to the child (the soak's memory sampler). */
  ipc?: boolean;
  /** Entry script instead of dist/src/server.js (a wrapper that loads it). */
  entry?: string;
}

export async function startService(name: string, env: Record<string, string>, logFile: string, options: ServiceOptions = {}): Promise<Child> {
  const { nodeArgs = [], ipc = false } = options;
  const port = Number(env.PORT) || (await freePort());
  const fd = openSync(logFile, 'w');
  const child = spawn(process.execPath, [...nodeArgs, options.entry ?? SERVER_ENTRY], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', ...env, PORT: String(port) },
    stdio: ['ignore', fd, 'inherit', ...(ipc ? ['ipc' as const] : [])],
  });
  closeSync(fd);
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  for (;;) {
    if (exited !== undefined) throw new Error(`${name} exited with ${exited} before it was healthy (log: ${logFile})`);
    try {
      const res = await fetch(`${url}/ready`); // ready = storage up too, as a load balancer would wait for
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 30_000) throw new Error(`${name} was not healthy in 30 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return wrap(name, child, port);
}

function wrap(name: string, child: ChildProcess, port: number): Child {
  return {
    name,
    port,
    url: `http://127.0.0.1:${port}`,
    process: child,
    stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
      return new Promise((resolve) => {
        const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
        child.once('exit', (code) => {
          clearTimeout(kill);
          resolve(code);
        });
        child.kill('SIGTERM');
      });
    },
  };
}

/** Requests served so far by a stub FHIR server (GET /__stats). */
export async function fhirRequestsServed(fhir: Child): Promise<number> {
  const res = await fetch(`${fhir.url}/__stats`);
  return ((await res.json()) as { requests: number }).requests;
}
