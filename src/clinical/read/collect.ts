/**
 * Flattens the input (Bundles of any type, nested Bundles, single resources, contained resources) into a
 * list of resources with stable references, and resolves references only to resources present in the
 * input (dangling references resolve to undefined, never throw).
 */
import { arr, isObject, prop, str, type Json } from './json.js';

export interface Entry {
  resource: Json;
  type: string;
  /** "Type/id"; fullUrl when there is no id; "<container ref>#id" for contained resources. */
  ref: string;
  fullUrl?: string;
  /** Ref of the resource holding this one in `contained`. */
  container?: string;
}

export interface Collection {
  entries: Entry[];
  resolve(reference: unknown, from?: Entry): Entry | undefined;
}

/** Bundles nested deeper than this are ignored (bounded work on hostile input). */
const MAX_DEPTH = 4;

export function collect(inputs: readonly unknown[]): Collection {
  const entries: Entry[] = [];
  const index = new Map<string, Entry>();
  let anonymous = 0;

  const add = (resource: Json, type: string, fullUrl: string | undefined, container: string | undefined): Entry | undefined => {
    const id = str(resource, 'id');
    const validId = id !== undefined && /^[A-Za-z0-9\-.]{1,64}$/.test(id) ? id : undefined;
    let ref: string;
    if (container !== undefined) ref = validId ? `${container}#${validId}` : `${container}#(${++anonymous})`;
    else if (validId) ref = `${type}/${validId}`;
    else if (fullUrl) ref = fullUrl;
    else ref = `${type}/(no id ${++anonymous})`;
    if (index.has(ref)) return undefined; // duplicate entry (seen in breastcancertrials.org fixture): first wins
    const entry: Entry = { resource, type, ref };
    if (fullUrl !== undefined) entry.fullUrl = fullUrl;
    if (container !== undefined) entry.container = container;
    entries.push(entry);
    index.set(ref, entry);
    if (fullUrl !== undefined && !index.has(fullUrl)) index.set(fullUrl, entry);
    return entry;
  };

  const walk = (value: unknown, fullUrl: string | undefined, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    if (Array.isArray(value)) {
      for (const v of value) walk(v, undefined, depth + 1);
      return;
    }
    if (!isObject(value)) return;
    const type = str(value, 'resourceType');
    if (type === undefined || !/^[A-Z][A-Za-z]{1,63}$/.test(type)) return;
    if (type === 'Bundle') {
      for (const e of arr(value, 'entry')) {
        if (!isObject(e)) continue;
        const url = str(e, 'fullUrl');
        walk(prop(e, 'resource'), url !== undefined && url.length <= 500 ? url : undefined, depth + 1);
      }
      return;
    }
    const entry = add(value, type, fullUrl, undefined);
    if (!entry) return;
    for (const c of arr(value, 'contained')) {
      const ctype = isObject(c) ? str(c, 'resourceType') : undefined;
      if (isObject(c) && ctype !== undefined && /^[A-Z][A-Za-z]{1,63}$/.test(ctype) && ctype !== 'Bundle') add(c, ctype, undefined, entry.ref);
    }
  };

  for (const input of inputs) walk(input, undefined, 0);

  // A reference not starting with '#' resolves the same from anywhere: each is worked out once (many
  // Observations name the same Specimen or Patient, often one not in the input).
  const resolved = new Map<string, Entry | undefined>();
  const resolve = (reference: unknown, from?: Entry): Entry | undefined => {
    const raw = typeof reference === 'string' ? reference : str(reference, 'reference');
    if (raw === undefined || raw.length > 500) return undefined;
    if (raw.startsWith('#')) {
      const holder = from?.container ?? from?.ref;
      return holder === undefined ? undefined : index.get(`${holder}${raw}`);
    }
    if (resolved.has(raw)) return resolved.get(raw);
    const entry = resolveAbsolute(raw);
    resolved.set(raw, entry);
    return entry;
  };
  const resolveAbsolute = (raw: string): Entry | undefined => {
    const direct = index.get(raw);
    if (direct) return direct;
    // Absolute or versioned URL: keep "Type/id".
    const m = /([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(raw);
    return m ? index.get(`${m[1]}/${m[2]}`) : undefined;
  };

  return { entries, resolve };
}
