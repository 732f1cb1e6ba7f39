import type { CodeableConcept } from 'fhir/r4.js';
import { DRUG_TABLE, RXNORM_SYSTEMS, type DrugRow } from './drug-table.js';

/** Therapy families the eligibility statements and order checks care about. */
export type DrugFamily =
  | 'anti-her2-antibody' // trastuzumab (incl. biosimilars, SC), pertuzumab, Phesgo, margetuximab
  | 'anti-her2-tki' // tucatinib, lapatinib, neratinib
  | 't-dm1' // ado-trastuzumab emtansine
  | 't-dxd' // fam-trastuzumab deruxtecan
  | 'other-adc' // sacituzumab govitecan, datopotamab deruxtecan (TROP2, NOT HER2-directed)
  | 'endocrine' // tamoxifen, toremifene, aromatase inhibitors, fulvestrant, oral SERDs
  | 'ovarian-suppression' // GnRH agonists (goserelin, leuprolide, triptorelin): NOT counted as endocrine
  | 'cdk46' // palbociclib, ribociclib, abemaciclib
  | 'chemotherapy'; // cytotoxic agents (recognised by name)

export interface RecognizedDrug {
  family: DrugFamily;
  /** Ingredient name, lower case, e.g. "trastuzumab", "fam-trastuzumab deruxtecan". */
  ingredient: string;
  /** How it was recognised: an RxNorm code from CODES.md, or the name in text/display. */
  matchedBy: 'rxnorm' | 'name';
  /** Drug-table row id (src/clinical/drug-table.ts), for audit and tests. */
  ruleId?: string;
}

/** Families that act on HER2 (T-DXd included; the TROP2 ADCs are not). */
export const HER2_DIRECTED_FAMILIES: readonly DrugFamily[] = ['anti-her2-antibody', 'anti-her2-tki', 't-dm1', 't-dxd'];

/** Recognises the drug(s) in a medication concept: every RxNorm coding (codes from
 *  ../shared/clinical/CODES.md), then names in text and every coding's display. A fixed-dose combination
 *  gives several entries (Phesgo → trastuzumab + pertuzumab). Unrecognised → []. Pure.
 *
 *  @example recognizeMedication({ text: 'Enhertu 100 mg' }) // [{ family: 't-dxd', ingredient: 'fam-trastuzumab deruxtecan', matchedBy: 'name' }]
 */
export function recognizeMedication(concept: CodeableConcept | undefined): RecognizedDrug[] {
  if (!concept) return [];
  const found = new Map<string, RecognizedDrug>();
  const byCode = rowsByCode(concept);
  for (const row of byCode) found.set(row.id, toDrug(row, 'rxnorm'));
  for (const row of rowsByName(concept, byCode)) if (!found.has(row.id)) found.set(row.id, toDrug(row, 'name'));
  return [...found.values()];
}

/** True when the drug acts on HER2 (anti-HER2 antibody or TKI, T-DM1, T-DXd). */
export function isHer2Directed(drug: RecognizedDrug): boolean {
  return HER2_DIRECTED_FAMILIES.includes(drug.family);
}

function toDrug(row: DrugRow, matchedBy: RecognizedDrug['matchedBy']): RecognizedDrug {
  return { family: row.family, ingredient: row.ingredient, matchedBy, ruleId: row.id };
}

function rowsByCode(concept: CodeableConcept): DrugRow[] {
  const codes = (concept.coding ?? [])
    .filter((c) => c.system !== undefined && RXNORM_SYSTEMS.includes(c.system.trim()) && typeof c.code === 'string')
    .map((c) => (c.code as string).trim());
  if (codes.length === 0) return [];
  return DRUG_TABLE.filter((row) => row.rxnorm.some((code) => codes.includes(code)));
}

/** Names in text and every display. A row that yields to another (plain "trastuzumab" to T-DM1/T-DXd,
 *  CODES.md §1 trap 1) is dropped when the other was recognised anywhere in the concept, by code or name:
 *  the MITRE source itself titles Kadcyla/Enhertu forms "Trastuzumab ... [KADCYLA]". */
function rowsByName(concept: CodeableConcept, byCode: DrugRow[]): DrugRow[] {
  const texts = [concept.text, ...(concept.coding ?? []).map((c) => c.display)]
    .filter((t): t is string => typeof t === 'string' && t.trim() !== '')
    .map(normalise);
  const hits = DRUG_TABLE.filter((row) =>
    texts.some((text) => row.names.some((re) => re.test(text)) && !(row.notWhen ?? []).some((re) => re.test(text))),
  );
  const ids = new Set([...hits, ...byCode].map((row) => row.id));
  return hits.filter((row) => !(row.yieldsTo ?? []).some((id) => ids.has(id)));
}

function normalise(text: string): string {
  // Unicode dashes to "-", everything lower case, whitespace collapsed.
  return text.toLowerCase().replace(/[\u2010-\u2015\u2212]/g, '-').replace(/\s+/g, ' ').trim();
}
