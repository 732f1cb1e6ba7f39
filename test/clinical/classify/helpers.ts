import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { BiomarkerResult, ClinicalContext, Interpretation, ReadResult } from '../../../src/clinical/types.js';
import { emptyContext } from '../../../src/clinical/read/context.js';

/** Shared material lives next to the project: ../shared relative to the project root. */
export const SHARED = path.resolve(process.cwd(), '../shared');

const schema = JSON.parse(fs.readFileSync(path.join(SHARED, 'contract/biomarker-interpretation.schema.json'), 'utf8')) as object;
const ajv = new Ajv2020({ allErrors: true, strict: false });
const validateSchema = ajv.compile(schema);

/** Errors of the contract schema for an interpretation ([] when valid). */
export function schemaErrors(i: Interpretation): string[] {
  return validateSchema(JSON.parse(JSON.stringify(i))) ? [] : (validateSchema.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

export function context(over: Partial<ClinicalContext> = {}): ClinicalContext {
  // A breast cancer chart with nothing else recorded.
  return { ...emptyContext(), breastCancer: true, ...over };
}

let n = 0;
/** A valid result with sensible defaults; `ref` is unique unless given. */
export function result(over: Partial<BiomarkerResult> & Pick<BiomarkerResult, 'marker'>): BiomarkerResult {
  n += 1;
  return {
    ref: `Observation/t${n}`,
    method: 'unspecified',
    status: 'valid',
    specimen: 'primary',
    effectiveDate: '2024-01-10',
    ...over,
  };
}

export const her2Ihc = (her2: BiomarkerResult['her2'], over: Partial<BiomarkerResult> = {}): BiomarkerResult =>
  result({ marker: 'her2', method: 'ihc', her2, ...over });
export const her2Ish = (her2: BiomarkerResult['her2'], over: Partial<BiomarkerResult> = {}): BiomarkerResult =>
  result({ marker: 'her2', method: 'ish', her2, ...over });
export const er = (receptor: BiomarkerResult['receptor'], over: Partial<BiomarkerResult> = {}): BiomarkerResult =>
  result({ marker: 'er', method: 'ihc', receptor, ...over });
export const pr = (receptor: BiomarkerResult['receptor'], over: Partial<BiomarkerResult> = {}): BiomarkerResult =>
  result({ marker: 'pr', method: 'ihc', receptor, ...over });
export const pct = (value: number, comparator?: '<' | '<=' | '>' | '>='): { value: number; comparator?: '<' | '<=' | '>' | '>=' } =>
  comparator === undefined ? { value } : { value, comparator };

export function readResult(results: BiomarkerResult[], over: Partial<ReadResult> = {}): ReadResult {
  return {
    results,
    combined: [],
    pam50: [],
    context: context(),
    unreadable: [],
    observationCount: results.length,
    ...over,
  };
}
