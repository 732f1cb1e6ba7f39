import request from 'supertest';
import { hookResponseSchema } from '../../src/protocol/response-schema.js';
import { blockInternet, exampleRequest, sharedJson, testApp } from '../helpers/app.js';
import { fakeEhr, prefetchedResources } from '../helpers/fake-ehr.js';

/** The hook call over the real app, with the example requests in ../shared/cds-hooks/examples as sent by real
 *  clients and the real FHIR data in ../shared/fhir-data. The EHR's FHIR server is a nock stand-in. */

blockInternet();

const PATIENT_VIEW = '/cds-services/her2-er-pr-patient-view';
const app = testApp();

function expectValidResponse(body: unknown): void {
  const parsed = hookResponseSchema.safeParse(body);
  if (!parsed.success) throw new Error(`response does not match the response schema:\n${JSON.stringify(parsed.error.issues, null, 1)}`);
}

function summaryCards(body: { cards: Array<{ extension?: Record<string, unknown> }> }) {
  return body.cards.filter((c) => c.extension?.['biomarker-interpretation'] !== undefined);
}

const EXAMPLES = [
  { file: 'sandbox-patient-view-request.json', path: PATIENT_VIEW },
  { file: 'sandbox-patient-view-request-no-prefetch.json', path: PATIENT_VIEW },
  { file: 'sandbox-patient-view-request-smart.json', path: PATIENT_VIEW },
  { file: 'spec-patient-view-request-null-prefetch.json', path: PATIENT_VIEW },
  { file: 'sandbox-order-select-request.json', path: '/cds-services/her2-er-pr-order-select' },
  { file: 'crd-order-sign-request.json', path: '/cds-services/her2-er-pr-order-sign' },
];

describe.each(EXAMPLES)('example $file', ({ file, path }) => {
  test('answers 200 with a CDS Hooks 2.0 response that matches our response schema', async () => {
    const body = exampleRequest(file);
    fakeEhr(String(body.fhirServer), prefetchedResources(body));
    const res = await request(app).post(path).send(body);
    expect(res.status).toBe(200);
    expectValidResponse(res.body);
    if (body.hook === 'patient-view') expect(summaryCards(res.body)).toHaveLength(1);
  });
});

test('the SMART token in fhirAuthorization is what the service sends to fhirServer', async () => {
  const body = exampleRequest('sandbox-patient-view-request-smart.json');
  const ehr = fakeEhr(String(body.fhirServer), prefetchedResources(body));
  await request(app).post(PATIENT_VIEW).send(body).expect(200);
  expect(ehr.requests.length).toBeGreaterThan(0);
  const token = (body.fhirAuthorization as { access_token: string }).access_token;
  for (const r of ehr.requests) expect(r.authorization).toBe(`Bearer ${token}`);
});

test('fhirAuthorization without access_token (Da Vinci CRD, not logged in) is treated as no token', async () => {
  const body = exampleRequest('crd-order-sign-request.json');
  delete (body.fhirAuthorization as Record<string, unknown>).access_token;
  const ehr = fakeEhr(String(body.fhirServer), prefetchedResources(body));
  await request(app).post('/cds-services/her2-er-pr-order-sign').send(body).expect(200);
  expect(ehr.requests.length).toBeGreaterThan(0);
  for (const r of ehr.requests) expect(r.authorization).toBeUndefined();
});

const jenny = ['er', 'pr', 'her2'].map((m) => sharedJson('fhir-data', 'mcode', `Observation-tumor-marker-test-${m}-jenny-m.json`));
const jennyId = String((jenny[0]!.subject as { reference: string }).reference).split('/')[1];

function jennyRequest(): Record<string, unknown> {
  return {
    hook: 'patient-view',
    hookInstance: 'f3a7c2d1-0b5e-4c8a-9d6f-2e1b3a4c5d6e',
    fhirServer: 'https://ehr.test/fhir',
    context: { patientId: jennyId, userId: 'Practitioner/example' },
    prefetch: {
      patient: { resourceType: 'Patient', id: jennyId, gender: 'female' },
      biomarkers: { resourceType: 'Bundle', type: 'searchset', entry: jenny.map((resource) => ({ resource })) },
      conditions: { resourceType: 'Bundle', type: 'searchset', total: 0 },
      medications: null,
    },
  };
}

test('real mCODE data fully prefetched: one summary card and not a single FHIR call', async () => {
  const ehr = fakeEhr('https://ehr.test/fhir', []);
  const res = await request(app).post(PATIENT_VIEW).send(jennyRequest()).expect(200);
  expectValidResponse(res.body);
  expect(summaryCards(res.body)).toHaveLength(1);
  expect(ehr.requests).toHaveLength(0);
});

test('a key the client could not fill is fetched from fhirServer (fallback end to end)', async () => {
  const body = jennyRequest();
  delete (body.prefetch as Record<string, unknown>).biomarkers;
  const ehr = fakeEhr('https://ehr.test/fhir', jenny as Array<{ resourceType: string }>);
  const res = await request(app).post(PATIENT_VIEW).send(body).expect(200);
  expectValidResponse(res.body);
  expect(ehr.requests.map((r) => r.path)).toEqual([expect.stringMatching(/^\/fhir\/Observation\?patient=/)]);
});

test('application/fhir+json bodies, unknown members and extensions are accepted', async () => {
  fakeEhr('https://ehr.test/fhir', []);
  const body: Record<string, unknown> = { ...jennyRequest(), extension: { 'org.example.flag': true }, somethingNew: 1 };
  (body.context as Record<string, unknown>).extension = { x: 1 };
  const res = await request(app).post(PATIENT_VIEW).set('Content-Type', 'application/fhir+json').send(JSON.stringify(body));
  expect(res.status).toBe(200);
});

test('a hookInstance that is not a UUID is accepted (it is no key of ours)', async () => {
  fakeEhr('https://ehr.test/fhir', []);
  await request(app).post(PATIENT_VIEW).send({ ...jennyRequest(), hookInstance: 'call-42' }).expect(200);
});

test('the sandbox draft order quirks (Bundle without type, category as an object) are accepted', async () => {
  const body = exampleRequest('sandbox-order-select-request.json');
  const draft = (body.context as { draftOrders: Record<string, unknown> }).draftOrders;
  expect(draft.type).toBeUndefined();
  fakeEhr(String(body.fhirServer), prefetchedResources(body));
  await request(app).post('/cds-services/her2-er-pr-order-select').send(body).expect(200);
});

test('order-select without selections is refused with 400', async () => {
  const body = exampleRequest('sandbox-order-select-request.json');
  delete (body.context as Record<string, unknown>).selections;
  const res = await request(app).post('/cds-services/her2-er-pr-order-select').send(body);
  expect(res.status).toBe(400);
  expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'context.selections' })]));
});
