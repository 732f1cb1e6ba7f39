import type { Db } from './db.js';

/** A card as we remember it: no text, no patient id, only what feedback and suppression need. */
export interface IssuedCard {
  uuid: string;
  serviceId: string;
  cardKind: string;
  patientHash: string;
  /** Hash of the biomarker data the card rests on: a new or amended result changes it and lifts suppression. */
  dataHash: string;
  suggestions: Array<{ uuid: string; kind: string }>;
}

export interface FeedbackRecord {
  cardUuid: string;
  outcome: 'accepted' | 'overridden';
  reason?: { system?: string; code?: string };
  /** Suggestion uuids the clinician accepted. */
  acceptedSuggestions: string[];
  userComment?: string;
  outcomeAt: Date;
}

export interface FeedbackSummaryRow {
  cardKind: string;
  outcome: 'accepted' | 'overridden';
  reasonSystem: string | null;
  reasonCode: string | null;
  count: number;
}

export interface Suppression {
  cardKind: string;
  dataHash: string;
  until: Date;
  cause: string;
}

interface SuppressionRow {
  patient_hash: string;
  card_kind: string;
  data_hash: string;
  until: Date | string;
  cause: string;
}

const toSuppression = (r: SuppressionRow): Suppression => ({ cardKind: r.card_kind, dataHash: r.data_hash, until: new Date(r.until), cause: r.cause });

export class FeedbackStore {
  /** patient hash → its suppressions, kept only with the embedded database: there this process is the database's
   *  only writer, so memory is exact, and the per-call look-up (~0.3 ms of WASM on our event loop) becomes a map
   *  read. With PostgreSQL other instances write too, so every look-up asks the server. */
  private suppressionIndex: Promise<Map<string, Suppression[]>> | undefined;

  constructor(private readonly db: Db) {}

  /** True with the embedded database: this process is its only writer (PGlite is single-process), so what this
   *  process wrote and remembers is the whole truth. With PostgreSQL other instances write too. */
  get exclusive(): boolean {
    return this.db.engine === 'pglite';
  }

  /** Every card of one hook call and its suggestions in ONE statement (arrays unnested; a data-modifying CTE so
   *  the suggestions' foreign key sees the cards): this runs on every hook call, and with the embedded database
   *  each statement costs CPU on our own event loop. */
  async recordIssued(cards: readonly IssuedCard[]): Promise<void> {
    if (cards.length === 0) return;
    const suggestions = cards.flatMap((c) => c.suggestions.map((s) => ({ ...s, card: c.uuid })));
    await this.db.query(
      `WITH cards AS (
         INSERT INTO issued_card (uuid, service_id, card_kind, patient_hash, data_hash)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
         ON CONFLICT DO NOTHING
       )
       INSERT INTO issued_suggestion (uuid, card_uuid, suggestion_kind)
       SELECT * FROM unnest($6::text[], $7::text[], $8::text[])
       ON CONFLICT DO NOTHING`,
      [
        cards.map((c) => c.uuid),
        cards.map((c) => c.serviceId),
        cards.map((c) => c.cardKind),
        cards.map((c) => c.patientHash),
        cards.map((c) => c.dataHash),
        suggestions.map((s) => s.uuid),
        suggestions.map((s) => s.card),
        suggestions.map((s) => s.kind),
      ],
    );
  }

  async findIssued(uuid: string): Promise<(IssuedCard & { issuedAt: Date }) | undefined> {
    const { rows } = await this.db.query<{
      uuid: string;
      service_id: string;
      card_kind: string;
      patient_hash: string;
      data_hash: string;
      issued_at: Date | string;
    }>('SELECT uuid, service_id, card_kind, patient_hash, data_hash, issued_at FROM issued_card WHERE uuid = $1', [uuid]);
    const row = rows[0];
    if (!row) return undefined;
    const sugg = await this.db.query<{ uuid: string; suggestion_kind: string }>(
      'SELECT uuid, suggestion_kind FROM issued_suggestion WHERE card_uuid = $1',
      [uuid],
    );
    return {
      uuid: row.uuid,
      serviceId: row.service_id,
      cardKind: row.card_kind,
      patientHash: row.patient_hash,
      dataHash: row.data_hash,
      issuedAt: new Date(row.issued_at),
      suggestions: sugg.rows.map((s) => ({ uuid: s.uuid, kind: s.suggestion_kind })),
    };
  }

  /** Idempotent: the same (card, outcome, time) reported twice is stored once. Returns false for a duplicate. */
  async recordFeedback(f: FeedbackRecord, acceptedKinds: readonly string[]): Promise<boolean> {
    const { affected } = await this.db.query(
      `INSERT INTO feedback (card_uuid, outcome, reason_system, reason_code, accepted_kinds, user_comment, outcome_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [
        f.cardUuid,
        f.outcome,
        f.reason?.system ?? null,
        f.reason?.code ?? null,
        [...acceptedKinds],
        f.userComment ?? null,
        f.outcomeAt.toISOString(),
      ],
    );
    return affected === 1;
  }

  /** Suppresses `cardKind` for this patient until `until`, for as long as the data stay the same. */
  async suppress(patientHash: string, s: Suppression): Promise<void> {
    await this.db.query(
      `INSERT INTO suppression (patient_hash, card_kind, data_hash, until, cause) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (patient_hash, card_kind) DO UPDATE SET data_hash = EXCLUDED.data_hash, until = EXCLUDED.until, cause = EXCLUDED.cause`,
      [patientHash, s.cardKind, s.dataHash, s.until.toISOString(), s.cause],
    );
    if (this.suppressionIndex) {
      // Loaded before or after the insert, the index ends up with exactly one entry per (patient, kind).
      const index = await this.suppressionIndex;
      index.set(patientHash, [...(index.get(patientHash) ?? []).filter((x) => x.cardKind !== s.cardKind), { ...s }]);
    }
  }

  async activeSuppressions(patientHash: string, now: Date): Promise<Suppression[]> {
    if (this.exclusive) {
      const index = await this.loadSuppressionIndex();
      return (index.get(patientHash) ?? []).filter((s) => s.until > now).map((s) => ({ ...s }));
    }
    const { rows } = await this.db.query<SuppressionRow>(
      'SELECT patient_hash, card_kind, data_hash, until, cause FROM suppression WHERE patient_hash = $1 AND until > $2',
      [patientHash, now.toISOString()],
    );
    return rows.map(toSuppression);
  }

  private loadSuppressionIndex(): Promise<Map<string, Suppression[]>> {
    this.suppressionIndex ??= (async () => {
      const { rows } = await this.db.query<SuppressionRow>('SELECT patient_hash, card_kind, data_hash, until, cause FROM suppression');
      const index = new Map<string, Suppression[]>();
      for (const row of rows) index.set(row.patient_hash, [...(index.get(row.patient_hash) ?? []), toSuppression(row)]);
      return index;
    })();
    // A failed load is not remembered: the next call tries again (and the hook call sends its cards unfiltered).
    this.suppressionIndex.catch(() => (this.suppressionIndex = undefined));
    return this.suppressionIndex;
  }

  async summary(since: Date): Promise<FeedbackSummaryRow[]> {
    const { rows } = await this.db.query<{
      card_kind: string;
      outcome: 'accepted' | 'overridden';
      reason_system: string | null;
      reason_code: string | null;
      n: string | number;
    }>(
      `SELECT c.card_kind, f.outcome, f.reason_system, f.reason_code, count(DISTINCT f.card_uuid) AS n
         FROM feedback f JOIN issued_card c ON c.uuid = f.card_uuid
        WHERE f.received_at >= $1
        GROUP BY c.card_kind, f.outcome, f.reason_system, f.reason_code
        ORDER BY c.card_kind, f.outcome, f.reason_system, f.reason_code`,
      [since.toISOString()],
    );
    return rows.map((r) => ({
      cardKind: r.card_kind,
      outcome: r.outcome,
      reasonSystem: r.reason_system,
      reasonCode: r.reason_code,
      count: Number(r.n),
    }));
  }

  /** How many cards of each kind were issued since `since` (the denominator of acceptance rates). */
  async issuedCounts(since: Date): Promise<Record<string, number>> {
    const { rows } = await this.db.query<{ card_kind: string; n: string | number }>(
      'SELECT card_kind, count(*) AS n FROM issued_card WHERE issued_at >= $1 GROUP BY card_kind',
      [since.toISOString()],
    );
    return Object.fromEntries(rows.map((r) => [r.card_kind, Number(r.n)]));
  }

  /** Retention: deletes issued cards (and, by cascade, their feedback), feedback received before the cut-off and
   *  suppressions that ended before it. */
  async purgeOlderThan(cutoff: Date): Promise<number> {
    const at = cutoff.toISOString();
    const fb = await this.db.query('DELETE FROM feedback WHERE received_at < $1', [at]);
    const cards = await this.db.query('DELETE FROM issued_card WHERE issued_at < $1', [at]);
    const sup = await this.db.query('DELETE FROM suppression WHERE until < $1', [at]);
    if (this.suppressionIndex) {
      const index = await this.suppressionIndex;
      for (const [hash, list] of index) {
        const kept = list.filter((s) => s.until >= cutoff);
        if (kept.length > 0) index.set(hash, kept);
        else index.delete(hash);
      }
    }
    return fb.affected + cards.affected + sup.affected;
  }

  /** A development-only secret shared by every instance on this database: created once (the first instance wins
   *  the race), then read by all. Production sets PATIENT_HASH_KEY instead (config refuses to start without it). */
  async devSecret(name: string, generate: () => string): Promise<string> {
    await this.db.query('INSERT INTO dev_secret (name, value) VALUES ($1, $2) ON CONFLICT DO NOTHING', [name, generate()]);
    const { rows } = await this.db.query<{ value: string }>('SELECT value FROM dev_secret WHERE name = $1', [name]);
    const value = rows[0]?.value;
    if (value === undefined) throw new Error(`dev secret ${name} missing after insert`);
    return value;
  }
}
