import type { ReplayStore } from './types.js';

/**
 * The jti replay guard for one process. Entries live until their token expires; expired ones are purged as new
 * ones arrive. Bounded: only tokens that passed every other check are stored, so filling it takes more than
 * `maxEntries` genuine, unexpired tokens (over 300 calls/s at a 5-minute lifetime with the default); then the
 * oldest entry is dropped so that a busy EHR is never locked out. Behind a load balancer use the PostgreSQL store.
 */
export class MemoryReplayStore implements ReplayStore {
  private readonly seen = new Map<string, number>();
  private insertsSincePurge = 0;

  constructor(
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  async markSeen(jti: string, iss: string, expiresAt: Date): Promise<boolean> {
    const key = `${iss}\u0000${jti}`;
    const now = this.now();
    const until = this.seen.get(key);
    if (until !== undefined && until > now) return false;
    if (++this.insertsSincePurge >= 1000 || this.seen.size >= this.maxEntries) this.purge(now);
    if (this.seen.size >= this.maxEntries) {
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    this.seen.delete(key); // re-insert at the end so Map order stays close to expiry order
    this.seen.set(key, expiresAt.getTime());
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  private purge(now: number): void {
    this.insertsSincePurge = 0;
    for (const [key, until] of this.seen) if (until <= now) this.seen.delete(key);
  }
}
