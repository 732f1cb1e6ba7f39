import { readFileSync } from 'node:fs';
import path from 'node:path';

interface Service { id: string; hook: string; prefetch: Record<string, string> }
const discovery = JSON.parse(readFileSync(path.resolve(__dirname, '../../cds-services.json'), 'utf8')) as { services: Service[] };
const byId = (id: string) => discovery.services.find((s) => s.id === id);

describe('order services in cds-services.json', () => {
  it.each([
    ['her2-er-pr-order-select', 'order-select'],
    ['her2-er-pr-order-sign', 'order-sign'],
  ])('%s: hook %s, the patient-view prefetch templates plus lvef', (id, hook) => {
    const service = byId(id);
    const patientView = byId('her2-er-pr-patient-view');
    expect(service?.hook).toBe(hook);
    for (const key of ['patient', 'biomarkers', 'conditions', 'medications']) expect(service?.prefetch[key]).toBe(patientView?.prefetch[key]);
    expect(service?.prefetch.lvef).toContain('Observation?patient={{context.patientId}}&code=');
    for (const code of ['http://loinc.org|18043-0', 'http://loinc.org|10230-1', 'http://snomed.info/sct|70822001']) expect(service?.prefetch.lvef).toContain(code);
  });
});
