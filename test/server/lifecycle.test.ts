import request from 'supertest';
import { Lifecycle } from '../../src/protocol/health.js';
import { testApp } from '../helpers/app.js';

/** /health is liveness, /ready is readiness: while draining /ready turns 503 and new calls are refused. */

test('ready and healthy while serving', async () => {
  const app = testApp({ lifecycle: new Lifecycle() });
  await request(app).get('/health').expect(200, { status: 'ok' });
  await request(app).get('/ready').expect(200, { status: 'ready' });
});

test('while draining: /ready 503, /health 200, any other call 503 with its connection closed', async () => {
  const lifecycle = new Lifecycle();
  const app = testApp({ lifecycle });
  lifecycle.draining = true;
  await request(app).get('/ready').expect(503, { status: 'draining' });
  await request(app).get('/health').expect(200);
  const res = await request(app).get('/cds-services');
  expect(res.status).toBe(503);
  expect(res.body.error).toBe('shutting-down');
  expect(res.headers.connection).toBe('close');
});

test('x-powered-by is not sent and helmet headers are', async () => {
  const res = await request(testApp()).get('/health');
  expect(res.headers['x-powered-by']).toBeUndefined();
  expect(res.headers['x-content-type-options']).toBe('nosniff');
});
