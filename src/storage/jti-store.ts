import type { Db } from './db.js';

/** Remembers every accepted JWT id until the token expires, in PostgreSQL, so that a token replayed on any
 *  instance behind the same load balancer is refused. The in-memory store in auth/ serves one process. */
export class PgReplayStore {
  constructor(private readonly db: Db) {}

  /** True the first time (iss, jti) is seen; false on a replay. One INSERT: the primary key decides. */
  async markSeen(jti: string, iss: string, expiresAt: Date): Promise<boolean> {
    const { affected } = await this.db.query(
      'INSERT INTO seen_jti (iss, jti, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [iss, jti, expiresAt.toISOString()],
    );
    return affected === 1;
  }

  async purgeExpired(now: Date = new Date()): Promise<number> {
    const { affected } = await this.db.query('DELETE FROM seen_jti WHERE expires_at < $1', [now.toISOString()]);
    return affected;
  }
}
