/**
 * Coded answers and interpretations → the lab's call. Rules as data, each row with where it was seen.
 * Codes not in the table fall back to their display/text (read by text.ts), so an unknown code with the
 * display "Negative" still reads; a code is never guessed from its number.
 */
import type { Her2IhcScore, LabCall } from '../types.js';
import { normSystem } from './json.js';

export interface AnswerRow {
  /** 'presence' = "Present": positive for ER/PR, no HER2 category (1+ staining is also "present"). */
  call: LabCall | 'presence';
  ihcScore?: Her2IhcScore;
  source: string;
}

const SNOMED = 'snomed.info/sct';
const LOINC = 'loinc.org';
const CAP = 'cap.org/ecc';

/** Keyed by normalised system + '|' + code. */
export const ANSWER_TABLE: Readonly<Record<string, AnswerRow>> = {
  [`${SNOMED}|10828004`]: { call: 'positive', source: 'SNOMED Positive; fhir-data synthea, other' },
  [`${SNOMED}|260385009`]: { call: 'negative', source: 'SNOMED Negative; fhir-data synthea, other' },
  [`${SNOMED}|416053008`]: { call: 'positive', source: 'SNOMED "Estrogen receptor positive tumor" (finding); fhir-data ips' },
  [`${SNOMED}|1381318009`]: { call: 'ultralow', source: 'SNOMED HER2 ultralow (finding); CODES.md §2 — matched as a code, never by subsumption' },
  [`${LOINC}|LA6576-8`]: { call: 'positive', source: 'LOINC answer Positive; fhir-data mcode' },
  [`${LOINC}|LA6577-6`]: { call: 'negative', source: 'LOINC answer Negative; fhir-data mcode' },
  [`${LOINC}|LA9633-4`]: { call: 'presence', source: 'LOINC answer Present; fhir-data genomics-reporting' },
  [`${CAP}|40505.100004300`]: { call: 'negative', ihcScore: '0', source: 'CAP eCC "Negative (Score 0)"; fhir-data cancer-reporting' },
  [`${CAP}|53472.100004300`]: { call: 'indeterminate', source: 'CAP eCC "Cannot be determined (indeterminate)"; fhir-data cancer-reporting' },
};

/** v3 ObservationInterpretation codes, matched on the code whatever the system spelling (the fixtures use
 *  both the CodeSystem URL and the ValueSet URL). H/L/N/A are range flags, not calls: never read. */
export const INTERPRETATION_TABLE: Readonly<Record<string, LabCall>> = {
  POS: 'positive',
  NEG: 'negative',
  IND: 'indeterminate',
};

export function answerFor(system: string | undefined, code: string | undefined): AnswerRow | undefined {
  if (code === undefined) return undefined;
  return ANSWER_TABLE[`${normSystem(system)}|${code}`];
}

/** Interpretation texts that are range flags, ignored as calls ("Low" is not HER2-low). */
export function isRangeFlag(text: string): boolean {
  return /^\s*(high|low|normal|abnormal|critical(ly)? (high|low)|H|L|N|A|HH|LL)\s*$/i.test(text);
}
