/**
 * The FHIR reader of the clinical core: FHIR resources (Bundles of any type, single resources, junk) →
 * normalised biomarker results and clinical context. Pure; never throws; ignores what is not a resource.
 * One call reads one patient's data (a multi-patient Bundle is read without error, but mixed together).
 *
 * ReadResult.unreadable lists EVERY Observation that was recognised as a biomarker (or an ERBB2 variant)
 * but could not be read, so it can be passed through as is; BiomarkerResult.unreadable additionally tells
 * which marker an unreadable result belongs to.
 */
import type { BiomarkerResult, CombinedReceptorResult, ReadResult } from '../types.js';
import { recognizeMedication } from '../drugs.js';
import { collect, type Collection, type Entry } from './collect.js';
import { emptyContext, readContext, type Recognizer } from './context.js';
import { readCode, bestMethod, type CodeReading } from './codes.js';
import { arr, prop } from './json.js';
import { readDate, readObservation } from './observation.js';
import { readPam50 } from './pam50.js';
import { finishGroup, groupResults, type Located } from './results.js';
import { mergeSpecimen, readSpecimen, type SpecimenInfo } from './specimen.js';
import { withTextMemo } from './text.js';

export function readResources(resources: readonly unknown[]): ReadResult {
  return readResourcesWith(resources, recognizeMedication);
}

/** Same, with the drug recogniser passed in (tests of the context rules use a fixed recogniser). */
export function readResourcesWith(resources: readonly unknown[], recognize: Recognizer): ReadResult {
  return withTextMemo(() => readAll(resources, recognize));
}

function readAll(resources: readonly unknown[], recognize: Recognizer): ReadResult {
  const out: ReadResult = { results: [], combined: [], pam50: [], context: emptyContext(), unreadable: [], observationCount: 0 };
  let collection: Collection;
  try {
    collection = collect(Array.isArray(resources) ? resources : [resources]);
  } catch {
    return out;
  }
  const observations = collection.entries.filter((e) => e.type === 'Observation');
  out.observationCount = observations.length;
  const parents = parentLinks(collection);
  // A DiagnosticReport or panel is the parent of many Observations: each is read once per call.
  const parentSpecimen = memo((p: Entry) => readSpecimen(p, collection));
  const her2Ish = memo((e: Entry) => isHer2IshCode(readCode(prop(e.resource, 'code'))));

  const located: Located[] = [];
  for (const entry of observations) {
    try {
      const pam50 = readPam50(entry);
      if (pam50.kind === 'pam50') out.pam50.push(pam50.result);
      if (pam50.kind === 'unreadable') out.unreadable.push({ ref: entry.ref, reason: pam50.reason });
      if (pam50.kind !== 'none') continue;
      const outcome = readObservation(entry, collection);
      if (outcome.kind === 'unreadable') out.unreadable.push({ ref: entry.ref, reason: outcome.reason });
      if (outcome.kind !== 'partials') continue;
      const links = parents.get(entry.ref) ?? [];
      const specimen = mergeSpecimen(
        readSpecimen(entry, collection),
        links.map(parentSpecimen),
      );
      her2Ish.know(entry, isHer2IshCode(outcome.code));
      const panelRef = ishPanelRef(entry, links, collection, her2Ish);
      for (const partial of outcome.partials) {
        if (partial.date === undefined) {
          const inherited = links.map((p) => readDate(p.resource)).find((d) => d !== undefined);
          if (inherited !== undefined) partial.date = inherited;
        }
        const item: Located = { partial, specimen };
        if (panelRef !== undefined) item.panelRef = panelRef;
        located.push(item);
      }
    } catch {
      out.unreadable.push({ ref: entry.ref, reason: 'the Observation could not be read' });
    }
  }

  for (const group of groupResults(located)) {
    try {
      const done = finishGroup(group);
      if (done.result) out.results.push(done.result);
      if (done.combined) out.combined.push(done.combined);
      if (done.unreadable) out.unreadable.push(done.unreadable);
    } catch {
      const ref = group[0]?.partial.ref;
      if (ref !== undefined) out.unreadable.push({ ref, reason: 'the Observation could not be read' });
    }
  }

  try {
    out.context = readContext(collection, recognize);
  } catch {
    out.context = emptyContext();
  }
  return out;
}

/** Observation ref → the resources it inherits specimen and date from: DiagnosticReports listing it in
 *  `result`, panels listing it in `hasMember`, and Observations it is `derivedFrom`. Only resources present
 *  in the input are followed. */
function parentLinks(collection: Collection): Map<string, Entry[]> {
  const links = new Map<string, Entry[]>();
  const link = (child: Entry | undefined, parent: Entry): void => {
    if (!child || child === parent) return;
    const list = links.get(child.ref) ?? [];
    if (!list.includes(parent)) list.push(parent);
    links.set(child.ref, list);
  };
  for (const e of collection.entries) {
    if (e.type === 'DiagnosticReport') for (const ref of arr(e.resource, 'result')) link(collection.resolve(ref, e), e);
    if (e.type === 'Observation') {
      for (const ref of arr(e.resource, 'hasMember')) link(collection.resolve(ref, e), e);
      for (const ref of arr(e.resource, 'derivedFrom')) {
        const parent = collection.resolve(ref, e);
        if (parent && parent.type === 'Observation') link(e, parent);
      }
    }
  }
  return links;
}

/** Remembers a reading of each entry for one call; `know` records one worked out elsewhere. */
function memo<T>(read: (entry: Entry) => T): ((entry: Entry) => T) & { know(entry: Entry, value: T): void } {
  const seen = new Map<Entry, T>();
  const get = (entry: Entry): T => {
    if (seen.has(entry)) return seen.get(entry) as T;
    const value = read(entry);
    seen.set(entry, value);
    return value;
  };
  return Object.assign(get, { know: (entry: Entry, value: T): void => void seen.set(entry, value) });
}

function isHer2IshCode(code: CodeReading): boolean {
  return code.markers.length === 1 && code.markers[0] === 'her2' && bestMethod(code.infos) === 'ish';
}

/** The HER2 ISH panel an ISH Observation belongs to: its ISH parent in the input, or itself when it is a
 *  panel whose ISH members are in the input. */
function ishPanelRef(entry: Entry, links: Entry[], collection: Collection, her2Ish: (entry: Entry) => boolean): string | undefined {
  if (!her2Ish(entry)) return undefined;
  const parent = links.find((p) => p.type === 'Observation' && her2Ish(p));
  if (parent) return parent.ref;
  const members = arr(entry.resource, 'hasMember').map((r) => collection.resolve(r, entry));
  return members.some((m) => m !== undefined && her2Ish(m)) ? entry.ref : undefined;
}

export type { SpecimenInfo, BiomarkerResult, CombinedReceptorResult };
