import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { Client } from 'fhir-kit-client';
import type { Bundle, CapabilityStatement, Observation, OperationOutcome, Patient, Resource } from 'fhir/r4.js';
import { createEmbeddedFhirServer, type EmbeddedFhirServer } from '../../src/embedded/fhir-server.js';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURES = path.join(ROOT, 'fixtures');
const BASE = 'http://localhost:3000/fhir/R4';

interface ServicesFile {
  services: Array<{ id: string; prefetch?: Record<string, string> }>;
}
const discovery = JSON.parse(readFileSync(path.join(ROOT, 'cds-services.json'), 'utf8')) as ServicesFile;
const prefetch = discovery.services.find((s) => s.id === 'her2-er-pr-patient-view')?.prefetch ?? {};

/** A prefetch template filled exactly as an EHR does it (the patient id substituted, nothing else encoded). */
function fill(template: string, patientId: string): string {
  return template.replace('{{context.patientId}}', patientId);
}

function fixture(scenario: string): Resource[] {
  const bundle = JSON.parse(readFileSync(path.join(FIXTURES, `${scenario}.json`), 'utf8')) as Bundle;
  return (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
}

function ids(bundle: Bundle): string[] {
  return (bundle.entry ?? []).map((e) => `${e.resource?.resourceType}/${e.resource?.id}`).sort();
}

/** The LOINC codes the biomarkers template asks for. */
const templateCodes = new Set(
  [...(prefetch['biomarkers'] ?? '').matchAll(/http:\/\/loinc\.org\|([0-9-]+)/g)].map((m) => m[1]),
);

let server: EmbeddedFhirServer;
let app: express.Express;

beforeAll(async () => {
  server = await createEmbeddedFhirServer({ fixturesDir: FIXTURES, baseUrl: `${BASE}/` });
  app = express();
  app.use('/fhir/R4', server.router);
});

describe('embedded FHIR server over HTTP', () => {
  it('serves a CapabilityStatement at /metadata', async () => {
    const res = await request(app).get('/fhir/R4/metadata');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/fhir\+json/);
    const cs = JSON.parse(res.text) as CapabilityStatement;
    expect(cs.resourceType).toBe('CapabilityStatement');
    expect(cs.fhirVersion).toBe('4.0.1');
    expect(cs.rest?.[0]?.resource?.map((r) => r.type)).toEqual(
      expect.arrayContaining(['Patient', 'Observation', 'Condition', 'MedicationRequest']),
    );
  });

  it('reads a scenario patient by its fixed id (the prefetch "patient" template)', async () => {
    const res = await request(app).get(`/fhir/R4/${fill(prefetch['patient'] ?? '', 'her2-pos-mbc')}`);
    expect(res.status).toBe(200);
    const patient = JSON.parse(res.text) as Patient;
    expect(patient.id).toBe('her2-pos-mbc');
    expect(patient.name?.[0]?.family).toBe('Example');
  });

  it('answers an unknown id with 404 and an OperationOutcome', async () => {
    const res = await request(app).get('/fhir/R4/Patient/no-such-patient');
    expect(res.status).toBe(404);
    const oo = JSON.parse(res.text) as OperationOutcome;
    expect(oo.resourceType).toBe('OperationOutcome');
    expect(oo.issue[0]?.code).toBe('not-found');
  });

  it.each(['her2-low-hr-pos-post-endocrine', 'discordant-primary-vs-met', 'ish-group3-ihc2', 'free-text-only'])(
    'biomarkers template (patient=<bare id>, many codes OR-ed, _count) returns exactly %s\'s biomarker Observations',
    async (scenario) => {
      const res = await request(app).get(`/fhir/R4/${fill(prefetch['biomarkers'] ?? '', scenario)}`);
      expect(res.status).toBe(200);
      const bundle = JSON.parse(res.text) as Bundle;
      const expected = fixture(scenario)
        .filter((r): r is Observation => r.resourceType === 'Observation')
        .filter((o) => o.code.coding?.some((c) => c.system === 'http://loinc.org' && templateCodes.has(c.code)))
        .map((o) => `Observation/${o.id}`)
        .sort();
      expect(expected.length).toBeGreaterThan(0);
      expect(ids(bundle)).toEqual(expected);
      expect(bundle.total).toBe(expected.length);
    },
  );

  it('excludes non-biomarker Observations (staging) from the biomarkers search', async () => {
    const res = await request(app).get(`/fhir/R4/${fill(prefetch['biomarkers'] ?? '', 'her2-pos-early-pt1b-n0')}`);
    const found = ids(JSON.parse(res.text) as Bundle);
    expect(found).not.toEqual(expect.arrayContaining([expect.stringMatching(/-stage-/)]));
    expect(found.length).toBe(5);
  });

  it.each([
    ['conditions', 'Condition', 'her2-pos-mbc'],
    ['medications', 'MedicationRequest', 'her2-pos-mbc'],
    ['conditions', 'Condition', 'stale-biomarkers-new-met'],
    ['medications', 'MedicationRequest', 'neoadjuvant-her2-pos-then-low'],
  ])('%s template returns every %s of %s and no other patient\'s', async (key, type, scenario) => {
    const res = await request(app).get(`/fhir/R4/${fill(prefetch[key] ?? '', scenario)}`);
    expect(res.status).toBe(200);
    const expected = fixture(scenario)
      .filter((r) => r.resourceType === type)
      .map((r) => `${type}/${r.id}`)
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(JSON.parse(res.text) as Bundle)).toEqual(expected);
  });

  it('returns an empty searchset for a patient with no data of that kind', async () => {
    const res = await request(app).get(`/fhir/R4/${fill(prefetch['biomarkers'] ?? '', 'no-biomarkers')}`);
    const bundle = JSON.parse(res.text) as Bundle;
    expect(bundle.type).toBe('searchset');
    expect(bundle.total).toBe(0);
  });

  it('accepts patient=Patient/<id> and subject=Patient/<id> as well as the bare id', async () => {
    const bare = await request(app).get('/fhir/R4/Condition?patient=her2-pos-mbc');
    const typed = await request(app).get('/fhir/R4/Condition?patient=Patient/her2-pos-mbc');
    const subject = await request(app).get('/fhir/R4/Condition?subject=Patient/her2-pos-mbc');
    const expected = ids(JSON.parse(bare.text) as Bundle);
    expect(expected).toHaveLength(2);
    expect(ids(JSON.parse(typed.text) as Bundle)).toEqual(expected);
    expect(ids(JSON.parse(subject.text) as Bundle)).toEqual(expected);
  });

  it('sorts by date and filters by date prefix', async () => {
    const base = '/fhir/R4/Observation?patient=discordant-primary-vs-met&code=http://loinc.org|85319-2';
    const newestFirst = JSON.parse((await request(app).get(`${base}&_sort=-date`)).text) as Bundle<Observation>;
    expect(newestFirst.entry?.map((e) => e.resource?.effectiveDateTime)).toEqual(['2025-01-20', '2021-02-18']);
    const oldestFirst = JSON.parse((await request(app).get(`${base}&_sort=date`)).text) as Bundle<Observation>;
    expect(oldestFirst.entry?.map((e) => e.resource?.effectiveDateTime)).toEqual(['2021-02-18', '2025-01-20']);
    const recent = JSON.parse((await request(app).get(`${base}&date=ge2024-01-01`)).text) as Bundle<Observation>;
    expect(recent.entry?.map((e) => e.resource?.effectiveDateTime)).toEqual(['2025-01-20']);
  });

  it('limits the page with _count and still reports the total', async () => {
    const res = await request(app).get('/fhir/R4/Observation?patient=her2-low-hr-pos-post-endocrine&_count=2');
    const bundle = JSON.parse(res.text) as Bundle;
    expect(bundle.entry).toHaveLength(2);
    expect(bundle.total).toBeGreaterThan(2);
  });

  it('matches a code with or without its system, and not with a wrong system', async () => {
    const q = '/fhir/R4/Observation?patient=ish-group3-ihc2&code=';
    const withSystem = JSON.parse((await request(app).get(`${q}http://loinc.org|49683-6`)).text) as Bundle;
    const bare = JSON.parse((await request(app).get(`${q}49683-6`)).text) as Bundle;
    const wrong = JSON.parse((await request(app).get(`${q}http://snomed.info/sct|49683-6`)).text) as Bundle;
    expect(withSystem.total).toBe(1);
    expect(bare.total).toBe(1);
    expect(wrong.total).toBe(0);
  });

  it('ignores an unknown search parameter instead of returning nothing', async () => {
    const plain = JSON.parse((await request(app).get('/fhir/R4/Condition?patient=her2-pos-mbc')).text) as Bundle;
    const extra = JSON.parse(
      (await request(app).get('/fhir/R4/Condition?patient=her2-pos-mbc&not-a-parameter=1')).text,
    ) as Bundle;
    expect(ids(extra)).toEqual(ids(plain));
  });

  it('builds fullUrl and the self link from the configured base URL', async () => {
    const res = await request(app).get('/fhir/R4/Condition?patient=her2-pos-mbc');
    const bundle = JSON.parse(res.text) as Bundle;
    for (const entry of bundle.entry ?? []) {
      expect(entry.fullUrl).toBe(`${BASE}/Condition/${entry.resource?.id}`);
    }
    expect(bundle.link?.find((l) => l.relation === 'self')?.url).toBe(`${BASE}/Condition?patient=her2-pos-mbc`);
  });

  it('is read-only', async () => {
    const res = await request(app)
      .post('/fhir/R4/Patient')
      .set('content-type', 'application/fhir+json')
      .send(JSON.stringify({ resourceType: 'Patient' }));
    expect(res.status).toBe(405);
    expect((JSON.parse(res.text) as OperationOutcome).resourceType).toBe('OperationOutcome');
  });

  it('lists one scenario patient per fixture with its fixed id and a title', () => {
    expect(server.patients).toHaveLength(19);
    for (const p of server.patients) {
      expect(p.id).toBe(p.scenario);
      expect(p.title.length).toBeGreaterThan(10);
    }
  });
});

describe('round trip through fhir-kit-client against a listening server', () => {
  let listening: Server;
  let client: Client;
  let baseUrl: string;

  beforeAll(async () => {
    const probe = express();
    listening = probe.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => listening.once('listening', () => resolve()));
    const port = (listening.address() as AddressInfo).port;
    baseUrl = `http://127.0.0.1:${port}/fhir/R4`;
    const own = await createEmbeddedFhirServer({ fixturesDir: FIXTURES, baseUrl });
    probe.use('/fhir/R4', own.router);
    client = new Client({ baseUrl });
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => listening.close(() => resolve()));
  });

  it('reads the CapabilityStatement', async () => {
    const cs = (await client.capabilityStatement()) as unknown as CapabilityStatement;
    expect(cs.fhirVersion).toBe('4.0.1');
  });

  it('reads a patient and searches its biomarkers the way the data layer would', async () => {
    const patient = (await client.read({ resourceType: 'Patient', id: 'her2-ultralow-hr-pos' })) as unknown as Patient;
    expect(patient.id).toBe('her2-ultralow-hr-pos');

    const codes = [...templateCodes].map((c) => `http://loinc.org|${c}`).join(',');
    const bundle = (await client.search({
      resourceType: 'Observation',
      searchParams: { patient: 'her2-ultralow-hr-pos', code: codes, _count: 100 },
    })) as unknown as Bundle<Observation>;
    const expected = fixture('her2-ultralow-hr-pos').filter((r) => r.resourceType === 'Observation').length;
    expect(bundle.entry).toHaveLength(expected);
    expect(bundle.entry?.every((e) => e.resource?.subject?.reference === 'Patient/her2-ultralow-hr-pos')).toBe(true);
    expect(bundle.entry?.[0]?.fullUrl?.startsWith(`${baseUrl}/Observation/`)).toBe(true);
  });

  it('surfaces a 404 as an error carrying the OperationOutcome', async () => {
    await expect(client.read({ resourceType: 'Patient', id: 'nobody' })).rejects.toMatchObject({
      response: { status: 404 },
    });
  });
});
