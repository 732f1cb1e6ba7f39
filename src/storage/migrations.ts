import type { Db } from './db.js';

/**
 * Schema migrations, versioned in the repo and applied at start-up in order. Never edit a migration that has
 * shipped: add the next one. Nothing stored here identifies a patient: patients appear only as a keyed hash
 * (HMAC with a secret from the environment), and no names, raw ids, dates of birth or card text are kept.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'issued cards, feedback, suppressions, seen jti',
    sql: `
      CREATE TABLE issued_card (
        uuid          text PRIMARY KEY,
        service_id    text NOT NULL,
        card_kind     text NOT NULL,
        patient_hash  text NOT NULL,
        data_hash     text NOT NULL,
        issued_at     timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX issued_card_issued_at ON issued_card (issued_at);
      CREATE TABLE issued_suggestion (
        uuid            text PRIMARY KEY,
        card_uuid       text NOT NULL REFERENCES issued_card (uuid) ON DELETE CASCADE,
        suggestion_kind text NOT NULL
      );
      CREATE TABLE feedback (
        id                  bigserial PRIMARY KEY,
        card_uuid           text NOT NULL REFERENCES issued_card (uuid) ON DELETE CASCADE,
        outcome             text NOT NULL CHECK (outcome IN ('accepted', 'overridden')),
        reason_system       text,
        reason_code         text,
        accepted_kinds      text[] NOT NULL DEFAULT '{}',
        user_comment        text,
        outcome_at          timestamptz NOT NULL,
        received_at         timestamptz NOT NULL DEFAULT now(),
        UNIQUE (card_uuid, outcome, outcome_at)
      );
      CREATE INDEX feedback_received_at ON feedback (received_at);
      CREATE TABLE suppression (
        patient_hash  text NOT NULL,
        card_kind     text NOT NULL,
        data_hash     text NOT NULL,
        until         timestamptz NOT NULL,
        cause         text NOT NULL,
        PRIMARY KEY (patient_hash, card_kind)
      );
      CREATE TABLE seen_jti (
        iss         text NOT NULL,
        jti         text NOT NULL,
        expires_at  timestamptz NOT NULL,
        PRIMARY KEY (iss, jti)
      );
      CREATE INDEX seen_jti_expires_at ON seen_jti (expires_at);
    `,
  },
  {
    version: 2,
    name: 'development secret, suppression expiry index',
    sql: `
      CREATE TABLE dev_secret (
        name        text PRIMARY KEY,
        value       text NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX suppression_until ON suppression (until)
    `,
  },
];

/** Applies pending migrations. Two instances starting together on one server serialise on an advisory lock. */
export async function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(4242001)');
    await tx.query(
      'CREATE TABLE IF NOT EXISTS schema_migration (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const { rows } = await tx.query<{ version: number }>('SELECT version FROM schema_migration');
    const done = new Set(rows.map((r) => Number(r.version)));
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      for (const stmt of splitStatements(m.sql)) await tx.query(stmt);
      await tx.query('INSERT INTO schema_migration (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}

// PGlite's extended-protocol query() takes one statement at a time; our migrations contain no literal semicolons.
function splitStatements(sql: string): string[] {
  return sql
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
