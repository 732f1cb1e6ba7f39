import request from 'supertest';
import { blockInternet, captureLogs, sharedJson, testApp } from '../helpers/app.js';
import { fakeEhr } from '../helpers/fake-ehr.js';

/** A full request cycle over real data writes one JSON line per request with the operational fields, and not a
 *  single identifier, name or date from the input (src/log.ts allow-list; issue 4, "Operations"). */

blockInternet();

type Json = unknown;
type Resource = { resourceType: string; id?: string } & Record<string, unknown>;

const FILES = [
  ['other', 'clinical-trial-matching-app', 'TrialMatching_Patient01.json'],
  ['other', 'clinical-trial-matching-service', 'patient_data.json'],
];

/** Strings a log must never contain: ids, references, identifiers, names, and every date or dateTime. */
function secrets(node: Json, key = '', out = new Set<string>()): Set<string> {
  if (typeof node === 'string') {
    const sensitiveKey = ['id', 'reference', 'value', 'family', 'given', 'text', 'birthDate', 'fullUrl'].includes(key);
    if (/^\d{4}-\d{2}(-\d{2})?/.test(node)) out.add(node.slice(0, 10));
    else if (sensitiveKey && node.length >= 4 && !/^\d+(\.\d+)?$/.test(node)) out.add(node);
  } else if (Array.isArray(node)) {
    for (const item of node) secrets(item, key, out);
  } else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) if (k !== 'div') secrets(v, k, out);
  }
  return out;
}

describe.each(FILES)('%s/%s/%s', (...parts) => {
  test('log lines carry the operational fields and nothing from the patient record', async () => {
    const bundle = sharedJson<{ entry: Array<{ resource: Resource }> }>('fhir-data', ...parts);
    const resources = bundle.entry.map((e) => e.resource);
    const patient = resources.find((r) => r.resourceType === 'Patient');
    expect(patient?.id).toBeDefined();
    const patientId = String(patient!.id);
    const observations = resources.filter((r) => r.resourceType === 'Observation');
    const body = {
      hook: 'patient-view',
      hookInstance: 'a7c1e2f4-3b5d-4e6f-8a9b-0c1d2e3f4a5b',
      fhirServer: 'https://ehr.test/fhir',
      fhirAuthorization: { access_token: 'secret-access-token-123', token_type: 'Bearer', expires_in: 60, scope: 'patient/*.read', subject: 'svc' },
      context: { patientId, userId: 'Practitioner/dr-who-1234' },
      prefetch: { patient, biomarkers: { resourceType: 'Bundle', type: 'searchset', entry: observations.map((resource) => ({ resource })) } },
    };
    fakeEhr('https://ehr.test/fhir', resources);
    const app = testApp();

    const capture = captureLogs();
    try {
      // Fixed request ids: a random UUID can contain a short record value such as "a123" by chance.
      await request(app).post('/cds-services/her2-er-pr-patient-view').set('X-Request-Id', 'log-test-one').send(body).expect(200);
      await request(app).post('/cds-services/her2-er-pr-patient-view').set('X-Request-Id', 'log-test-two').send({ ...body, context: { patientId } }).expect(400);
    } finally {
      capture.stop();
    }

    const requestLines = capture.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.message === 'request');
    expect(requestLines).toHaveLength(2);
    expect(requestLines[0]).toMatchObject({
      serviceId: 'her2-er-pr-patient-view',
      hook: 'patient-view',
      hookInstance: body.hookInstance,
      status: 200,
      observations: expect.any(Number),
      fhirCalls: expect.any(Number),
      cards: expect.any(Number),
      requestId: 'log-test-one',
      durationMs: expect.any(Number),
    });
    // Observations the data layer kept for this patient (it drops other patients' and duplicates).
    expect(requestLines[0]!.observations).toBeGreaterThan(0);
    expect(requestLines[0]!.observations).toBeLessThanOrEqual(observations.length);
    expect(requestLines[1]).toMatchObject({ status: 400, errorCode: 'invalid-request' });

    const text = capture.lines.join('\n');
    const forbidden = [...secrets(body), 'secret-access-token-123', 'dr-who-1234'];
    expect(forbidden.length).toBeGreaterThan(10);
    for (const value of forbidden) expect({ value, found: text.includes(value) }).toEqual({ value, found: false });
  });
});

test('a safe X-Request-Id is echoed; an unsafe one is replaced', async () => {
  const app = testApp();
  const safe = await request(app).get('/health').set('X-Request-Id', 'trace-0123456789');
  expect(safe.headers['x-request-id']).toBe('trace-0123456789');
  const unsafe = await request(app).get('/health').set('X-Request-Id', 'Jane Example 1968-04-12');
  expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
});

test('a hookInstance that is not a UUID is not logged as sent', async () => {
  const app = testApp();
  const capture = captureLogs();
  try {
    await request(app).post('/cds-services/her2-er-pr-patient-view').send({ hook: 'patient-view', hookInstance: 'Jane Example', context: {} });
  } finally {
    capture.stop();
  }
  expect(capture.lines.join('\n')).not.toContain('Jane Example');
});
