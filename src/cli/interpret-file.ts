import { interpret } from '../clinical/interpret.js';
import type { Interpretation } from '../clinical/types.js';
import { interpretationRows } from '../embedded/preview/client/interpretation-view.js';
import { formatRows } from './format.js';
import { readResourcesFile } from './resources-file.js';

/** `her2-cds interpret FILE`: the interpretation of the resources in FILE (the service's own clinical core). */
export async function interpretFile(file: string): Promise<Interpretation> {
  return interpret(await readResourcesFile(file));
}

export function formatInterpretation(interpretation: Interpretation): string {
  return formatRows(interpretationRows(interpretation));
}
