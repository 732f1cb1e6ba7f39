import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './db.js';

/**
 * The embedded database (PGlite: PostgreSQL compiled to WASM) on a worker thread of its own. On the main thread
 * every statement ran on the event loop that answers the EHR: a 500-card batch insert held it for ~9 ms and the
 * database was about a quarter of the CPU of a hook call under load. Here it runs beside the event loop, on the
 * second core, and a hook call never waits behind a statement.
 *
 * The worker's source is inline (eval) so the same code runs from dist/ and under Jest, which loads src/*.ts.
 * It loads PGlite's CommonJS build, resolved here so it is the one installed beside this package.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.pgliteEntry);
const describe = (err) => ({ name: (err && err.name) || 'Error', message: String((err && err.message) || err), code: err && err.code });
const opening = PGlite.create(workerData.dataDir);
opening.then(() => parentPort.postMessage({ ready: true }), (err) => parentPort.postMessage({ ready: false, error: describe(err) }));
parentPort.on('message', async (m) => {
  if (m.close) {
    const db = await opening.catch(() => undefined);
    if (db) await db.close().catch(() => undefined);
    parentPort.close();
    return;
  }
  try {
    const db = await opening;
    const res = await db.query(m.sql, m.params);
    parentPort.postMessage({ id: m.id, rows: res.rows, affected: res.affectedRows || 0 });
  } catch (err) {
    parentPort.postMessage({ id: m.id, error: describe(err) });
  }
});
`;

interface Reply {
  id: number;
  rows?: unknown[];
  affected?: number;
  error?: { name: string; message: string; code?: string };
}

/** A database error as the worker described it (PostgreSQL's SQLSTATE in `code`). */
export class EmbeddedDbError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'EmbeddedDbError';
  }
}

export interface PgliteThreadOptions {
  /** Tests: the worker, e.g. to terminate it as a crash would. */
  onWorker?: (worker: Worker) => void;
}

export async function openPgliteThread(dataDir: string, options: PgliteThreadOptions = {}): Promise<Db> {
  const pgliteEntry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { dataDir, pgliteEntry } });
  options.onWorker?.(worker);
  const pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let stopped: Error | undefined;
  let closing = false;
  const stoppedListeners: Array<(err: Error) => void> = [];

  const stop = (err: Error) => {
    if (stopped) return;
    stopped = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    if (!closing) for (const listener of stoppedListeners) listener(err);
  };
  worker.on('error', (err) => stop(new EmbeddedDbError(`embedded database thread failed: ${err.message}`)));
  worker.on('exit', () => stop(new EmbeddedDbError('embedded database thread stopped')));

  await new Promise<void>((resolve, reject) => {
    const onFirst = (m: { ready?: boolean; error?: { message: string } }) => {
      worker.off('exit', onExit);
      if (m.ready) resolve();
      else reject(new EmbeddedDbError(`embedded database did not open: ${m.error?.message ?? 'unknown error'}`));
    };
    const onExit = () => reject(stopped ?? new EmbeddedDbError('embedded database thread stopped while opening'));
    worker.once('message', onFirst);
    worker.once('exit', onExit);
  }).catch(async (err: unknown) => {
    await worker.terminate();
    throw err;
  });

  worker.on('message', (m: Reply) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.error) p.reject(new EmbeddedDbError(m.error.message, m.error.code));
    else p.resolve(m);
  });

  const send = async <T>(sql: string, params?: unknown[]): Promise<{ rows: T[]; affected: number }> => {
    if (stopped) throw stopped;
    const id = nextId++;
    const reply = await new Promise<Reply>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, sql, params });
    });
    return { rows: (reply.rows ?? []) as T[], affected: reply.affected ?? 0 };
  };

  // One connection: while a transaction runs, other statements wait for it instead of landing inside it.
  let transactionDone: Promise<unknown> = Promise.resolve();

  return {
    engine: 'pglite',
    async query(sql, params) {
      await transactionDone;
      return send(sql, params);
    },
    transaction(fn) {
      const run = transactionDone.then(async () => {
        await send('BEGIN');
        try {
          const out = await fn({ query: send });
          await send('COMMIT');
          return out;
        } catch (err) {
          await send('ROLLBACK').catch(() => undefined);
          throw err;
        }
      });
      transactionDone = run.catch(() => undefined);
      return run;
    },
    onStopped(listener) {
      stoppedListeners.push(listener);
    },
    async close() {
      closing = true;
      if (stopped) return;
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage({ close: true });
      // A database that does not close in time is not worth hanging a shutdown for.
      const timer = setTimeout(() => void worker.terminate(), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
