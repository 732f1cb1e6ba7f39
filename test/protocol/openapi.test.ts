import { Ajv2020 } from 'ajv/dist/2020.js';
import request from 'supertest';
import { blockInternet, exampleRequest, testApp, testConfig } from '../helpers/app.js';
import { fakeEhr, prefetchedResources } from '../helpers/fake-ehr.js';

/** GET /openapi.json is made from the zod schemas; real responses validate against its component schemas. */

blockInternet();

const app = testApp({ config: testConfig({ bodyLimit: '16kb' }) });
let validate: (name: string, data: unknown) => string[];

beforeAll(async () => {
  const res = await request(app).get('/openapi.json').expect(200);
  const doc = res.body as { components: { schemas: Record<string, object> } };
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  // Formats (uri, uuid) are checked by the zod schemas themselves; ajv checks the structure.
  // The whole document under one id, so component $refs (#/components/schemas/...) resolve.
  ajv.addSchema(doc, 'openapi');
  validate = (name, data) => {
    const check = ajv.getSchema(`openapi#/components/schemas/${name}`);
    if (!check) throw new Error(`no component ${name}`);
    return check(data) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  };
});

test('the document is OpenAPI 3.1 with the service endpoints', async () => {
  const res = await request(app).get('/openapi.json');
  expect(res.body.openapi).toBe('3.1.0');
  expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/cds-services', '/cds-services/{id}', '/health', '/ready']));
});

test('the discovery response validates', async () => {
  const res = await request(app).get('/cds-services');
  expect(validate('DiscoveryResponse', res.body)).toEqual([]);
});

test('the example requests validate against HookRequest (what we accept is what we document)', () => {
  for (const file of ['sandbox-patient-view-request.json', 'sandbox-order-select-request.json', 'crd-order-sign-request.json', 'spec-patient-view-request-null-prefetch.json']) {
    expect({ file, errors: validate('HookRequest', exampleRequest(file)) }).toEqual({ file, errors: [] });
  }
});

test('a request our zod schema refuses is refused by the OpenAPI schema too', () => {
  const body = exampleRequest('sandbox-patient-view-request.json');
  delete (body.context as Record<string, unknown>).patientId;
  expect(validate('HookRequest', body)).not.toEqual([]);
});

test('a hook response validates against HookResponse', async () => {
  const body = exampleRequest('sandbox-patient-view-request.json');
  fakeEhr(String(body.fhirServer), prefetchedResources(body));
  const res = await request(app).post('/cds-services/her2-er-pr-patient-view').send(body).expect(200);
  expect(validate('HookResponse', res.body)).toEqual([]);
});

test.each([
  ['400', () => request(app).post('/cds-services/her2-er-pr-patient-view').send({ hook: 'patient-view' })],
  ['404', () => request(app).post('/cds-services/nope').send({})],
  ['405', () => request(app).put('/cds-services')],
  ['413', () => request(app).post('/cds-services/her2-er-pr-patient-view').send({ pad: 'x'.repeat(20_000) })],
])('a %s body validates against Error', async (status, send) => {
  const res = await send();
  expect(String(res.status)).toBe(status);
  expect(validate('Error', res.body)).toEqual([]);
});

test('a 412 body validates against OperationOutcome', async () => {
  const body = exampleRequest('sandbox-patient-view-request-no-prefetch.json');
  delete body.fhirServer;
  const res = await request(app).post('/cds-services/her2-er-pr-patient-view').send(body);
  expect(res.status).toBe(412);
  expect(validate('OperationOutcome', res.body)).toEqual([]);
});
