import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { discoverySchema } from '../../src/protocol/discovery-schema.js';
import { ROOT, testApp } from '../helpers/app.js';

/** GET /cds-services answers the document kept in cds-services.json; the document is validated at start-up. */

test('GET /cds-services returns cds-services.json as it is in the repository', async () => {
  const file = JSON.parse(readFileSync(path.join(ROOT, 'cds-services.json'), 'utf8')) as unknown;
  const res = await request(testApp()).get('/cds-services').set('Accept', 'application/json');
  expect(res.status).toBe(200);
  expect(res.type).toBe('application/json');
  expect(res.body).toEqual(file);
  expect(res.body.services.length).toBeGreaterThan(0);
});

test('the repository discovery document is valid', () => {
  const file = JSON.parse(readFileSync(path.join(ROOT, 'cds-services.json'), 'utf8')) as unknown;
  expect(discoverySchema.safeParse(file).error?.issues).toBeUndefined();
});

const good = { hook: 'patient-view', id: 'svc', description: 'd', prefetch: { p: 'Patient/{{context.patientId}}' } };

/** One row per rule of the discovery validation, with the fault the start-up message must name. */
const rows: Array<{ rule: string; services: unknown[]; fault?: RegExp }> = [
  { rule: 'a minimal valid entry', services: [good] },
  { rule: 'no services at all is valid (spec: 200 with [])', services: [] },
  { rule: 'same id under two hooks is allowed', services: [good, { ...good, hook: 'order-sign' }] },
  { rule: 'all 2.0 tokens', services: [{ ...good, prefetch: { a: 'Practitioner/{{userPractitionerId}}', b: 'Encounter/{{context.encounterId}}', c: 'Observation?patient={{context.patientId}}&_count=10' } }] },
  { rule: 'same id twice for one hook', services: [good, good], fault: /listed twice for hook "patient-view"/ },
  { rule: 'description is required', services: [{ ...good, description: undefined }], fault: /description/ },
  { rule: 'empty description', services: [{ ...good, description: ' ' }], fault: /description/ },
  { rule: 'unknown hook', services: [{ ...good, hook: 'encounter-start' }], fault: /hook/ },
  { rule: 'id must be URL-safe', services: [{ ...good, id: 'a/b' }], fault: /URL-safe/ },
  { rule: 'nested context path is not a 2.0 token', services: [{ ...good, prefetch: { p: 'Patient/{{context.draftOrders.id}}' } }], fault: /not a CDS Hooks 2.0 prefetch token/ },
  { rule: 'FHIRPath today() is not a 2.0 token', services: [{ ...good, prefetch: { p: 'Observation?date=ge{{today()}}' } }], fault: /not a CDS Hooks 2.0 prefetch token/ },
  { rule: 'absolute template URL', services: [{ ...good, prefetch: { p: 'https://x.org/Patient/{{context.patientId}}' } }], fault: /relative FHIR URL/ },
  { rule: 'unbalanced braces', services: [{ ...good, prefetch: { p: 'Patient/{{context.patientId' } }], fault: /unbalanced/ },
  { rule: 'empty prefetch object', services: [{ ...good, prefetch: {} }], fault: /must not be empty/ },
  { rule: 'unknown member (we publish spec fields only)', services: [{ ...good, colour: 'red' }], fault: /colour/ },
];

describe.each(rows)('$rule', ({ services, fault }) => {
  test(fault ? `is refused, naming the fault` : 'is accepted', () => {
    const result = discoverySchema.safeParse({ services });
    if (!fault) {
      expect(result.error?.issues).toBeUndefined();
    } else {
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n')).toMatch(fault);
    }
  });
});
