import { readFile } from 'node:fs/promises';
import { CliError } from './errors.js';

/**
 * Reads FHIR resources from a file: a Bundle (its entries), one resource, a JSON array of resources, or NDJSON
 * (one resource per line, as FHIR bulk data exports write). Anything else is refused with a message that says
 * what was expected; nothing is guessed.
 */
export async function readResourcesFile(file: string): Promise<unknown[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? 'error')}`);
  }
  return parseResources(text, file);
}

const EXPECTED = 'expected a FHIR Bundle, a resource, a JSON array of resources, or NDJSON (one resource per line)';

export function parseResources(text: string, name: string): unknown[] {
  if (text.trim() === '') throw new CliError(`${name} is empty: ${EXPECTED}`);
  let json: unknown;
  let ndjson = false;
  try {
    json = JSON.parse(text);
  } catch {
    ndjson = true;
  }
  if (ndjson) return parseNdjson(text, name);

  const items = Array.isArray(json) ? json : [json];
  const resources = items.flatMap((item) => (isBundle(item) ? bundleResources(item) : [item]));
  const notFhir = resources.findIndex((r) => !isResource(r));
  if (notFhir >= 0 || resources.length === 0) {
    const what = resources.length === 0 ? 'no resources' : Array.isArray(json) ? `item ${notFhir + 1} has no resourceType` : 'it has no resourceType';
    throw new CliError(`${name} is not FHIR (${what}): ${EXPECTED}`);
  }
  return resources;
}

function parseNdjson(text: string, name: string): unknown[] {
  const out: unknown[] = [];
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = (lines[n] as string).trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new CliError(`${name} is not FHIR JSON or NDJSON: line ${n + 1} is not JSON`);
    }
    if (!isResource(value)) throw new CliError(`${name} is not FHIR: line ${n + 1} has no resourceType (${EXPECTED})`);
    out.push(...(isBundle(value) ? bundleResources(value) : [value]));
  }
  return out;
}

function isResource(value: unknown): value is { resourceType: string } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { resourceType?: unknown }).resourceType === 'string';
}

function isBundle(value: unknown): value is { resourceType: 'Bundle'; entry?: Array<{ resource?: unknown }> } {
  return isResource(value) && value.resourceType === 'Bundle';
}

function bundleResources(bundle: { entry?: Array<{ resource?: unknown }> }): unknown[] {
  return (Array.isArray(bundle.entry) ? bundle.entry : []).map((e) => e?.resource).filter((r) => r !== undefined);
}
