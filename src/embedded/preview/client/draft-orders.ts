/**
 * Draft orders offered by the preview page and `her2-cds call --order` for the order hooks. Each is a
 * MedicationRequest as an EHR would draft it, coded with RxNorm product (SCD) or ingredient codes from
 * ../shared/clinical/CODES.md section 1 (never invented). Pure data: shared by the browser and the CLI.
 */

export interface DraftOrderChoice {
  /** Short key (CLI --order value, page option value). */
  key: string;
  /** What the page and the CLI show. */
  label: string;
  /** RxNorm code and display exactly as CODES.md section 1 lists them. */
  rxnorm: { code: string; display: string };
}

export const RXNORM_SYSTEM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

export const DRAFT_ORDERS: readonly DraftOrderChoice[] = [
  // CODES.md §1 trastuzumab: SCD~ 1922509
  { key: 'trastuzumab', label: 'Trastuzumab 150 mg injection', rxnorm: { code: '1922509', display: 'Trastuzumab 150 MG Injection' } },
  // CODES.md §1 fam-trastuzumab deruxtecan: SCD~ 2267576
  { key: 't-dxd', label: 'Trastuzumab deruxtecan (T-DXd) 100 mg injection', rxnorm: { code: '2267576', display: 'Fam-trastuzumab deruxtecan-nxki 100 MG Injection' } },
  // CODES.md §1 pertuzumab: SCD~ 1298948
  { key: 'pertuzumab', label: 'Pertuzumab 420 mg/14 mL injection', rxnorm: { code: '1298948', display: '14 ML pertuzumab 30 MG/ML Injection' } },
  // CODES.md §1 tamoxifen: 313195
  { key: 'tamoxifen', label: 'Tamoxifen 20 mg tablet', rxnorm: { code: '313195', display: 'Tamoxifen 20 MG Oral Tablet' } },
  // CODES.md §1 letrozole: 200064
  { key: 'letrozole', label: 'Letrozole 2.5 mg tablet', rxnorm: { code: '200064', display: 'Letrozole 2.5 MG Oral Tablet' } },
];

/** The draft MedicationRequest for `choice`, for patient `patientId`, with a fixed id so order-select can select it. */
export function draftMedicationRequest(choice: DraftOrderChoice, patientId: string, authoredOn: string): Record<string, unknown> {
  return {
    resourceType: 'MedicationRequest',
    id: `draft-${choice.key}`,
    status: 'draft',
    intent: 'order',
    subject: { reference: `Patient/${patientId}` },
    authoredOn,
    medicationCodeableConcept: {
      coding: [{ system: RXNORM_SYSTEM, code: choice.rxnorm.code, display: choice.rxnorm.display }],
      text: choice.label,
    },
  };
}

export function draftOrderByKey(key: string): DraftOrderChoice | undefined {
  return DRAFT_ORDERS.find((d) => d.key === key);
}
