import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { discoverySchema, type DiscoveryDocument } from '../protocol/discovery-schema.js';
import { ConfigError } from './error.js';

/** Reads and validates the discovery document (cds-services.json). Throws a ConfigError naming the file and
 *  the fault: the service refuses to start with a document it could not honour. */
export function loadServicesFile(file: string): DiscoveryDocument {
  const where = `CDS_SERVICES_FILE (${file})`;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(where, `cannot read the discovery document (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(where, `not valid JSON (${(err as Error).message})`);
  }
  const parsed = discoverySchema.safeParse(json);
  if (!parsed.success) {
    throw new ConfigError(where, `invalid discovery document: ${z.prettifyError(parsed.error).replace(/\n+/g, '; ')}`);
  }
  return parsed.data;
}
