import request from 'supertest';
import type { Db } from '../../src/storage/db.js';
import type { FeedbackRuntime } from '../../src/feedback/runtime.js';
import {
  appFor,
  callHook,
  Chart,
  ENGINES,
  feedbackBody,
  kindOf,
  ORDER_SELECT,
  orderSelectBody,
  overridden,
  runtimeOn,
  type SentCard,
} from './harness.js';

const FEEDBACK = `/cds-services/${ORDER_SELECT}/feedback`;
const byKind = (cards: SentCard[], kind: string) => cards.find((c) => kindOf(c) === kind);
const kinds = (cards: SentCard[]) => cards.map(kindOf);

describe.each(ENGINES)('feedback on $name', ({ open }) => {
  let db: Db;
  let drop: () => Promise<void>;
  let runtime: FeedbackRuntime;

  beforeAll(async () => {
    ({ db, drop } = await open());
    runtime = await runtimeOn(db);
    expect(runtime.state).toBe('ready');
  }, 60_000);
  afterAll(async () => {
    await runtime?.close();
    await drop?.();
  });

  const count = async (sql: string, params: unknown[] = []) => Number((await db.query<{ n: string }>(sql, params)).rows[0]?.n);

  test('an override meaning "already done" hides the card for that patient only, until a result changes', async () => {
    const chart = new Chart();
    const app = appFor(chart, runtime);
    const first = await callHook(app, orderSelectBody('p-override'));
    const lvef = byKind(first, 'order/lvef-missing');
    expect(lvef).toBeDefined();

    await request(app).post(FEEDBACK).send(feedbackBody(lvef!.uuid, overridden('echo-scheduled'))).expect(200);

    const again = await callHook(app, orderSelectBody('p-override'));
    expect(kinds(again)).not.toContain('order/lvef-missing');
    expect(kinds(again)).toContain('summary');
    // another patient still sees it
    expect(kinds(await callHook(app, orderSelectBody('p-other')))).toContain('order/lvef-missing');
    // a new biomarker result lifts the suppression
    chart.addResult('her2-ish-1');
    expect(kinds(await callHook(app, orderSelectBody('p-override')))).toContain('order/lvef-missing');
  });

  test('an amended result lifts the suppression too', async () => {
    const chart = new Chart();
    const app = appFor(chart, runtime);
    const lvef = byKind(await callHook(app, orderSelectBody('p-amend')), 'order/lvef-missing')!;
    await request(app).post(FEEDBACK).send(feedbackBody(lvef.uuid, overridden('lvef-elsewhere'))).expect(200);
    expect(kinds(await callHook(app, orderSelectBody('p-amend')))).not.toContain('order/lvef-missing');
    chart.amend('her2-ihc-1');
    expect(kinds(await callHook(app, orderSelectBody('p-amend')))).toContain('order/lvef-missing');
  });

  test.each([
    ['a decision, not a fact (oncologist-decision)', overridden('oncologist-decision')],
    ['a reason the client added itself (other code system)', overridden('ish-already-ordered', 'https://her2-cds.example.org/CodeSystem/override-reasons')],
    ['no reason at all', { outcome: 'overridden' }],
  ])('an override with %s is recorded but suppresses nothing', async (_label, item) => {
    const patient = `p-nosup-${String(_label).length}`;
    const app = appFor(new Chart(), runtime);
    const lvef = byKind(await callHook(app, orderSelectBody(patient)), 'order/lvef-missing')!;
    await request(app).post(FEEDBACK).send(feedbackBody(lvef.uuid, item)).expect(200);
    expect(await count('SELECT count(*) AS n FROM feedback WHERE card_uuid = $1', [lvef.uuid])).toBe(1);
    expect(kinds(await callHook(app, orderSelectBody(patient)))).toContain('order/lvef-missing');
  });

  test('the safety warning (anti-HER2 for a non-positive tumour) is never suppressed', async () => {
    const chart = new Chart();
    chart.her2 = 'zero';
    const app = appFor(chart, runtime);
    const warning = byKind(await callHook(app, orderSelectBody('p-safety')), 'order/anti-her2-not-positive');
    expect(warning).toBeDefined();
    for (const code of ['result-elsewhere', 'not-applicable', 'already-reviewed']) {
      await request(app).post(FEEDBACK).send(feedbackBody(warning!.uuid, overridden(code))).expect(200);
    }
    expect(kinds(await callHook(app, orderSelectBody('p-safety')))).toContain('order/anti-her2-not-positive');
  });

  test('an accepted echo order is not offered again while it is pending; the card stays', async () => {
    const chart = new Chart();
    const app = appFor(chart, runtime);
    const lvef = byKind(await callHook(app, orderSelectBody('p-accept')), 'order/lvef-missing')!;
    const echo = lvef.suggestions?.[0];
    expect(echo?.uuid).toBeDefined();
    await request(app)
      .post(FEEDBACK)
      .send(feedbackBody(lvef.uuid, { outcome: 'accepted', acceptedSuggestions: [{ id: echo!.uuid }] }))
      .expect(200);
    const again = byKind(await callHook(app, orderSelectBody('p-accept')), 'order/lvef-missing');
    expect(again).toBeDefined();
    expect(again!.suggestions ?? []).toEqual([]);
    expect(again).not.toHaveProperty('selectionBehavior');
    chart.addResult('her2-ish-2');
    expect(byKind(await callHook(app, orderSelectBody('p-accept')), 'order/lvef-missing')!.suggestions).toHaveLength(1);
  });

  test('feedback for a card uuid never issued is refused with 404 and stored nowhere', async () => {
    const app = appFor(new Chart(), runtime);
    const before = await count('SELECT count(*) AS n FROM feedback');
    const issued = byKind(await callHook(app, orderSelectBody('p-unknown')), 'order/lvef-missing')!;
    const res = await request(app)
      .post(FEEDBACK)
      .send({ feedback: [{ card: issued.uuid, outcome: 'overridden', outcomeTimestamp: new Date().toISOString() }, { card: 'never-issued', outcome: 'overridden', outcomeTimestamp: new Date().toISOString() }] })
      .expect(404);
    expect(res.body).toMatchObject({ error: 'unknown-card', details: [{ path: 'feedback.1.card' }] });
    expect(JSON.stringify(res.body)).not.toContain('never-issued');
    expect(await count('SELECT count(*) AS n FROM feedback')).toBe(before);
    // a card of another service is unknown to this one
    await request(app).post('/cds-services/her2-er-pr-order-sign/feedback').send(feedbackBody(issued.uuid, overridden('not-applicable'))).expect(404);
    await request(app).post('/cds-services/no-such-service/feedback').send(feedbackBody(issued.uuid, overridden('not-applicable'))).expect(404, { error: 'unknown-service', message: 'No CDS service has this id. See GET /cds-services.' });
  });

  test('concurrent feedback for the same card: every call answers 200, stored once, one suppression', async () => {
    const app = appFor(new Chart(), runtime);
    const lvef = byKind(await callHook(app, orderSelectBody('p-concurrent')), 'order/lvef-missing')!;
    const body = feedbackBody(lvef.uuid, overridden('echo-scheduled'));
    const results = await Promise.all(Array.from({ length: 12 }, () => request(app).post(FEEDBACK).send(body)));
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(200));
    expect(await count('SELECT count(*) AS n FROM feedback WHERE card_uuid = $1', [lvef.uuid])).toBe(1);
    expect(await count("SELECT count(*) AS n FROM suppression WHERE card_kind = 'order/lvef-missing' AND cause = 'overridden:echo-scheduled'")).toBeGreaterThanOrEqual(1);
    expect(kinds(await callHook(app, orderSelectBody('p-concurrent')))).not.toContain('order/lvef-missing');
  });

  test('no patient id, name or comment is stored; patients appear as a keyed hash', async () => {
    const app = appFor(new Chart(), runtime);
    const lvef = byKind(await callHook(app, orderSelectBody('p-phi-check-123')), 'order/lvef-missing')!;
    await request(app)
      .post(FEEDBACK)
      .send(feedbackBody(lvef.uuid, { outcome: 'overridden', overrideReason: { reason: { system: 'x', code: 'y' }, userComment: 'Mrs Smith had it done' } }))
      .expect(200);
    const dump = JSON.stringify([
      (await db.query('SELECT * FROM issued_card')).rows,
      (await db.query('SELECT * FROM feedback')).rows,
      (await db.query('SELECT * FROM suppression')).rows,
    ]);
    expect(dump).not.toContain('p-phi-check-123');
    expect(dump).not.toContain('Smith');
  });
});
