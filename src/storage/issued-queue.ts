import type { IssuedCard } from './feedback-store.js';

export interface IssuedQueueOptions {
  /** Writes one batch (FeedbackStore.recordIssued: one statement however many cards). */
  write: (cards: readonly IssuedCard[]) => Promise<void>;
  /** How long a card waits for companions before its batch is written. */
  flushAfterMs?: number;
  /** A batch this large is written at once. */
  maxBatch?: number;
  /** Cards kept while the database is failing or slow; beyond it new cards are dropped (and counted). */
  maxPending?: number;
  /** A batch failed to write or cards were dropped: the caller logs it (no card content reaches it). */
  onLoss?: (lost: number, cause: unknown) => void;
}

/**
 * Write-behind for issued-card records. Every hook call records its cards so that feedback can find them later;
 * written one call at a time, that INSERT was the largest single cost of a hook call with the embedded database
 * (WASM PostgreSQL on our own event loop, ~0.5 ms) and a network round trip with PostgreSQL. Batched here, the
 * hook call never waits for it and one statement carries many calls' cards.
 *
 * Trade-off: cards issued in the last `flushAfterMs` before a crash are not recorded; their feedback then gets
 * the same "card not issued" answer as feedback for a card issued while the database was down. Readers of the
 * issued cards call flush() first, so everything this process issued is visible to them.
 */
export class IssuedQueue {
  private pending: IssuedCard[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  /** Cards handed to flush() and not yet written: with a hanging database they pile up here, so they count. */
  private unwritten = 0;
  private readonly flushAfterMs: number;
  private readonly maxBatch: number;
  private readonly maxPending: number;

  constructor(private readonly opts: IssuedQueueOptions) {
    this.flushAfterMs = opts.flushAfterMs ?? 25;
    this.maxBatch = opts.maxBatch ?? 500;
    this.maxPending = opts.maxPending ?? 20_000;
  }

  /** Cards not yet stored (waiting or being written). */
  get size(): number {
    return this.pending.length + this.unwritten;
  }

  add(cards: readonly IssuedCard[]): void {
    if (cards.length === 0) return;
    const room = this.maxPending - this.size;
    if (room < cards.length) {
      this.opts.onLoss?.(cards.length - Math.max(room, 0), new Error('issued-card queue full'));
      if (room <= 0) return;
      cards = cards.slice(0, room);
    }
    this.pending.push(...cards);
    if (this.pending.length >= this.maxBatch) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.flushAfterMs);
      // A pending batch must not keep a finished process (or a test) alive; close() flushes it.
      this.timer.unref();
    }
  }

  /** Writes everything added so far; resolves when it is stored (or its loss was reported). Never rejects. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const batch = this.pending;
    this.pending = [];
    this.unwritten += batch.length;
    // Batches are written one after another, so a reader that flushes sees every earlier batch stored too.
    this.writing = this.writing.then(async () => {
      if (batch.length === 0) return;
      try {
        await this.opts.write(batch);
      } catch (err) {
        this.opts.onLoss?.(batch.length, err);
      } finally {
        this.unwritten -= batch.length;
      }
    });
    return this.writing;
  }
}
