/**
 * Types shared by the pure clinical core: what the readers extract from FHIR (normalised results and
 * clinical context) and what interpret() returns (the biomarker-interpretation contract,
 * ../shared/contract/biomarker-interpretation.md, plus a few additional members the schema allows).
 */

export type Marker = 'her2' | 'er' | 'pr';

/** A number as reported, with the FHIR comparator kept (never rounded: GUIDELINES N1). */
export interface ReportedNumber {
  value: number;
  comparator?: '<' | '<=' | '>' | '>=';
}

/** A reported range such as "1-5%" (GUIDELINES N5). */
export interface ReportedRange {
  low: number;
  high: number;
}

/** valid = final/amended/corrected; pending = preliminary/registered (shown, never used);
 *  failed = done but not evaluable (gives `indeterminate`). Cancelled / entered-in-error never get here. */
export type ResultStatus = 'valid' | 'pending' | 'failed';

export type SpecimenKind =
  | 'primary'
  | 'metastasis'
  | 'recurrence'
  | 'pre-neoadjuvant'
  | 'post-neoadjuvant'
  | 'unspecified';

/** What the laboratory itself said the result means (coded answer, interpretation or text). */
export type LabCall =
  | 'positive'
  | 'negative'
  | 'equivocal'
  | 'low-positive'
  | 'low'
  | 'ultralow'
  | 'zero'
  | 'indeterminate';

export type Her2IhcScore = '0' | '0-with-staining' | '1+' | '2+' | '3+';

/** HER2 membrane-staining pattern when the report describes it (ASCO-CAP-HER2-2018 Fig. 1). */
export type Her2StainingPattern =
  | 'none'
  | 'faint-incomplete'
  | 'weak-moderate-complete'
  | 'intense-complete'
  | 'moderate-intense-incomplete';

export interface Her2Facts {
  /** IHC score as reported. '0' when the report says 0 without saying whether staining was seen (H5b). */
  ihcScore?: Her2IhcScore;
  /** Staining pattern and % of invasive cells, when described (needed for H4/H6 and N3). */
  stainingPattern?: Her2StainingPattern;
  stainingPercent?: ReportedNumber;
  /** Dual-probe HER2/CEP17 ratio. */
  ishRatio?: ReportedNumber;
  /** Mean HER2 signals per cell. */
  her2CopiesPerCell?: ReportedNumber;
  /** Mean CEP17 signals per cell. */
  cep17CopiesPerCell?: ReportedNumber;
  /** 'single' when the assay is single-probe (no CEP17), 'dual' when a ratio/CEP17 is reported. */
  ishProbe?: 'single' | 'dual';
  /** The lab reports intratumoral heterogeneity (GUIDELINES T6). */
  heterogeneous?: boolean;
}

export interface AllredScore {
  total?: number;
  proportion?: number;
  intensity?: number;
}

export interface ReceptorFacts {
  /** % of tumour nuclei staining: a number (with comparator) or a range. */
  percent?: ReportedNumber | ReportedRange;
  allred?: AllredScore;
  hScore?: number;
  intensity?: 'weak' | 'moderate' | 'strong';
  /** R6: 0-10% with no internal controls. */
  noInternalControls?: boolean;
}

/** One biomarker result as read from FHIR: one per marker per Observation (an Observation reporting two
 *  markers gives two results with the same `ref`). */
export interface BiomarkerResult {
  /** "Observation/<id>" (or a fullUrl / contained reference when there is no id). */
  ref: string;
  marker: Marker;
  method: 'ihc' | 'ish' | 'unspecified';
  status: ResultStatus;
  /** FHIR date/dateTime of the specimen or result (effective[x], else issued). */
  effectiveDate?: string;
  specimen: SpecimenKind;
  /** Short human description of the specimen as recorded (e.g. "liver biopsy"), for the card. */
  specimenLabel?: string;
  /** Groups results on the same tissue sample (specimen reference or accession), so ISH pairs with its
   *  concurrent IHC (ASCO-CAP-HER2-2018: IHC review on the same tissue). */
  specimenKey?: string;
  labCall?: LabCall;
  her2?: Her2Facts;
  receptor?: ReceptorFacts;
  /** Set when the Observation is recognised as this marker but its value could not be read; never guessed. */
  unreadable?: string;
  /** Raw text the value was read from (for display on cards only; never logged). */
  sourceText?: string;
}

/** ER+PR reported together (LOINC 10480-2): says HR status without telling which receptor. */
export interface CombinedReceptorResult {
  ref: string;
  status: ResultStatus;
  effectiveDate?: string;
  labCall?: LabCall;
}

export type Pam50Subtype = 'HER2-enriched' | 'luminal-a' | 'luminal-b' | 'basal-like' | 'normal-like';

export interface Pam50Result {
  ref: string;
  subtype: Pam50Subtype;
  effectiveDate?: string;
}

/** Clinical context the eligibility statements depend on (GUIDELINES section 7, T1). */
export interface ClinicalContext {
  /** A breast cancer diagnosis is recorded. */
  breastCancer: boolean;
  /** Metastatic (stage IV / M1 / metastasis Condition) disease is recorded; date when known. */
  metastatic: boolean;
  metastaticDate?: string;
  /** Recurrence recorded; date when known. */
  recurrence: boolean;
  recurrenceDate?: string;
  priorEndocrineTherapy: boolean;
  /** Chemotherapy recorded in the metastatic setting (or, when dates are missing, after the metastasis date). */
  priorChemoMetastatic: boolean;
  priorAntiHer2: boolean;
  neoadjuvantTherapy: boolean;
  /** pT category when recorded, e.g. "T1b". */
  tumorCategory?: string;
  /** pN category when recorded, e.g. "N0". */
  nodalCategory?: string;
  /** References of the resources the context rests on. */
  basis: string[];
}

/** Everything the readers extract from a list of FHIR resources. */
export interface ReadResult {
  results: BiomarkerResult[];
  combined: CombinedReceptorResult[];
  pam50: Pam50Result[];
  context: ClinicalContext;
  /** Observations that looked like biomarkers but could not be read at all (reference + reason). */
  unreadable: Array<{ ref: string; reason: string }>;
  /** How many Observations were inspected (for logs and metrics). */
  observationCount: number;
}

// ---- The interpretation (../shared/contract/biomarker-interpretation.schema.json) ----

export type Her2Category =
  | 'positive'
  | 'equivocal'
  | 'low'
  | 'ultralow'
  | 'zero'
  | 'negative-unspecified'
  | 'indeterminate'
  | 'unknown';

export type ReceptorCategory = 'positive' | 'low-positive' | 'negative' | 'indeterminate' | 'unknown';

export type Subtype = 'HR+/HER2-' | 'HR+/HER2+' | 'HR-/HER2+' | 'triple-negative' | 'undetermined';

export type EligibilityCode = 'anti-her2' | 't-dxd-her2-low' | 't-dxd-her2-ultralow' | 'endocrine';

export type CaveatCode =
  | 'her2-equivocal-pending-ish'
  | 'ish-needs-ihc-review'
  | 'her2-low'
  | 'her2-ultralow'
  | 'her2-zero-rereview'
  | 'er-low-positive'
  | 'er-negative-pr-positive'
  | 'discordant-results'
  | 'retest-on-recurrence'
  | 'missing-her2'
  | 'missing-er'
  | 'missing-pr'
  | 'indeterminate-result'
  | 'pam50-her2-enriched'
  | 'cardiac-monitoring'
  | 'brain-metastases-risk'
  | 'small-tumor-t1ab'
  // Added by us (the contract allows more codes):
  /** A recognised biomarker Observation whose value could not be read. */
  | 'unreadable-result'
  /** Only preliminary results for a marker: shown as pending. */
  | 'pending-result'
  /** The lab reports intratumoral HER2 heterogeneity (T6). */
  | 'her2-heterogeneous'
  /** R6: ER/PR 0-10% without internal controls. */
  | 'no-internal-controls'
  /** The biomarker data could not be obtained from the EHR (set by the service, not by interpret). */
  | 'data-unavailable';

/** One result as shown on the card and listed in the interpretation (date and specimen kept). */
export interface ResultSummary {
  ref: string;
  /** Which marker (optional; needed where results of several markers are listed together, e.g. `pending`). */
  marker?: Marker;
  category: string;
  /** Human-readable, e.g. "IHC 2+, ISH group 5 (ratio 1.6, 3.1 copies/cell)". */
  description: string;
  effectiveDate: string | null;
  specimen: SpecimenKind;
  specimenLabel?: string;
  status: ResultStatus;
}

export interface Her2Interpretation {
  category: Her2Category;
  ihcScore?: Her2IhcScore | null;
  ishGroup?: 1 | 2 | 3 | 4 | 5 | null;
  ishRatio?: number | null;
  her2CopiesPerCell?: number | null;
  effectiveDate?: string | null;
  basis: string[];
  /** Every result considered, highest first (additional member). */
  results: ResultSummary[];
}

export interface ReceptorInterpretation {
  category: ReceptorCategory;
  percentPositive?: number | null;
  effectiveDate?: string | null;
  basis: string[];
  results: ResultSummary[];
}

/** Hormone-receptor status the subtype and `endocrine` rest on (additional member): ER or PR positive.
 *  An ER+PR combined result (CombinedReceptorResult) decides it only when the single ER/PR results leave it
 *  open; it never sets er or pr (rule HR-COMBINED). */
export interface HormoneReceptorStatus {
  status: 'positive' | 'negative' | 'undetermined';
  fromCombined: boolean;
  basis: string[];
}

export interface Interpretation {
  her2: Her2Interpretation;
  er: ReceptorInterpretation;
  pr: ReceptorInterpretation;
  subtype: Subtype;
  eligibility: EligibilityCode[];
  caveats: CaveatCode[];
  /** Additional members (allowed by the schema's additionalProperties). */
  context: ClinicalContext;
  /** Rule ids of GUIDELINES.md applied (e.g. "H2", "G3b-IHC2", "R2", "N5"), for audit. */
  rules: string[];
  pending: ResultSummary[];
  unreadable: Array<{ ref: string; reason: string }>;
  pam50?: Pam50Subtype;
  hormoneReceptors?: HormoneReceptorStatus;
  /** Version of the rule set, for integrators who store interpretations. */
  ruleSetVersion: string;
}
