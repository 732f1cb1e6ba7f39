/**
 * Specimen of a result: kind (primary, metastasis, recurrence, pre/post neoadjuvant), a short label and a
 * key that groups results on the same tissue sample (ASCO-CAP-HER2-2018: ISH is reviewed with the IHC of
 * the same specimen). Read from Observation.specimen (and the Specimen resource when present), bodySite,
 * note, and what a DiagnosticReport or panel parent says when the Observation itself is silent.
 */
import type { SpecimenKind } from '../types.js';
import type { Collection, Entry } from './collect.js';
import { arr, boundedText, conceptTexts, obj, prop, str } from './json.js';

export interface SpecimenInfo {
  kind: SpecimenKind;
  label?: string;
  key?: string;
}

/** Words → kind, checked in this order (the most specific treatment context first). */
export const SPECIMEN_RULES: ReadonlyArray<{ kind: SpecimenKind; pattern: RegExp }> = [
  { kind: 'post-neoadjuvant', pattern: /residual (disease|tumou?r|carcinoma)|post-?\s?neoadjuvant|after neoadjuvant|post-?\s?treatment|following neoadjuvant/i },
  { kind: 'pre-neoadjuvant', pattern: /pre-?\s?treatment|pre-?\s?neoadjuvant|before neoadjuvant|prior to neoadjuvant/i },
  { kind: 'recurrence', pattern: /recurren|relapse/i },
  { kind: 'metastasis', pattern: /metasta|\bliver\b|hepatic|\blung\b|pulmonary|\bbone\b|osseous|\bbrain\b|pleura|ascit|peritone|distant/i },
  { kind: 'primary', pattern: /\bbreast\b|primary|mastectomy|lumpectomy|excision|core (needle )?biopsy/i },
];

export function kindFromText(texts: string[]): SpecimenKind {
  if (texts.length === 0) return 'unspecified'; // no rule matches an empty text
  const joined = boundedText(texts.join(' | '));
  for (const rule of SPECIMEN_RULES) if (rule.pattern.test(joined)) return rule.kind;
  return 'unspecified';
}

/** Reads the specimen facts of one resource (Observation or DiagnosticReport). */
export function readSpecimen(entry: Entry, collection: Collection): SpecimenInfo {
  const r = entry.resource;
  const texts: string[] = [];
  let label: string | undefined;
  let key: string | undefined;

  const specRefs = Array.isArray(prop(r, 'specimen')) ? arr(r, 'specimen') : [prop(r, 'specimen')];
  for (const specRef of specRefs) {
    if (specRef === undefined) continue;
    const display = str(specRef, 'display');
    if (display) {
      texts.push(display);
      label ??= display;
    }
    const identifier = str(obj(specRef, 'identifier'), 'value');
    const target = collection.resolve(specRef, entry);
    if (target && target.type === 'Specimen') {
      const s = target.resource;
      const typeTexts = conceptTexts(prop(s, 'type'));
      const siteTexts = conceptTexts(prop(obj(s, 'collection'), 'bodySite'));
      texts.push(...typeTexts, ...siteTexts, ...arr(s, 'note').map((n) => str(n, 'text') ?? ''));
      label ??= [typeTexts[0], siteTexts[0]].filter(Boolean).join(', ') || undefined;
      const accession = str(obj(s, 'accessionIdentifier'), 'value');
      key ??= accession ? `accession:${accession}` : target.ref;
    } else {
      const reference = str(specRef, 'reference');
      key ??= identifier ? `accession:${identifier}` : reference && reference.length <= 200 ? reference : undefined;
    }
  }
  const site = conceptTexts(prop(r, 'bodySite'));
  texts.push(...site);
  label ??= site[0];
  texts.push(...arr(r, 'note').map((n) => str(n, 'text') ?? ''));
  const info: SpecimenInfo = { kind: kindFromText(texts) };
  if (label !== undefined) info.label = label.slice(0, 120);
  if (key !== undefined) info.key = key;
  return info;
}

/** The Observation's own specimen facts, completed by its parents' (DiagnosticReport, panel). */
export function mergeSpecimen(own: SpecimenInfo, parents: SpecimenInfo[]): SpecimenInfo {
  const out: SpecimenInfo = { ...own };
  for (const p of parents) {
    if (out.kind === 'unspecified') out.kind = p.kind;
    out.label ??= p.label;
    out.key ??= p.key;
  }
  if (out.label === undefined) delete out.label;
  if (out.key === undefined) delete out.key;
  return out;
}
