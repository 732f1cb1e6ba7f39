/**
 * Safe access to untrusted JSON. Input to the reader can be anything (CDS Hooks prefetch, junk, prototype
 * keys), so every read goes through these helpers: own properties only, strict types, bounded strings.
 */

export type Json = Record<string, unknown>;

/** A plain object (not an array, not null). */
export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own property of an object; never the prototype chain (`constructor`, `__proto__` accessors). */
export function prop(obj: unknown, key: string): unknown {
  if (!isObject(obj)) return undefined;
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

export function str(obj: unknown, key: string): string | undefined {
  const value = prop(obj, key);
  return typeof value === 'string' ? value : undefined;
}

export function obj(o: unknown, key: string): Json | undefined {
  const value = prop(o, key);
  return isObject(value) ? value : undefined;
}

export function arr(o: unknown, key: string): unknown[] {
  const value = prop(o, key);
  return Array.isArray(value) ? value : [];
}

/** A finite number, or a string holding a plain decimal ("3", "2.25"). NaN, Infinity, "NaN" → undefined. */
export function num(o: unknown, key: string): number | undefined {
  const value = prop(o, key);
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*-?\d{1,15}(\.\d{1,15})?\s*$/.test(value)) return Number(value);
  return undefined;
}

export interface Coding {
  system?: string;
  code?: string;
  display?: string;
}

/** Codings of a CodeableConcept with only string members kept. */
export function codings(concept: unknown): Coding[] {
  const out: Coding[] = [];
  for (const c of arr(concept, 'coding')) {
    if (!isObject(c)) continue;
    const coding: Coding = {};
    const system = str(c, 'system');
    const code = str(c, 'code');
    const display = str(c, 'display');
    if (system !== undefined) coding.system = system.trim();
    if (code !== undefined) coding.code = code.trim();
    if (display !== undefined) coding.display = display;
    out.push(coding);
  }
  return out;
}

/** Every human-readable string of a CodeableConcept: text, then each coding's display (`cs`: its codings,
 *  when the caller has read them already). */
export function conceptTexts(concept: unknown, cs: readonly Coding[] = codings(concept)): string[] {
  const texts: string[] = [];
  const text = str(concept, 'text');
  if (text !== undefined && text.trim() !== '') texts.push(text);
  for (const c of cs) if (c.display !== undefined && c.display.trim() !== '') texts.push(c.display);
  return texts;
}

/** A FHIR date / dateTime / instant string, or undefined for anything else. */
export function fhirDate(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 40) return undefined;
  return /^\d{4}(-\d{2}(-\d{2}(T[0-9:.+\-Z]+)?)?)?$/.test(value) ? value : undefined;
}

/** Compares two FHIR dates on their common precision (a year-only date equals any date in that year). */
export function compareDates(a: string, b: string): number {
  const n = Math.min(a.length, b.length, 10);
  const x = a.slice(0, n);
  const y = b.slice(0, n);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Systems compared without scheme, case or trailing slash: http/https spellings of CAP eCC are one. */
export function normSystem(system: string | undefined): string {
  if (system === undefined) return '';
  const known = NORMALISED_SYSTEMS.get(system);
  if (known !== undefined) return known;
  const normalised = system.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/+$/, '');
  // A chart repeats a handful of systems on every coding: remembered, within bounds (hostile input may
  // send many long ones).
  if (system.length <= MAX_REMEMBERED_SYSTEM) {
    if (NORMALISED_SYSTEMS.size >= MAX_REMEMBERED_SYSTEMS) NORMALISED_SYSTEMS.clear();
    NORMALISED_SYSTEMS.set(system, normalised);
  }
  return normalised;
}

const NORMALISED_SYSTEMS = new Map<string, string>();
const MAX_REMEMBERED_SYSTEMS = 256;
const MAX_REMEMBERED_SYSTEM = 200;

/** Texts longer than this are cut before pattern matching (bounded work on huge input). */
export const MAX_TEXT = 4000;

export function boundedText(text: string): string {
  return text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
}
