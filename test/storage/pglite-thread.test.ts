import { openDb, type Db } from '../../src/storage/db.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { EmbeddedDbError, openPgliteThread } from '../../src/storage/pglite-thread.js';

/** The embedded database runs on a worker thread (src/storage/pglite-thread.ts): what callers rely on. */
describe('embedded database on its worker thread', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openDb({ dataDir: 'memory://' });
    await db.query('CREATE TABLE t (k text PRIMARY KEY, n int, at timestamptz)');
  }, 60_000);
  afterAll(async () => db?.close());

  test('rows, typed values and affected counts come back as PGlite gives them', async () => {
    const ins = await db.query('INSERT INTO t (k, n, at) SELECT * FROM unnest($1::text[], $2::int[], $3::timestamptz[]) ON CONFLICT DO NOTHING', [
      ['a', 'b'],
      [1, 2],
      ['2026-12-08T10:00:00Z', '2026-12-08T11:00:00Z'],
    ]);
    expect(ins.affected).toBe(2);
    expect((await db.query("INSERT INTO t (k) VALUES ('a') ON CONFLICT DO NOTHING")).affected).toBe(0);
    const { rows } = await db.query<{ k: string; n: number; at: Date }>('SELECT k, n, at FROM t ORDER BY k');
    expect(rows).toEqual([
      { k: 'a', n: 1, at: new Date('2026-12-08T10:00:00Z') },
      { k: 'b', n: 2, at: new Date('2026-12-08T11:00:00Z') },
    ]);
  });

  test('a failing statement rejects with the SQLSTATE and the connection stays usable', async () => {
    await db.query("INSERT INTO t (k) VALUES ('dup') ON CONFLICT DO NOTHING");
    const err = await db.query("INSERT INTO t (k) VALUES ('dup')").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmbeddedDbError);
    expect(err).toMatchObject({ code: '23505' }); // unique_violation
    expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  test('a transaction commits as a whole or not at all, and statements sent meanwhile are not caught in it', async () => {
    await db.transaction(async (tx) => {
      await tx.query("INSERT INTO t (k, n) VALUES ('c', 3)");
      await tx.query("INSERT INTO t (k, n) VALUES ('d', 4)");
    });
    const failed = db.transaction(async (tx) => {
      await tx.query("INSERT INTO t (k, n) VALUES ('e', 5)");
      throw new Error('abort');
    });
    // Sent while the failing transaction is open: must run after it, outside it, and so survive its rollback.
    const outside = db.query("INSERT INTO t (k, n) VALUES ('f', 6)");
    await expect(failed).rejects.toThrow('abort');
    await outside;
    const { rows } = await db.query<{ k: string }>("SELECT k FROM t WHERE k IN ('c','d','e','f') ORDER BY k");
    expect(rows.map((r) => r.k)).toEqual(['c', 'd', 'f']);
  });

  test('a thread that dies rejects what was pending and tells its owner once; a deliberate close tells nobody', async () => {
    let worker: Worker | undefined;
    const crashing = await openPgliteThread('memory://', { onWorker: (w) => (worker = w) });
    const told: string[] = [];
    crashing.onStopped?.((err) => told.push(err.message));
    const pending = crashing.query('SELECT pg_sleep(2)');
    await worker!.terminate();
    await expect(pending).rejects.toThrow(EmbeddedDbError);
    await expect(crashing.query('SELECT 1')).rejects.toThrow('embedded database thread stopped');
    expect(told).toEqual(['embedded database thread stopped']);

    const closing = await openPgliteThread('memory://');
    const toldOnClose: string[] = [];
    closing.onStopped?.((err) => toldOnClose.push(err.message));
    await closing.close();
    expect(toldOnClose).toEqual([]);
  });

  test('a data directory whose parents do not exist yet (./.data on a fresh checkout) is created and reopened', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'her2cds-datadir-')), 'not', 'yet', 'pglite');
    const first = await openDb({ dataDir: dir });
    await first.query('CREATE TABLE kept (n int)');
    await first.query('INSERT INTO kept VALUES (42)');
    await first.close();
    const again = await openDb({ dataDir: dir });
    expect((await again.query<{ n: number }>('SELECT n FROM kept')).rows).toEqual([{ n: 42 }]);
    await again.close();
  }, 60_000);

  test('after close, calls are refused with a clear error instead of hanging', async () => {
    const other = await openDb({ dataDir: 'memory://' });
    await other.close();
    await expect(other.query('SELECT 1')).rejects.toThrow('embedded database thread stopped');
  });
});
