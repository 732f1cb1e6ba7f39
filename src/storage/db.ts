import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { openPgliteThread } from './pglite-thread.js';

/**
 * One SQL dialect (PostgreSQL) over two engines: a real server through `pg` (pooled) when DATABASE_URL is set,
 * otherwise an embedded PostgreSQL (PGlite, WASM, on a worker thread: pglite-thread.ts) so the product needs no
 * outside server.
 * Both return `{rows}`; `affected` is the row count of an INSERT/UPDATE/DELETE (0 for a conflicting insert,
 * which is all the jti replay check needs).
 */
export interface Db {
  readonly engine: 'pg' | 'pglite';
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[]; affected: number }>;
  /** Runs `fn` inside one transaction on one connection. */
  transaction<T>(fn: (tx: Pick<Db, 'query'>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** Embedded only: `listener` is called once if the database stops by itself (its thread died); the caller reopens. */
  onStopped?(listener: (err: Error) => void): void;
}

export interface DbOptions {
  /** postgres://… for a real server; absent → embedded PGlite. */
  databaseUrl?: string;
  /** PGlite data directory, or "memory://" for a throw-away database. */
  dataDir: string;
  /** pg pool size. */
  poolSize?: number;
}

export async function openDb(opts: DbOptions): Promise<Db> {
  if (opts.databaseUrl) return openPg(opts.databaseUrl, opts.poolSize ?? 10);
  // PGlite creates its own directory but not the ones above it: on a fresh checkout ./.data does not exist yet.
  if (!opts.dataDir.includes('://')) mkdirSync(path.dirname(opts.dataDir), { recursive: true });
  return openPgliteThread(opts.dataDir);
}

function openPg(url: string, max: number): Db {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 2000, idleTimeoutMillis: 30_000 });
  // An idle client that loses its server emits 'error' on the pool; unhandled it would crash the process.
  pool.on('error', () => undefined);
  const run = async <T>(client: pg.Pool | pg.PoolClient, sql: string, params?: unknown[]) => {
    const res = await client.query(sql, params as unknown[]);
    return { rows: res.rows as T[], affected: res.rowCount ?? 0 };
  };
  return {
    engine: 'pg',
    query: (sql, params) => run(pool, sql, params),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn({ query: (sql, params) => run(client, sql, params) });
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

