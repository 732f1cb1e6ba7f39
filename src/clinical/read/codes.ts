/**
 * Which Observation codes name a breast biomarker, and which aspect of it they report.
 * Rules as data: one row per code, each with its source (../shared/clinical/CODES.md §2 and
 * ../shared/fhir-data/README.md). A code is matched on ANY coding of Observation.code, never just the first.
 */
import type { Marker } from '../types.js';
import { codings, conceptTexts, normSystem, type Coding } from './json.js';

/** What an Observation (or component) code says is measured. */
export type Aspect =
  | 'status' // presence / interpretation: a coded call, a score or text
  | 'percent' // % of tumour cells staining (ER/PR)
  | 'intensity' // staining intensity only: never a status
  | 'ishRatio'
  | 'her2Copies'
  | 'cep17Copies'
  | 'ishPanel'
  | 'allred'
  | 'hScore'
  | 'quantitative' // units/volume or ligand-binding assay: no ASCO/CAP mapping
  | 'serum'; // serum HER2: not a tissue status, ignored

export type Method = 'ihc' | 'ish' | 'unspecified';

export interface CodeInfo {
  marker: Marker | 'er+pr';
  method: Method;
  aspect: Aspect;
  /** Where the code was seen / verified. */
  source: string;
}

const CODES_MD = 'CODES.md §2 (mCODE VS_Genomics.fsh @543477b5)';
const README = 'fhir-data/README.md';

/** LOINC codes (system http://loinc.org). */
export const LOINC_TABLE: Readonly<Record<string, CodeInfo>> = {
  '85319-2': { marker: 'her2', method: 'ihc', aspect: 'status', source: `${CODES_MD}; ${README} (synthea, other)` },
  '18474-7': { marker: 'her2', method: 'ihc', aspect: 'status', source: `${CODES_MD}; ${README} (genomics-reporting, other)` },
  '48676-1': { marker: 'her2', method: 'unspecified', aspect: 'status', source: `${CODES_MD}; ${README} (mcode)` },
  '72382-5': { marker: 'her2', method: 'unspecified', aspect: 'quantitative', source: `${CODES_MD}; ${README} (genomics-reporting)` },
  '72383-3': { marker: 'her2', method: 'unspecified', aspect: 'status', source: CODES_MD },
  '85318-4': { marker: 'her2', method: 'ish', aspect: 'status', source: `${CODES_MD}; ${README} (synthea)` },
  '31150-6': { marker: 'her2', method: 'ish', aspect: 'status', source: CODES_MD },
  '96893-3': { marker: 'her2', method: 'ish', aspect: 'status', source: CODES_MD },
  '49683-6': { marker: 'her2', method: 'ish', aspect: 'ishRatio', source: CODES_MD },
  '74860-8': { marker: 'her2', method: 'ish', aspect: 'her2Copies', source: CODES_MD },
  '74861-6': { marker: 'her2', method: 'ish', aspect: 'cep17Copies', source: CODES_MD },
  '74885-5': { marker: 'her2', method: 'ish', aspect: 'ishPanel', source: CODES_MD },
  '32996-1': { marker: 'her2', method: 'unspecified', aspect: 'serum', source: CODES_MD },
  '42914-2': { marker: 'her2', method: 'unspecified', aspect: 'serum', source: CODES_MD },
  '51981-9': { marker: 'her2', method: 'unspecified', aspect: 'serum', source: CODES_MD },
  '85337-4': { marker: 'er', method: 'ihc', aspect: 'status', source: `${CODES_MD}; ${README} (mcode, synthea)` },
  '40556-3': { marker: 'er', method: 'ihc', aspect: 'status', source: `${CODES_MD}; ${README} (ctm-app)` },
  '16112-5': { marker: 'er', method: 'unspecified', aspect: 'status', source: `${CODES_MD}; ${README} (ips, other)` },
  '85329-1': { marker: 'er', method: 'ihc', aspect: 'percent', source: CODES_MD },
  '14228-1': { marker: 'er', method: 'ihc', aspect: 'percent', source: CODES_MD },
  '85310-1': { marker: 'er', method: 'ihc', aspect: 'intensity', source: CODES_MD },
  '14130-9': { marker: 'er', method: 'unspecified', aspect: 'quantitative', source: CODES_MD },
  '85339-0': { marker: 'pr', method: 'ihc', aspect: 'status', source: `${CODES_MD}; ${README} (mcode, synthea)` },
  '40557-1': { marker: 'pr', method: 'ihc', aspect: 'status', source: `${CODES_MD}; ${README} (other)` },
  '16113-3': { marker: 'pr', method: 'unspecified', aspect: 'status', source: CODES_MD },
  '85325-9': { marker: 'pr', method: 'ihc', aspect: 'percent', source: CODES_MD },
  '14230-7': { marker: 'pr', method: 'ihc', aspect: 'percent', source: CODES_MD },
  '85331-7': { marker: 'pr', method: 'ihc', aspect: 'intensity', source: CODES_MD },
  '10861-3': { marker: 'pr', method: 'unspecified', aspect: 'quantitative', source: CODES_MD },
  '31207-4': { marker: 'pr', method: 'unspecified', aspect: 'quantitative', source: CODES_MD },
  '10480-2': { marker: 'er+pr', method: 'ihc', aspect: 'status', source: `${CODES_MD}; ${README} (synthea)` },
};

/** CAP eCC question codes seen in fhir-data/hl7-other/cancer-reporting (http and https spellings). The same
 *  code is reused for different questions there (43789.100004300 is both "Estrogen Receptor (ER)" and
 *  "Breast Biomarker Testing Performed"), so for CAP the display decides when present; the row is used only
 *  when the coding has no display. */
export const CAP_TABLE: Readonly<Record<string, CodeInfo | undefined>> = {
  '52399.100004300': { marker: 'her2', method: 'ihc', aspect: 'status', source: `${README} (cancer-reporting)` },
  '79483': { marker: 'her2', method: 'ihc', aspect: 'status', source: `${README} (cancer-reporting)` },
  '45138.100004300': { marker: 'er', method: 'unspecified', aspect: 'status', source: `${README} (cancer-reporting)` },
  '43789.100004300': undefined,
};

/** "34566" is not a LOINC code but is sent in the LOINC system for HER2 IHC (breastcancertrials.org
 *  fixture, README variant 3): accepted only when the display/text says HER2. */
const INVALID_HER2_LOINC = '34566';

const LOINC = 'loinc.org';
const CAP = 'cap.org/ecc';

/** Marker named in free text (code.text, display of an unknown code). Gene-variant, serum and sequencing
 *  wording is excluded: "estrogen receptor 1 (ESR1) mutation" is not an ER stain. */
export function markersInText(text: string): Array<Marker | 'er+pr'> {
  if (/mutation|variant|\bESR1\b|PIK3CA|serum|plasma|\bblood\b|ctDNA|sequenc/i.test(text)) return [];
  const out: Array<Marker | 'er+pr'> = [];
  if (/estrogen\s*\+\s*progesterone|hormone[- ]receptors?\b/i.test(text)) return ['er+pr'];
  if (/\bHER-?2\b|\bERBB-?2\b|\bHER2\/neu\b|c-erbB-?2/i.test(text)) out.push('her2');
  if (/o?estrogen|\bER\b|\bER[α-]?alpha\b/i.test(text)) out.push('er');
  if (/progesterone|\bPR\b|\bPgR\b/i.test(text)) out.push('pr');
  return out;
}

export function methodInText(text: string): Method {
  if (/\bFISH\b|\bISH\b|\bCISH\b|\bSISH\b|in situ|hybridi[sz]ation|amplification|CEP-?17|copy number|ratio/i.test(text)) return 'ish';
  if (/\bIHC\b|immunohisto|immune ?stain|immunostain/i.test(text)) return 'ihc';
  return 'unspecified';
}

export function aspectInText(text: string): Aspect {
  if (/serum|plasma/i.test(text)) return 'serum';
  if (/allred/i.test(text)) return 'allred';
  if (/\bH-?\s?score/i.test(text)) return 'hScore';
  if (/CEP-?17|chromosome 17/i.test(text) && !/ratio/i.test(text)) return 'cep17Copies';
  if (/ratio/i.test(text)) return 'ishRatio';
  if (/cop(y|ies)|signals/i.test(text)) return 'her2Copies';
  if (/intensity/i.test(text)) return 'intensity';
  if (/percent|%|\/100 cells|proportion/i.test(text)) return 'percent';
  if (/panel/i.test(text) && /FISH|ISH/i.test(text)) return 'ishPanel';
  return 'status';
}

/** Reads a coding; undefined when it does not name a biomarker. */
export function infoForCoding(c: Coding): CodeInfo | undefined {
  const system = normSystem(c.system);
  const code = c.code ?? '';
  if (system === LOINC) {
    const row = LOINC_TABLE[code];
    if (row) return row;
    if (code === INVALID_HER2_LOINC && c.display && markersInText(c.display).includes('her2')) {
      return { marker: 'her2', method: methodInText(c.display), aspect: 'status', source: `${README} (breastcancertrials.org, invalid LOINC 34566)` };
    }
    return undefined;
  }
  if (system === CAP) {
    if (c.display !== undefined) return fromText(c.display, 'CAP eCC display');
    return CAP_TABLE[code];
  }
  return undefined;
}

function fromText(text: string, source: string): CodeInfo | undefined {
  const markers = markersInText(text);
  if (markers.length !== 1) return undefined;
  const marker = markers[0] as Marker | 'er+pr';
  const aspect = aspectInText(text);
  let method = methodInText(text);
  if (method === 'unspecified' && (aspect === 'ishRatio' || aspect === 'her2Copies' || aspect === 'cep17Copies')) method = 'ish';
  return { marker, method, aspect, source };
}

export interface CodeReading {
  /** Every marker reading found, one per coding (or code.text); empty when not a biomarker. */
  infos: CodeInfo[];
  /** Several markers named by different codings (e.g. an ER code and a HER2 code). */
  markers: Array<Marker | 'er+pr'>;
}

/** Reads Observation.code (or component.code): table codes on any coding first; code.text and displays
 *  of unknown codes only when no coding is in the tables. */
export function readCode(concept: unknown): CodeReading {
  const infos: CodeInfo[] = [];
  const cs = codings(concept);
  for (const c of cs) {
    const info = infoForCoding(c);
    if (info) infos.push(info);
  }
  if (infos.length === 0) {
    for (const text of conceptTexts(concept, cs)) {
      const info = fromText(text, 'code.text / display');
      if (info) {
        infos.push(info);
        break;
      }
    }
  }
  const markers: Array<Marker | 'er+pr'> = [];
  for (const i of infos) if (i.aspect !== 'serum' && !markers.includes(i.marker)) markers.push(i.marker);
  return { infos, markers };
}

/** The most specific method among several codings (48676-1 + 85318-4 → ish). */
export function bestMethod(infos: CodeInfo[]): Method {
  if (infos.some((i) => i.method === 'ish')) return 'ish';
  if (infos.some((i) => i.method === 'ihc')) return 'ihc';
  return 'unspecified';
}

/** The most specific aspect: a numeric aspect beats a plain status coding. */
export function bestAspect(infos: CodeInfo[]): Aspect {
  const specific = infos.find((i) => i.aspect !== 'status' && i.aspect !== 'serum');
  return specific?.aspect ?? 'status';
}
