import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Resource } from 'fhir/r4.js';
import type { ResolveInput } from '../../src/data/resolve.js';

export const ORIGIN = 'https://ehr.example.org';
export const BASE = `${ORIGIN}/fhir/R4`;
export const PATIENT_ID = 'p1';
export const CONTEXT = { patientId: PATIENT_ID, userId: 'Practitioner/u1' };

interface Discovery {
  services: Array<{ id: string; hook: string; prefetch?: Record<string, string> }>;
}

/** The project's own discovery document, so the tests exercise the templates the service really publishes. */
export const DISCOVERY = JSON.parse(readFileSync(path.resolve(__dirname, '../../cds-services.json'), 'utf8')) as Discovery;
export const PATIENT_VIEW = DISCOVERY.services.find((s) => s.hook === 'patient-view')!;

export const EXAMPLES = path.resolve(__dirname, '../../../shared/cds-hooks/examples');
export function example<T>(name: string): T {
  return JSON.parse(readFileSync(path.join(EXAMPLES, name), 'utf8')) as T;
}

export function input(overrides: Partial<ResolveInput> = {}): ResolveInput {
  return {
    service: PATIENT_VIEW,
    context: CONTEXT,
    fhirServer: BASE,
    budgetMs: 2500,
    maxPages: 5,
    ...overrides,
  };
}

export function observation(id: string, patientId = PATIENT_ID): Resource {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '85319-2' }] },
    subject: { reference: `Patient/${patientId}` },
  } as Resource;
}

export function searchset(resources: Resource[], next?: string): Record<string, unknown> {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(next ? { link: [{ relation: 'next', url: next }] } : {}),
    entry: resources.map((resource) => ({ resource, search: { mode: 'match' } })),
  };
}

export const PATIENT: Resource = { resourceType: 'Patient', id: PATIENT_ID } as Resource;

/** A prefetch where every key of the patient-view service is satisfied, so only the key under test is fetched. */
export function fullPrefetch(): Record<string, unknown> {
  return {
    patient: PATIENT,
    biomarkers: searchset([observation('o1')]),
    conditions: searchset([]),
    medications: searchset([]),
  };
}

export function ids(resources: Resource[]): string[] {
  return resources.map((r) => `${r.resourceType}/${r.id}`).sort();
}

/** Timers alive in the process: compared before and after a call to prove none is left behind. */
export function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
}

/** Active timers once other libraries in this worker (undici's socket pool, a previous file's clients) have had up
 *  to `ms` to settle theirs: a timer of ours that leaked stays counted, theirs that end on their own do not. */
export async function settledTimers(limit: number, ms = 1000): Promise<number> {
  const until = Date.now() + ms;
  while (activeTimers() > limit && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  return activeTimers();
}
