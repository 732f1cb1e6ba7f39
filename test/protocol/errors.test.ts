import request from 'supertest';
import { blockInternet, exampleRequest, testApp, testConfig } from '../helpers/app.js';

/** Every refusal the issue names: status, a JSON body saying what is wrong, never a stack trace. */

const SERVICE = '/cds-services/her2-er-pr-patient-view';
const valid = () => exampleRequest('sandbox-patient-view-request.json');
const app = testApp({ config: testConfig({ bodyLimit: '4kb' }) });

blockInternet();

type Case = { name: string; send: () => request.Test; status: number; error: string };

const withContext = (context: Record<string, unknown>) => ({ ...valid(), context });

const cases: Case[] = [
  {
    name: 'malformed JSON',
    send: () => request(app).post(SERVICE).set('Content-Type', 'application/json').send('{"hook": "patient-view",'),
    status: 400,
    error: 'malformed-json',
  },
  {
    name: 'JSON that is not an object',
    send: () => request(app).post(SERVICE).set('Content-Type', 'application/json').send('"patient-view"'),
    status: 400,
    error: 'malformed-json',
  },
  {
    name: 'wrong content type',
    send: () => request(app).post(SERVICE).set('Content-Type', 'text/plain').send(JSON.stringify({ hook: 'patient-view' })),
    status: 400,
    error: 'unsupported-content-type',
  },
  { name: 'no body at all', send: () => request(app).post(SERVICE), status: 400, error: 'unsupported-content-type' },
  { name: 'unknown service', send: () => request(app).post('/cds-services/no-such-service').send(valid()), status: 404, error: 'unknown-service' },
  { name: 'hook not matching the service', send: () => request(app).post(SERVICE).send({ ...valid(), hook: 'order-sign' }), status: 400, error: 'hook-mismatch' },
  {
    name: 'no hook',
    send: () => {
      const { hook: _hook, ...rest } = valid();
      return request(app).post(SERVICE).send(rest);
    },
    status: 400,
    error: 'hook-mismatch',
  },
  {
    name: 'missing context',
    send: () => {
      const { context: _context, ...rest } = valid();
      return request(app).post(SERVICE).send(rest);
    },
    status: 400,
    error: 'invalid-request',
  },
  { name: 'context without patientId', send: () => request(app).post(SERVICE).send(withContext({ userId: 'Practitioner/1' })), status: 400, error: 'invalid-request' },
  { name: 'context without userId', send: () => request(app).post(SERVICE).send(withContext({ patientId: 'p1' })), status: 400, error: 'invalid-request' },
  {
    name: 'patientId given as a reference',
    send: () => request(app).post(SERVICE).send(withContext({ patientId: 'Patient/p1', userId: 'Practitioner/1' })),
    status: 400,
    error: 'invalid-request',
  },
  { name: 'missing hookInstance', send: () => request(app).post(SERVICE).send({ ...valid(), hookInstance: undefined }), status: 400, error: 'invalid-request' },
  { name: 'fhirServer not a URL', send: () => request(app).post(SERVICE).send({ ...valid(), fhirServer: 'not a url' }), status: 400, error: 'invalid-request' },
  {
    name: 'access token without fhirServer',
    send: () =>
      request(app)
        .post(SERVICE)
        .send({ ...valid(), fhirServer: undefined, fhirAuthorization: { access_token: 'x', token_type: 'Bearer', expires_in: 300, scope: 's', subject: 'c' } }),
    status: 400,
    error: 'invalid-request',
  },
  {
    name: 'body over BODY_LIMIT',
    send: () => request(app).post(SERVICE).send({ ...valid(), extension: { padding: 'x'.repeat(5000) } }),
    status: 413,
    error: 'body-too-large',
  },
  { name: 'GET on a service', send: () => request(app).get(SERVICE), status: 405, error: 'method-not-allowed' },
  { name: 'POST on discovery', send: () => request(app).post('/cds-services').send({}), status: 405, error: 'method-not-allowed' },
  { name: 'unknown route', send: () => request(app).get('/no/such/path'), status: 404, error: 'not-found' },
];

describe.each(cases)('$name', ({ send, status, error }) => {
  test(`answers ${status} ${error} as JSON without a stack trace`, async () => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.type).toBe('application/json');
    expect(res.body.error).toBe(error);
    expect(typeof res.body.message).toBe('string');
    expect(res.text).not.toMatch(/\bat .+\.(ts|js):\d+/);
  });
});

test('an invalid context names the member that is wrong', async () => {
  const res = await request(app).post(SERVICE).send(withContext({ userId: 'Practitioner/1' }));
  expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'context.patientId' })]));
});

test('405 says which method to use', async () => {
  const res = await request(app).delete(SERVICE);
  expect(res.status).toBe(405);
  expect(res.headers.allow).toBe('POST');
});

test('412 with an OperationOutcome when biomarkers are neither prefetched nor fetchable (no fhirServer)', async () => {
  const res = await request(app).post(SERVICE).send({ ...valid(), fhirServer: undefined, prefetch: undefined });
  expect(res.status).toBe(412);
  expect(res.body.resourceType).toBe('OperationOutcome');
  expect(res.body.issue[0]).toMatchObject({ severity: 'error', code: 'not-found' });
});

test('the process survives every refusal: the next valid call still answers 200', async () => {
  for (const c of cases) await c.send();
  const res = await request(app).post(SERVICE).send(valid());
  expect(res.status).toBe(200);
});
