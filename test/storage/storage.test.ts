import { openDb, type Db } from '../../src/storage/db.js';
import { migrate } from '../../src/storage/migrations.js';
import { PgReplayStore } from '../../src/storage/jti-store.js';
import { FeedbackStore } from '../../src/storage/feedback-store.js';
import { patientPseudonym } from '../../src/storage/pseudonym.js';
import { createThrowawayDb, pgReachable, requirePg } from './pg-server.js';

type Engine = { name: string; open: () => Promise<{ db: Db; cleanup: () => Promise<void> }> };

const engines: Engine[] = [
  {
    name: 'embedded PGlite',
    open: async () => {
      const db = await openDb({ dataDir: 'memory://' });
      return { db, cleanup: () => db.close() };
    },
  },
  {
    name: 'real PostgreSQL',
    open: async () => {
      const reachable = await pgReachable();
      requirePg(reachable);
      if (!reachable) throw new Error('PostgreSQL not reachable (set TEST_DATABASE_URL or start the server)');
      const tmp = await createThrowawayDb('her2cds_storage');
      const db = await openDb({ databaseUrl: tmp.url, dataDir: 'unused' });
      return {
        db,
        cleanup: async () => {
          await db.close();
          await tmp.drop();
        },
      };
    },
  },
];

describe.each(engines)('storage on $name', ({ open }) => {
  let db: Db;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ db, cleanup } = await open());
    await migrate(db);
  }, 60_000);
  afterAll(async () => cleanup?.());

  test('migrations are applied once and are idempotent on restart', async () => {
    expect(await migrate(db)).toEqual([]);
    const { rows } = await db.query<{ version: number }>('SELECT version FROM schema_migration ORDER BY version');
    expect(rows.map((r) => Number(r.version))).toEqual([1, 2]);
  });

  test('a jti is accepted once and refused when replayed', async () => {
    const store = new PgReplayStore(db);
    const exp = new Date(Date.now() + 300_000);
    expect(await store.markSeen('jti-1', 'https://ehr.example', exp)).toBe(true);
    expect(await store.markSeen('jti-1', 'https://ehr.example', exp)).toBe(false);
    // the same jti from another issuer is another token
    expect(await store.markSeen('jti-1', 'https://other.example', exp)).toBe(true);
  });

  test('expired jtis are purged', async () => {
    const store = new PgReplayStore(db);
    await store.markSeen('old', 'iss', new Date(Date.now() - 1000));
    expect(await store.purgeExpired()).toBeGreaterThanOrEqual(1);
    expect(await store.markSeen('old', 'iss', new Date(Date.now() + 1000))).toBe(true);
  });

  test('issued cards, idempotent feedback and the summary', async () => {
    const fb = new FeedbackStore(db);
    const hash = patientPseudonym('secret', 'https://fhir.example', 'p1');
    await fb.recordIssued([
      { uuid: 'c1', serviceId: 'svc', cardKind: 'caveat/x', patientHash: hash, dataHash: 'd1', suggestions: [{ uuid: 's1', kind: 'reflex-ish' }] },
    ]);
    const card = await fb.findIssued('c1');
    expect(card).toMatchObject({ cardKind: 'caveat/x', patientHash: hash, suggestions: [{ uuid: 's1', kind: 'reflex-ish' }] });
    expect(await fb.findIssued('never-issued')).toBeUndefined();
    const at = new Date('2026-11-25T10:00:00Z');
    const record = { cardUuid: 'c1', outcome: 'overridden' as const, reason: { code: 'already-done' }, acceptedSuggestions: [], outcomeAt: at };
    expect(await fb.recordFeedback(record, [])).toBe(true);
    expect(await fb.recordFeedback(record, [])).toBe(false);
    const rows = await fb.summary(new Date(0));
    expect(rows).toEqual([{ cardKind: 'caveat/x', outcome: 'overridden', reasonSystem: null, reasonCode: 'already-done', count: 1 }]);
    expect(await fb.issuedCounts(new Date(0))).toEqual({ 'caveat/x': 1 });
  });

  test('suppression is per patient and card kind, and ends at its time', async () => {
    const fb = new FeedbackStore(db);
    const now = new Date();
    await fb.suppress('h1', { cardKind: 'k', dataHash: 'd', until: new Date(now.getTime() + 60_000), cause: 'overridden:already-done' });
    expect(await fb.activeSuppressions('h1', now)).toEqual([expect.objectContaining({ cardKind: 'k', dataHash: 'd' })]);
    expect(await fb.activeSuppressions('h2', now)).toEqual([]);
    expect(await fb.activeSuppressions('h1', new Date(now.getTime() + 120_000))).toEqual([]);
  });

  test('a suppression replaces the earlier one of its kind, and a store opened later sees what is stored', async () => {
    const first = new FeedbackStore(db);
    const now = new Date();
    const until = (ms: number) => new Date(now.getTime() + ms);
    expect(await first.activeSuppressions('h3', now)).toEqual([]); // with PGlite: the in-memory index is loaded here
    await first.suppress('h3', { cardKind: 'k', dataHash: 'old', until: until(60_000), cause: 'a' });
    await first.suppress('h3', { cardKind: 'k', dataHash: 'new', until: until(90_000), cause: 'b' });
    await first.suppress('h3', { cardKind: 'other', dataHash: 'new', until: until(30_000), cause: 'c' });
    const expected = [
      { cardKind: 'k', dataHash: 'new', until: until(90_000), cause: 'b' },
      { cardKind: 'other', dataHash: 'new', until: until(30_000), cause: 'c' },
    ];
    const byKind = (list: Array<{ cardKind: string }>) => [...list].sort((a, b) => a.cardKind.localeCompare(b.cardKind));
    expect(byKind(await first.activeSuppressions('h3', now))).toEqual(expected);
    // A restart (a new store on the same database) reads the same suppressions back.
    expect(byKind(await new FeedbackStore(db).activeSuppressions('h3', now))).toEqual(expected);
    // Retention drops what ended before the cut-off, from the database and from memory.
    await first.purgeOlderThan(until(45_000));
    expect(await first.activeSuppressions('h3', now)).toEqual([expected[0]]);
    expect(await new FeedbackStore(db).activeSuppressions('h3', now)).toEqual([expected[0]]);
  });

  test('the patient pseudonym is keyed: no raw id is stored and another key gives another hash', () => {
    const a = patientPseudonym('k1', 'https://f', 'patient-123');
    expect(a).not.toContain('patient-123');
    expect(patientPseudonym('k2', 'https://f', 'patient-123')).not.toBe(a);
    expect(patientPseudonym('k1', 'https://f', 'patient-123')).toBe(a);
  });
});
