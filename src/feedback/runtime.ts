import { MemoryReplayStore } from '../auth/replay-store.js';
import type { ReplayStore } from '../auth/types.js';
import type { StorageConfig } from '../config/index.js';
import { logger } from '../log.js';
import { openDb, type Db } from '../storage/db.js';
import { FeedbackStore } from '../storage/feedback-store.js';
import { PgReplayStore } from '../storage/jti-store.js';
import { migrate } from '../storage/migrations.js';
import { FeedbackService, patientHashKey } from './service.js';

/**
 * The database side of one process (issue 9): opened in the background at start-up (PGlite takes seconds),
 * migrated, then serving the feedback store, suppression and — with DATABASE_URL — the shared jti replay store.
 * Until it is ready, or when it fails, the hook route works without it (no suppression, logged), feedback
 * answers 503 and /ready says "starting"/"degraded".
 */
export class FeedbackRuntime {
  state: 'starting' | 'ready' | 'failed' = 'starting';
  db?: Db;
  service?: FeedbackService;
  /** Resolves when the database is ready or has failed (never rejects). */
  readonly started: Promise<void>;
  /** For createCdsAuth: PostgreSQL-backed when DATABASE_URL is set (shared by every instance), else memory. */
  readonly replayStore: ReplayStore;
  private purgeTimer?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly cfg: StorageConfig,
    private readonly opts: { open?: (cfg: StorageConfig) => Promise<Db>; purgeEveryMs?: number; retryEveryMs?: number } = {},
  ) {
    this.replayStore = cfg.databaseUrl ? new SharedReplayStore(this) : new MemoryReplayStore();
    this.started = this.start();
  }

  private async start(): Promise<void> {
    try {
      if (this.db) await this.db.close().catch(() => undefined);
      const db = await (this.opts.open ?? defaultOpen)(this.cfg);
      this.db = db;
      db.onStopped?.((err) => this.lost(db, err));
      await migrate(db);
      const store = new FeedbackStore(db);
      const key = await patientHashKey(this.cfg, store);
      this.service = new FeedbackService(store, {
        patientHashKey: key,
        suppressionDays: this.cfg.suppressionDays,
        storeComments: this.cfg.storeComments,
        commentMax: this.cfg.commentMax,
      });
      this.state = 'ready';
      logger.info('database ready', { component: 'storage', phase: 'startup', setting: db.engine });
      await this.purge();
      this.purgeTimer = setInterval(() => void this.purge(), this.opts.purgeEveryMs ?? 6 * 3600_000);
      this.purgeTimer.unref();
    } catch (err) {
      this.state = 'failed';
      logger.error('database unavailable: cards are served without suppression, feedback answers 503', {
        component: 'storage',
        phase: 'startup',
        ...describeFailure(err),
      });
      this.scheduleRetry();
    }
  }

  /** Try again in the background: a database that comes back later is picked up without a restart. */
  private scheduleRetry(): void {
    if (this.closed) return;
    this.retryTimer = setTimeout(() => void this.start(), this.opts.retryEveryMs ?? 10_000);
    this.retryTimer.unref();
  }

  /** The embedded database stopped by itself (its thread died): answer as during an outage and reopen it. */
  private lost(db: Db, err: Error): void {
    if (this.closed || this.db !== db) return;
    this.state = 'failed';
    this.service = undefined;
    if (this.purgeTimer) clearInterval(this.purgeTimer);
    logger.error('database stopped: cards are served without suppression until it is reopened', {
      component: 'storage',
      ...describeFailure(err),
    });
    this.scheduleRetry();
  }

  /** Retention (FEEDBACK_RETENTION_DAYS) and expired jti ids. */
  async purge(now: Date = new Date()): Promise<number> {
    if (!this.service || !this.db) return 0;
    try {
      const cutoff = new Date(now.getTime() - this.cfg.retentionDays * 86_400_000);
      await this.service.flushIssued();
      const n = (await this.service.store.purgeOlderThan(cutoff)) + (await new PgReplayStore(this.db).purgeExpired(now));
      if (n > 0) logger.info('retention purge', { component: 'storage', count: n });
      return n;
    } catch (err) {
      logger.error('retention purge failed', { component: 'storage', errorClass: err instanceof Error ? err.name : typeof err });
      return 0;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.purgeTimer) clearInterval(this.purgeTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.started;
    await this.service?.flushIssued();
    await this.db?.close().catch(() => undefined);
  }
}

/** Class and message of a start-up failure, e.g. "ENOENT: no such file or directory, mkdir …" or "connect
 *  ECONNREFUSED …": what the operator must fix. Read by shape, not instanceof: drivers' errors may come from
 *  another realm (a worker, a VM context). */
function describeFailure(err: unknown): { errorClass: string; reason?: string } {
  const e = (typeof err === 'object' && err !== null ? err : {}) as { name?: unknown; message?: unknown };
  return {
    errorClass: typeof e.name === 'string' ? e.name : typeof err,
    ...(typeof e.message === 'string' ? { reason: e.message.slice(0, 200) } : {}),
  };
}

function defaultOpen(cfg: StorageConfig): Promise<Db> {
  return openDb({ ...(cfg.databaseUrl ? { databaseUrl: cfg.databaseUrl } : {}), dataDir: cfg.dataDir });
}

/** jti ids in PostgreSQL, so a token replayed on another instance is refused. While the database is not reachable
 *  the process falls back to its own memory (logged): the hook call must answer during an outage; replays across
 *  instances are then caught only within one instance until the database is back. */
class SharedReplayStore implements ReplayStore {
  private readonly fallback = new MemoryReplayStore();
  constructor(private readonly runtime: FeedbackRuntime) {}

  async markSeen(jti: string, iss: string, expiresAt: Date): Promise<boolean> {
    if (this.runtime.state === 'starting') await this.runtime.started;
    const db = this.runtime.state === 'ready' ? this.runtime.db : undefined;
    if (db) {
      try {
        const first = await new PgReplayStore(db).markSeen(jti, iss, expiresAt);
        // Keep the local copy too, so a replay is still caught here if the database goes away later.
        await this.fallback.markSeen(jti, iss, expiresAt);
        return first;
      } catch (err) {
        logger.error('jti store unavailable: replay check falls back to this instance', {
          component: 'auth',
          errorClass: err instanceof Error ? err.name : typeof err,
        });
      }
    }
    return this.fallback.markSeen(jti, iss, expiresAt);
  }
}
