import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { feedbackReport } from '../../src/cli/feedback-report.js';
import { FeedbackRuntime } from '../../src/feedback/runtime.js';
import { openDb } from '../../src/storage/db.js';
import type { Worker } from 'node:worker_threads';
import { captureLogs } from '../helpers/app.js';
import { openPgliteThread } from '../../src/storage/pglite-thread.js';
import { appFor, callHook, Chart, feedbackBody, feedbackConfig, kindOf, ORDER_SELECT, orderSelectBody, overridden, runtimeOn } from './harness.js';

const FEEDBACK = `/cds-services/${ORDER_SELECT}/feedback`;
const ts = '2026-01-15T14:33:41.090Z';

describe('bad feedback bodies are refused with 400 and a clear JSON error', () => {
  let runtime: FeedbackRuntime;
  beforeAll(async () => {
    runtime = await runtimeOn(await openDb({ dataDir: 'memory://' }));
  }, 60_000);
  afterAll(() => runtime.close());

  test.each([
    ['no feedback array', {}],
    ['empty feedback array', { feedback: [] }],
    ['missing card', { feedback: [{ outcome: 'overridden', outcomeTimestamp: ts }] }],
    ['unknown outcome', { feedback: [{ card: 'c', outcome: 'ignored', outcomeTimestamp: ts }] }],
    ['accepted without acceptedSuggestions', { feedback: [{ card: 'c', outcome: 'accepted', outcomeTimestamp: ts }] }],
    ['timestamp not RFC 3339', { feedback: [{ card: 'c', outcome: 'overridden', outcomeTimestamp: 'yesterday' }] }],
    ['reason without code', { feedback: [{ card: 'c', outcome: 'overridden', outcomeTimestamp: ts, overrideReason: { reason: { system: 's' } } }] }],
    ['an array body', [{ card: 'c' }]],
  ])('%s', async (_label, body) => {
    const res = await request(appFor(new Chart(), runtime)).post(FEEDBACK).send(body as object).expect(400);
    expect(res.body).toMatchObject({ error: 'invalid-feedback', message: expect.any(String) });
  });

  test('malformed JSON and the wrong content type', async () => {
    const app = appFor(new Chart(), runtime);
    await request(app).post(FEEDBACK).set('content-type', 'application/json').send('{"feedback": [').expect(400, { error: 'malformed-json', message: 'The request body is not valid JSON.' });
    const res = await request(app).post(FEEDBACK).set('content-type', 'text/plain').send('x').expect(400);
    expect(res.body.error).toBe('unsupported-content-type');
  });

  test('the Sandbox examples (accepted, overridden) and the 2020 shape without the reason wrapper are accepted', async () => {
    const app = appFor(new Chart(), runtime);
    const lvef = (await callHook(app, orderSelectBody('p-examples'))).find((c) => kindOf(c) === 'order/lvef-missing')!;
    const echo = lvef.suggestions![0]!.uuid!;
    await request(app).post(FEEDBACK).send({ feedback: [{ card: lvef.uuid, outcome: 'accepted', acceptedSuggestions: [{ id: echo }], outcomeTimestamp: ts }] }).expect(200);
    await request(app).post(FEEDBACK).send(feedbackBody(lvef.uuid, overridden('echo-scheduled'))).expect(200);
    await request(app)
      .post(FEEDBACK)
      .send({ feedback: [{ card: lvef.uuid, outcome: 'overridden', outcomeTimestamp: ts, overrideReason: { code: 'lvef-elsewhere', system: 'http://her2-cds.local/CodeSystem/override-reason' } }] })
      .expect(200);
    const rows = (await runtime.db!.query<{ reason_code: string | null }>('SELECT reason_code FROM feedback WHERE card_uuid = $1 ORDER BY id', [lvef.uuid])).rows;
    expect(rows.map((r) => r.reason_code)).toEqual([null, 'echo-scheduled', 'lvef-elsewhere']);
  });
});

describe('a database that is down', () => {
  test.each([
    ['an unreachable PostgreSQL server', feedbackConfig({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' })],
    ['an embedded database that cannot open', feedbackConfig({ DATA_DIR: '/proc/her2-cds-cannot-write-here' })],
  ])('%s: the hook still answers (no suppression, fault logged), feedback gets 503, /ready says degraded', async (_label, config) => {
    const logs = captureLogs();
    const runtime = new FeedbackRuntime(config.storage, { retryEveryMs: 60_000 });
    try {
      await runtime.started;
      expect(runtime.state).toBe('failed');
      const app = appFor(new Chart(), runtime, config);
      const cards = await callHook(app, orderSelectBody('p-down'));
      expect(cards.map(kindOf)).toContain('order/lvef-missing');
      const res = await request(app).post(FEEDBACK).send(feedbackBody(cards[0]!.uuid, overridden('not-applicable'))).expect(503);
      expect(res.body.error).toBe('feedback-unavailable');
      expect((await request(app).get('/ready').expect(200)).body).toEqual({ status: 'degraded' });
      // The operator is told why, not only that: the driver's reason is in the line.
      expect(logs.lines.some((l) => l.includes('database unavailable') && /"reason":"[^"]+"/.test(l))).toBe(true);
      expect(logs.lines.some((l) => l.includes('cards sent without suppression'))).toBe(true);
      expect(logs.lines.join('\n')).not.toContain('p-down');
    } finally {
      logs.stop();
      await runtime.close();
    }
  }, 30_000);

  test('an embedded database whose thread dies: answered as an outage (logged, /ready degraded), then reopened', async () => {
    const logs = captureLogs();
    const workers: Worker[] = [];
    const config = feedbackConfig();
    const runtime = new FeedbackRuntime(config.storage, {
      open: () => openPgliteThread('memory://', { onWorker: (w) => workers.push(w) }),
      retryEveryMs: 100,
    });
    try {
      await runtime.started;
      const app = appFor(new Chart(), runtime, config);
      expect(runtime.state).toBe('ready');
      await workers[0]!.terminate(); // as a crash of the database thread would
      await request(app).get('/ready').expect(200, { status: 'degraded' });
      const cards = await callHook(app, orderSelectBody('p-crash'));
      expect(cards.map(kindOf)).toContain('order/lvef-missing'); // still answered, unfiltered
      expect(logs.lines.some((l) => l.includes('database stopped'))).toBe(true);
      // Reopened in the background: feedback works again on the new database.
      for (let i = 0; i < 100 && runtime.state !== 'ready'; i++) await new Promise((r) => setTimeout(r, 50));
      expect(workers).toHaveLength(2);
      await request(app).get('/ready').expect(200, { status: 'ready' });
      const again = await callHook(app, orderSelectBody('p-crash'));
      await request(app).post(FEEDBACK).send(feedbackBody(again[0]!.uuid, overridden('not-applicable'))).expect(200);
    } finally {
      logs.stop();
      await runtime.close();
    }
  }, 60_000);

  test('while the database is starting /ready is 503; without a runtime feedback is 503', async () => {
    let release: () => void = () => undefined;
    const db = await openDb({ dataDir: 'memory://' });
    const runtime = new FeedbackRuntime(feedbackConfig().storage, { open: () => new Promise((r) => (release = () => r(db))) });
    const app = appFor(new Chart(), runtime);
    expect((await request(app).get('/ready').expect(503)).body).toEqual({ status: 'starting' });
    release();
    await runtime.started;
    await request(app).get('/ready').expect(200, { status: 'ready' });
    await runtime.close();
    await request(appFor(new Chart(), undefined)).post(FEEDBACK).send(feedbackBody('x', overridden('not-applicable'))).expect(503);
  }, 60_000);
});

describe('reporting and retention', () => {
  const ADMIN = 'admin-token-0123456789abcdef';
  let runtime: FeedbackRuntime;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'her2cds-report-'));
    runtime = await runtimeOn(await openDb({ dataDir: dir }), feedbackConfig({ ADMIN_TOKEN: ADMIN, DATA_DIR: dir }));
    const app = appFor(new Chart(), runtime, feedbackConfig({ ADMIN_TOKEN: ADMIN }));
    for (const [patient, code] of [['r1', 'echo-scheduled'], ['r2', 'echo-scheduled'], ['r3', 'oncologist-decision']] as const) {
      const lvef = (await callHook(app, orderSelectBody(patient))).find((c) => kindOf(c) === 'order/lvef-missing')!;
      await request(app).post(FEEDBACK).send(feedbackBody(lvef.uuid, overridden(code))).expect(200);
    }
    const lvef = (await callHook(app, orderSelectBody('r4'))).find((c) => kindOf(c) === 'order/lvef-missing')!;
    await request(app).post(FEEDBACK).send(feedbackBody(lvef.uuid, { outcome: 'accepted', acceptedSuggestions: [{ id: lvef.suggestions![0]!.uuid }] })).expect(200);
  }, 60_000);
  afterAll(async () => {
    await runtime?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('GET /admin/feedback/summary: 404 without ADMIN_TOKEN, 401 with a wrong token, rates per kind and reason', async () => {
    await request(appFor(new Chart(), runtime)).get('/admin/feedback/summary').expect(404);
    const app = appFor(new Chart(), runtime, feedbackConfig({ ADMIN_TOKEN: ADMIN }));
    await request(app).get('/admin/feedback/summary').set('authorization', 'Bearer wrong-token-0123456789').expect(401);
    await request(app).get('/admin/feedback/summary?since=soon').set('authorization', `Bearer ${ADMIN}`).expect(400);
    const res = await request(app).get('/admin/feedback/summary?since=30d').set('authorization', `Bearer ${ADMIN}`).expect(200);
    const lvef = (res.body.kinds as Array<Record<string, unknown>>).find((k) => k.cardKind === 'order/lvef-missing');
    expect(lvef).toMatchObject({ issued: 4, accepted: 1, overridden: 3, acceptedRate: 0.25, overriddenRate: 0.75 });
    expect(lvef!.reasons).toEqual([
      { system: 'http://her2-cds.local/CodeSystem/override-reason', code: 'echo-scheduled', count: 2 },
      { system: 'http://her2-cds.local/CodeSystem/override-reason', code: 'oncologist-decision', count: 1 },
    ]);
  });

  test('her2-cds feedback-report prints the table from the configured database', async () => {
    await runtime.close();
    const lines: string[] = [];
    await feedbackReport({ since: '30d' }, { DATA_DIR: dir, PATIENT_HASH_KEY: 'x'.repeat(32), CDS_AUTH: 'disabled' }, (s) => lines.push(s));
    const out = lines.join('\n');
    console.log(out);
    expect(out).toMatch(/order\/lvef-missing\s+4\s+1 \(25\.0%\)\s+3 \(75\.0%\)\s+echo-scheduled ×2, oncologist-decision ×1/);
    runtime = await runtimeOn(await openDb({ dataDir: dir }));
  }, 60_000);

  test('records older than FEEDBACK_RETENTION_DAYS are purged', async () => {
    const db = runtime.db!;
    await db.query("UPDATE issued_card SET issued_at = now() - interval '400 days'");
    await db.query("UPDATE feedback SET received_at = now() - interval '400 days'");
    expect(await runtime.purge()).toBeGreaterThan(0);
    expect(Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM issued_card')).rows[0]!.n)).toBe(0);
    expect(Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM feedback')).rows[0]!.n)).toBe(0);
  }, 60_000);
});
