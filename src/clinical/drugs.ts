import type { CodeableConcept } from 'fhir/r4.js';

/** Therapy families the eligibility statements and order checks care about. */
export type DrugFamily =
  | 'anti-her2-antibody' // trastuzumab (incl. biosimilars, SC), pertuzumab, Phesgo
  | 'anti-her2-tki' // tucatinib, lapatinib, neratinib
  | 't-dm1' // ado-trastuzumab emtansine
  | 't-dxd' // fam-trastuzumab deruxtecan
  | 'other-adc' // sacituzumab govitecan, datopotamab deruxtecan (TROP2, NOT HER2-directed)
  | 'endocrine' // tamoxifen, aromatase inhibitors, fulvestrant, oral SERDs
  | 'cdk46' // palbociclib, ribociclib, abemaciclib
  | 'chemotherapy'; // cytotoxic agents (recognised by name)

export interface RecognizedDrug {
  family: DrugFamily;
  /** Ingredient name, lower case, e.g. "trastuzumab", "fam-trastuzumab deruxtecan". */
  ingredient: string;
  /** How it was recognised: an RxNorm code from CODES.md, or the name in text/display. */
  matchedBy: 'rxnorm' | 'name';
}

/** Recognises the drug(s) in a medication concept: every coding (RxNorm codes from
 *  ../shared/clinical/CODES.md), then text/display names. A fixed-dose combination gives several entries.
 *  Unrecognised → []. Pure. (Stub: lands with issue 8.) */
export function recognizeMedication(concept: CodeableConcept | undefined): RecognizedDrug[] {
  void concept;
  return [];
}
