import pg from 'pg';

/**
 * A throw-away database on the real PostgreSQL server the machine runs (TEST_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/test as admin connection). When CI is set and the server cannot be reached,
 * the tests that need it fail loudly instead of skipping silently.
 */
export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function pgReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function createThrowawayDb(prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Date.now()}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const a = new pg.Client({ connectionString: ADMIN_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

/** describe() for real-PostgreSQL tests: runs them when the server is there; without it, fails under CI and is
 *  reported (not silently passed) elsewhere. */
export function requirePg(available: boolean): void {
  if (!available && process.env.CI) {
    throw new Error(`PostgreSQL is required under CI but ${ADMIN_URL} cannot be reached`);
  }
}
