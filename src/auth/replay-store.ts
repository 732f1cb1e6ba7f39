import type { ReplayStore } from './types.js';

/**
 * The jti replay guard for one process. Entries live until their token expires. Bounded: only tokens that passed
 * every other check are stored, so filling it takes more than `maxEntries` genuine, unexpired tokens (over 1,600
 * calls/s at a 5-minute lifetime with the default, well above what one process serves: BENCHMARKS.md); then the
 * oldest entry is dropped so that a busy EHR is never locked out. Behind a load balancer use the PostgreSQL store.
 */
export class MemoryReplayStore implements ReplayStore {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly maxEntries = 500_000,
    private readonly now: () => number = Date.now,
  ) {}

  async markSeen(jti: string, iss: string, expiresAt: Date): Promise<boolean> {
    const key = `${iss}\u0000${jti}`;
    const now = this.now();
    const until = this.seen.get(key);
    if (until !== undefined && until > now) return false;
    this.purgeExpiredFront(now);
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

  /**
   * Map order is arrival order and one deployment's tokens have similar lifetimes, so the expired entries are at the
   * front: this stops at the first live one. Each entry is removed once, so a call costs O(1) on average, even with
   * the store full (a scan of every entry per call would have cost ~1 ms at 100,000 entries). An expired entry behind
   * a longer-lived one waits a little longer; it blocks nothing, as its token is refused by its own exp anyway.
   */
  private purgeExpiredFront(now: number): void {
    for (const [key, until] of this.seen) {
      if (until > now) break;
      this.seen.delete(key);
    }
  }
}
