/**
 * One Observation → per-marker partial results. Reads every source of a value and keeps them all:
 *
 * Value precedence (several value[x] on one Observation is invalid FHIR but real, README variant 4):
 * nothing is dropped. The coded answer, the interpretation and the text give the lab's call (`labCall`);
 * valueQuantity / valueInteger / components / numbers in text give the facts (score, %, ratio, copies).
 * Both are kept and the classifier compares them. Two sources that give DIFFERENT calls or different
 * values for the same fact make the result unreadable (reason given) — never resolved by picking one.
 * code.text is read as a value only when the Observation has no value at all (its words describe the
 * test: "ERBB2 gene amplification by FISH" is a name, not a result). Coding displays are never values.
 * valueRatio is read as the ISH ratio only with denominator 1 (ctms fixture sends ">=1 : >=100" on a FISH
 * code: not a HER2/CEP17 ratio) — otherwise it is left unread and said so when nothing else was read.
 */
import type { LabCall, Marker, ResultStatus } from '../types.js';
import { answerFor, INTERPRETATION_TABLE, isRangeFlag } from './answers.js';
import { bestAspect, bestMethod, markersInText, readCode, type Aspect, type CodeReading, type Method } from './codes.js';
import type { Collection, Entry } from './collect.js';
import { Facts } from './facts.js';
import { arr, codings, conceptTexts, fhirDate, isObject, num, obj, prop, str } from './json.js';
import { parseText, splitByMarker } from './text.js';

export interface Partial {
  ref: string;
  marker: Marker | 'er+pr';
  method: Method;
  aspect: Aspect;
  status: ResultStatus;
  date?: string;
  facts: Facts;
  /** A value-less parent (panel / CAP question) whose members carry the results. */
  container: boolean;
  /** A fixed reason this result cannot be used (quantitative assay, ...). */
  unusable?: string;
}

export type ObservationOutcome =
  | { kind: 'ignored' }
  | { kind: 'unreadable'; reason: string }
  | { kind: 'partials'; partials: Partial[]; /** How Observation.code was read. */ code: CodeReading };

/** final/amended/corrected count; preliminary/registered are pending. An unknown or missing status is
 *  treated as pending (shown, never used): the safe side for a result nobody has signed out. */
export function readStatus(status: string | undefined): ResultStatus | 'drop' {
  switch (status) {
    case 'final':
    case 'amended':
    case 'corrected':
      return 'valid';
    case 'cancelled':
    case 'entered-in-error':
      return 'drop';
    default:
      return 'pending';
  }
}

/** effective[x] (dateTime, period start, instant), else issued. */
export function readDate(r: unknown): string | undefined {
  return (
    fhirDate(prop(r, 'effectiveDateTime')) ??
    fhirDate(prop(obj(r, 'effectivePeriod'), 'start')) ??
    fhirDate(prop(r, 'effectiveInstant')) ??
    fhirDate(prop(r, 'issued'))
  );
}

const VALUE_KEYS = ['valueCodeableConcept', 'valueQuantity', 'valueString', 'valueInteger', 'valueRatio', 'valueRange', 'valueBoolean'];

export function readObservation(entry: Entry, collection: Collection): ObservationOutcome {
  const r = entry.resource;
  const status = readStatus(str(r, 'status'));
  if (status === 'drop') return { kind: 'ignored' };
  const code = readCode(prop(r, 'code'));
  if (code.infos.length > 0 && code.infos.every((i) => i.aspect === 'serum')) return { kind: 'ignored' };

  let markers = code.markers;
  if (markers.length === 0) {
    // "ER/PR" or "ER and PR" as code.text: a multi-marker Observation read from its text.
    const named = [...new Set(conceptTexts(prop(r, 'code')).flatMap(markersInText))];
    if (named.length > 1 && !named.includes('er+pr')) markers = named;
  }
  if (markers.length === 0) {
    return isErbb2Variant(r) ? { kind: 'unreadable', reason: 'ERBB2 amplification by sequencing is not an ASCO/CAP HER2 test' } : { kind: 'ignored' };
  }

  const method = bestMethod(code.infos);
  const aspect = bestAspect(code.infos);
  const date = readDate(r);
  const hasValue = VALUE_KEYS.some((k) => prop(r, k) !== undefined) || arr(r, 'component').length > 0;
  const absent = prop(r, 'dataAbsentReason') !== undefined;

  const partials: Partial[] = [];
  if (markers.length === 1) {
    const marker = markers[0] as Marker | 'er+pr';
    const facts = new Facts(marker);
    readValues(r, facts, aspect, method, hasValue || absent, collection, entry);
    partials.push(makePartial(entry, marker, method, aspect, status, date, facts, r));
  } else {
    // Several markers on one Observation: only text can say which value belongs to which marker.
    const texts = valueTexts(r, hasValue || absent);
    for (const marker of markers) {
      const facts = new Facts(marker);
      for (const text of texts) {
        for (const seg of splitByMarker(text)) {
          if (seg.marker === marker || (marker === 'er+pr' && seg.marker !== 'her2')) {
            facts.applyText(parseText(seg.text, marker), 'status', 'unspecified');
            facts.texts.push(seg.text);
          }
        }
      }
      if (facts.texts.length === 0) facts.problems.push('several markers on one Observation and no text saying which value is which');
      partials.push(makePartial(entry, marker, 'unspecified', 'status', status, date, facts, r));
    }
  }
  return { kind: 'partials', partials, code };
}

function makePartial(entry: Entry, marker: Marker | 'er+pr', method: Method, aspect: Aspect, status: ResultStatus, date: string | undefined, facts: Facts, r: unknown): Partial {
  const p: Partial = { ref: entry.ref, marker, method, aspect, status, facts, container: false };
  if (date !== undefined) p.date = date;
  if (aspect === 'quantitative') p.unusable = 'quantitative assay (units/volume or ligand binding): no ASCO/CAP mapping';
  const nothing = facts.labCalls.length === 0 && !facts.presence && !facts.notEvaluable && !facts.hasFacts() && facts.conflicts.length === 0 && facts.noted.conflicts.length === 0;
  if (nothing && (arr(r, 'hasMember').length > 0 || aspect === 'ishPanel')) p.container = true;
  return p;
}

/** Texts that may hold values (for multi-marker Observations). */
function valueTexts(r: unknown, hasValue: boolean): string[] {
  const texts: string[] = [];
  const s = str(r, 'valueString');
  if (s !== undefined) texts.push(s);
  texts.push(...conceptTexts(prop(r, 'valueCodeableConcept')).slice(0, 1));
  for (const n of arr(r, 'note')) {
    const t = str(n, 'text');
    if (t !== undefined) texts.push(t);
  }
  if (!hasValue && texts.length === 0) texts.push(...conceptTexts(prop(r, 'code')).slice(0, 1));
  return texts;
}

function readValues(r: unknown, facts: Facts, aspect: Aspect, method: Method, hasValue: boolean, collection: Collection, entry: Entry): void {
  readConcept(prop(r, 'valueCodeableConcept'), facts, aspect, method);
  readQuantity(prop(r, 'valueQuantity'), facts, aspect, method);
  const integer = prop(r, 'valueInteger');
  if (integer !== undefined) readQuantity({ value: integer }, facts, aspect, method);
  const s = str(r, 'valueString');
  if (s !== undefined) readTextInto(s, facts, aspect, method);
  readRatio(prop(r, 'valueRatio'), facts, aspect, method);
  readRange(prop(r, 'valueRange'), facts);
  if (prop(r, 'valueBoolean') !== undefined) facts.problems.push('a yes/no value does not say positive or negative');
  if (prop(r, 'dataAbsentReason') !== undefined) {
    facts.notEvaluable = true;
    facts.texts.push(...conceptTexts(prop(r, 'dataAbsentReason')).slice(0, 1));
  }
  for (const interp of arr(r, 'interpretation')) readInterpretation(interp, facts, aspect, method);
  for (const comp of arr(r, 'component')) readComponent(comp, facts, method);
  for (const n of arr(r, 'note')) {
    const t = str(n, 'text');
    if (t !== undefined) readTextInto(t, facts, aspect, method, true);
  }
  if (!hasValue) {
    const text = str(prop(r, 'code'), 'text');
    if (text !== undefined) readTextInto(text, facts, aspect, method, true);
  }
  void collection;
  void entry;
}

/** `supplementary` texts (notes, code.text, interpretation text, secondary displays) add calls, but their
 *  numbers only fill facts the Observation's own values leave open (Facts.settle); a supplementary text
 *  that says nothing is not a problem. */
function readTextInto(text: string, facts: Facts, aspect: Aspect, method: Method, supplementary = false): void {
  const changed = facts.applyText(parseText(text, facts.marker), aspect, method, supplementary);
  if (changed || !supplementary) facts.texts.push(text);
}

function readConcept(concept: unknown, facts: Facts, aspect: Aspect, method: Method): void {
  if (!isObject(concept)) return;
  const cs = codings(concept);
  let known = false;
  for (const c of cs) {
    const row = answerFor(c.system, c.code);
    if (!row) continue;
    known = true;
    if (aspect === 'intensity') continue; // intensity-only codes never give a status
    if (row.call === 'presence') facts.presence = true;
    else {
      facts.labCalls.push(row.call);
      if (row.call === 'indeterminate') facts.notEvaluable = true;
    }
    if (row.ihcScore !== undefined && facts.marker === 'her2') facts.setHer2('ihcScore', row.ihcScore);
  }
  // Text and displays: "Negative (Score 0)" adds the score; an unknown code with display "Negative" reads.
  const texts = conceptTexts(concept, cs);
  const first = texts[0];
  if (first !== undefined) {
    for (const text of texts) readTextInto(text, facts, aspect, method, known || text !== first);
  } else if (!known) {
    facts.problems.push('a coded value with an unknown code and no text');
  }
}

function readInterpretation(interp: unknown, facts: Facts, aspect: Aspect, method: Method): void {
  if (aspect === 'intensity') return;
  let coded = false;
  for (const c of codings(interp)) {
    const call = c.code !== undefined ? INTERPRETATION_TABLE[c.code] : undefined;
    if (call !== undefined) {
      facts.labCalls.push(call);
      if (call === 'indeterminate') facts.notEvaluable = true;
      coded = true;
    }
  }
  if (coded) return;
  for (const text of conceptTexts(interp)) {
    if (!isRangeFlag(text)) readTextInto(text, facts, aspect, method, true);
  }
}

interface QuantityLike {
  value?: unknown;
}

function unitKind(unit: string): 'none' | 'percent' | 'ratio' | 'copies' | 'score' | 'other' {
  const u = unit.trim().toLowerCase();
  if (u === '' || u === '1' || u === '{1}') return 'none';
  if (u === '%' || u === 'percent' || u === '{percent}' || u === '% of cells') return 'percent';
  if (/ratio/.test(u)) return 'ratio';
  if (/cell|nuc|cop(y|ies)|signal/.test(u)) return 'copies';
  if (/score/.test(u)) return 'score';
  return 'other';
}

const FHIR_COMPARATORS = ['<', '<=', '>', '>='] as const;
type Comparator = (typeof FHIR_COMPARATORS)[number];

function readQuantity(q: QuantityLike | unknown, facts: Facts, aspect: Aspect, method: Method): void {
  if (!isObject(q)) return;
  const value = num(q, 'value');
  if (value === undefined) {
    if (prop(q, 'value') !== undefined) facts.problems.push('a quantity whose value is not a number');
    return;
  }
  const cmp = str(q, 'comparator');
  const comparator = (FHIR_COMPARATORS as readonly string[]).includes(cmp ?? '') ? (cmp as Comparator) : undefined;
  const n = comparator ? { value, comparator } : { value };
  const kind = unitKind(str(q, 'unit') ?? str(q, 'code') ?? '');
  if (facts.marker === 'her2') {
    if (aspect === 'quantitative') return;
    if (kind === 'percent') {
      if (value >= 0 && value <= 100) facts.setHer2('stainingPercent', n);
      else facts.problems.push('percentage out of range');
    } else if (kind === 'ratio') facts.setHer2('ishRatio', n);
    else if (kind === 'copies') {
      if (aspect === 'cep17Copies') facts.setHer2('cep17CopiesPerCell', n);
      else facts.setHer2('her2CopiesPerCell', n);
    } else if (kind === 'none' || kind === 'score') {
      if (aspect === 'status' && method === 'ish') facts.problems.push('a number without unit on an ISH result (ratio or copies?)');
      else facts.applyBareHer2(n, aspect, method);
    } else facts.problems.push('a quantity in a unit that is not a score, % , ratio or copies per cell');
    return;
  }
  if (facts.marker === 'er+pr') {
    facts.problems.push('a number on a combined ER+PR result');
    return;
  }
  if (aspect === 'quantitative') return;
  if (kind === 'percent' || (kind === 'none' && aspect === 'percent')) {
    if (value >= 0 && value <= 100) facts.setReceptor('percent', n);
    else facts.problems.push('percentage out of range');
  } else if (kind === 'none' || kind === 'score') facts.applyBareReceptor(n, aspect);
  else facts.problems.push('a quantity in a unit that is not a percentage or score');
}

function readRatio(ratio: unknown, facts: Facts, aspect: Aspect, method: Method): void {
  if (!isObject(ratio)) return;
  const den = obj(ratio, 'denominator');
  const numr = obj(ratio, 'numerator');
  if (facts.marker === 'her2' && num(den, 'value') === 1 && prop(den, 'comparator') === undefined && numr) {
    readQuantity({ value: prop(numr, 'value'), comparator: prop(numr, 'comparator'), unit: 'ratio' }, facts, aspect, method);
    return;
  }
  facts.problems.push('a ratio value that is not a HER2/CEP17 ratio');
}

function readRange(range: unknown, facts: Facts): void {
  if (!isObject(range)) return;
  const low = num(obj(range, 'low'), 'value');
  const high = num(obj(range, 'high'), 'value');
  if (facts.marker !== 'her2' && facts.marker !== 'er+pr' && low !== undefined && high !== undefined && low <= high && high <= 100) {
    facts.setReceptor('percent', { low, high });
  } else facts.problems.push('a range that cannot be read');
}

/** Components: ISH ratio / HER2 copies / CEP17 copies, % of cells, Allred, H-score, intensity. The gene
 *  studied (48018-6) and other category components are ignored. */
function readComponent(comp: unknown, facts: Facts, method: Method): void {
  if (!isObject(comp)) return;
  const code = readCode(prop(comp, 'code'));
  const info = code.infos[0];
  let aspect: Aspect | undefined = info?.aspect;
  if (!info) {
    // A component named only in text ("Allred score", "Percent of cells", "HER2/CEP17 ratio").
    const text = conceptTexts(prop(comp, 'code')).join(' ');
    if (!/allred|h-?\s?score|ratio|cep-?17|cop(y|ies)|signals|percent|%|intensity/i.test(text)) return;
    aspect = /allred/i.test(text) ? 'allred' : /h-?\s?score/i.test(text) ? 'hScore' : /cep-?17/i.test(text) && !/ratio/i.test(text) ? 'cep17Copies' : /ratio/i.test(text) ? 'ishRatio' : /cop(y|ies)|signals/i.test(text) ? 'her2Copies' : /intensity/i.test(text) ? 'intensity' : 'percent';
  } else if (info.marker !== facts.marker && !(facts.marker === 'her2' && info.marker === 'her2')) {
    return; // a component about another marker is not this result's value
  }
  if (aspect === undefined || aspect === 'serum' || aspect === 'ishPanel') return;
  const compMethod = info?.method ?? method;
  readConcept(prop(comp, 'valueCodeableConcept'), facts, aspect, compMethod);
  readQuantity(prop(comp, 'valueQuantity'), facts, aspect, compMethod);
  const integer = prop(comp, 'valueInteger');
  if (integer !== undefined) readQuantity({ value: integer }, facts, aspect, compMethod);
  const s = str(comp, 'valueString');
  if (s !== undefined) readTextInto(s, facts, aspect, compMethod);
  readRatio(prop(comp, 'valueRatio'), facts, aspect, compMethod);
  readRange(prop(comp, 'valueRange'), facts);
  if (prop(comp, 'dataAbsentReason') !== undefined) facts.notEvaluable = true;
}

/** An NGS variant Observation about ERBB2 (HGNC:3430) — README variant 9. */
function isErbb2Variant(r: unknown): boolean {
  return arr(r, 'component').some((comp) =>
    codings(prop(comp, 'valueCodeableConcept')).some((c) => c.code === 'HGNC:3430' || /^ERBB2$/i.test(c.display ?? '')),
  );
}

/** The lab call of a Partial (for consumers). */
export function callOf(p: Partial): LabCall | 'conflict' | undefined {
  return p.facts.labCall();
}
