import type { Command } from 'commander';
import { loadConfig } from '../config/index.js';
import { buildReport, formatReport, parseSince } from '../feedback/report.js';
import { openDb } from '../storage/db.js';
import { FeedbackStore } from '../storage/feedback-store.js';
import { migrate } from '../storage/migrations.js';

/** Prints the feedback report (card kind, issued, accepted %, overridden %, top reasons) from the database the
 *  service is configured with (DATABASE_URL, else the embedded one in DATA_DIR). */
export async function feedbackReport(opts: { since?: string; json?: boolean }, env: NodeJS.ProcessEnv = process.env, out: (s: string) => void = (s) => process.stdout.write(`${s}\n`)): Promise<void> {
  const { storage } = loadConfig(env);
  const since = parseSince(opts.since, new Date());
  const db = await openDb({ ...(storage.databaseUrl ? { databaseUrl: storage.databaseUrl } : {}), dataDir: storage.dataDir, poolSize: 2 });
  try {
    await migrate(db);
    const store = new FeedbackStore(db);
    const report = buildReport(since, await store.summary(since), await store.issuedCounts(since));
    out(opts.json ? JSON.stringify(report, null, 2) : formatReport(report));
  } finally {
    await db.close();
  }
}

/** Registers `her2-cds feedback-report [--since 30d|2026-01-31] [--json]`. */
export function registerFeedbackReport(program: Command): Command {
  return program
    .command('feedback-report')
    .description('Acceptance and override rates per card kind and override reason')
    .option('--since <when>', 'period start: 30d, 12h or a date (default 30d)')
    .option('--json', 'print JSON instead of a table')
    .action(async (opts: { since?: string; json?: boolean }) => {
      await feedbackReport(opts);
    });
}
