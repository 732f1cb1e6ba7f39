import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Bundle, Patient, Resource } from 'fhir/r4.js';

/** One scenario patient offered by the embedded server (fixtures/<scenario>.json). */
export interface ScenarioPatient {
  /** Patient.id (fixed: the fixture id, prefixed by the scenario). */
  id: string;
  /** Scenario id = the fixture's file name without ".json". */
  scenario: string;
  /** One-line human title, from the Bundle's scenario tag (see fixtures/README.md). */
  title: string;
}

export interface Seed {
  resources: Resource[];
  patients: ScenarioPatient[];
}

/** The tag each fixture Bundle carries in meta.tag: code = scenario id, display = title. */
export const SCENARIO_TAG_SYSTEM = 'urn:her2-cds:scenario';

/**
 * Reads every fixtures/*.json Bundle (collection or transaction) and returns its resources with their ids
 * kept, so scenario patients have fixed ids. Fails loudly on a file that is not a Bundle, on a resource
 * without an id, and on an id used twice: a silently half-seeded development server would mislead.
 */
export async function loadFixtures(fixturesDir: string): Promise<Seed> {
  const files = (await readdir(fixturesDir)).filter((f) => f.endsWith('.json')).sort();
  const resources: Resource[] = [];
  const patients: ScenarioPatient[] = [];
  const seen = new Set<string>();

  for (const file of files) {
    const scenario = file.replace(/\.json$/, '');
    const bundle = JSON.parse(await readFile(path.join(fixturesDir, file), 'utf8')) as Bundle;
    if (bundle.resourceType !== 'Bundle') throw new Error(`fixture ${file} is not a Bundle`);
    const tag = bundle.meta?.tag?.find((t) => t.system === SCENARIO_TAG_SYSTEM);

    for (const entry of bundle.entry ?? []) {
      const resource = entry.resource;
      if (!resource) continue;
      if (!resource.id) throw new Error(`fixture ${file}: a ${resource.resourceType} has no id`);
      const key = `${resource.resourceType}/${resource.id}`;
      if (seen.has(key)) throw new Error(`fixture ${file}: ${key} is used twice`);
      seen.add(key);
      resources.push(resource);
      if (resource.resourceType === 'Patient') {
        patients.push({ id: (resource as Patient).id ?? '', scenario, title: tag?.display ?? scenario });
      }
    }
  }
  return { resources, patients };
}
