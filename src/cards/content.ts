/**
 * The card content of ../../cards/*.json, typed. The JSON files are the single place where card text,
 * claims and citations live (ARCHITECTURE: rules and content as data); this module only gives them types
 * and checks at load time that every claim's source key and condition exists, so a typo fails at start-up
 * instead of printing a card without its source.
 */
import sourcesJson from '../../cards/sources.json' with { type: 'json' };
import summaryJson from '../../cards/summary.json' with { type: 'json' };
import prognosisJson from '../../cards/prognosis.json' with { type: 'json' };
import eligibilityJson from '../../cards/eligibility.json' with { type: 'json' };
import caveatsJson from '../../cards/caveats.json' with { type: 'json' };
import overrideJson from '../../cards/override-reasons.json' with { type: 'json' };

/** Facts about the (guarded) interpretation a claim may depend on; evaluated in conditions.ts. */
export type Condition =
  | 'hr-positive'
  | 'not-hr-positive'
  | 'her2-positive'
  | 'her2-negative'
  | 'her2-low'
  | 'her2-ultralow'
  | 'her2-zero'
  | 'triple-negative'
  | 'metastatic'
  | 'er-low-only'
  | 'discordant';

export const CONDITIONS: readonly Condition[] = [
  'hr-positive',
  'not-hr-positive',
  'her2-positive',
  'her2-negative',
  'her2-low',
  'her2-ultralow',
  'her2-zero',
  'triple-negative',
  'metastatic',
  'er-low-only',
  'discordant',
];

/** One statement on a card with the source keys (cards/sources.json) it rests on. */
export interface Claim {
  id: string;
  text: string;
  sources: string[];
  /** Shown only when every condition holds. */
  when?: Condition[];
}

export interface SourceEntry {
  label: string;
  citation: string;
  /** DOI or PubMed/PMC link; present only for identifiers verified (S) in GUIDELINES.md / CODES.md. */
  url?: string;
  verified: boolean;
}

export interface SummaryContent {
  judgement: string;
  her2Words: Record<string, string>;
  ihcWords: Record<string, string>;
  ishWords: { amplified: string; notAmplified: string; group: string; pending: string; needsIhc: string };
  receptorWords: Record<string, string>;
  subtypeWords: Record<string, string> & { erLowSuffix: string };
  meaning: Record<string, string>;
  headings: {
    classification: string;
    results: string;
    pending: string;
    unreadable: string;
    problems: string;
    sources: string;
  };
  dataUnavailable: { summary: string; claims: Claim[] };
  contextUnavailable: string;
  noBiomarkers: { summary: string };
  specimenWords: Record<string, string>;
  markerWords: Record<string, string>;
  statusWords: Record<string, string>;
  noDate: string;
}

export interface PrognosisEntry {
  summary: string;
  claims: Claim[];
}

export interface PrognosisContent {
  treatmentEra: Claim[];
  subtypes: Record<'her2-positive' | 'hr-positive-her2-negative' | 'triple-negative', PrognosisEntry>;
  her2Nuance: Claim[];
}

export interface EligibilityEntry {
  summary: string;
  intro: string;
  claims: Claim[];
  /** Chart-check sentences keyed by the setting status the builder computes. */
  status: Record<string, string>;
  /** Card summaries per status, when the status changes what the clinician must see first. */
  statusSummary?: Record<string, string>;
}

export interface EligibilityContent {
  codes: Record<'anti-her2' | 't-dxd-her2-low' | 't-dxd-her2-ultralow' | 'endocrine', EligibilityEntry>;
  'trop2-adc': EligibilityEntry;
}

export interface CaveatEntry {
  indicator: 'info' | 'warning';
  summary: string;
  summaries?: Record<string, string>;
  claims: Claim[];
  suggestionLabel?: string;
  actionDescription?: string;
  orderNote?: string;
}

export interface OverrideContent {
  system: string;
  reasons: Record<string, string>;
  byCard: Record<string, string[]>;
}

function withoutComment<T>(json: object): T {
  const copy: Record<string, unknown> = { ...json };
  delete copy['_comment'];
  return copy as T;
}

export const SOURCES: Readonly<Record<string, SourceEntry>> = withoutComment(sourcesJson);
export const SUMMARY: SummaryContent = withoutComment(summaryJson);
export const PROGNOSIS: PrognosisContent = withoutComment(prognosisJson);
export const ELIGIBILITY: EligibilityContent = withoutComment(eligibilityJson);
export const CAVEATS: Readonly<Record<string, CaveatEntry>> = withoutComment(caveatsJson);
export const OVERRIDE: OverrideContent = withoutComment(overrideJson);

/** Every claim in the content, for checks and tests. */
export function allClaims(): Claim[] {
  return [
    ...SUMMARY.dataUnavailable.claims,
    ...PROGNOSIS.treatmentEra,
    ...Object.values(PROGNOSIS.subtypes).flatMap((e) => e.claims),
    ...PROGNOSIS.her2Nuance,
    ...Object.values(ELIGIBILITY.codes).flatMap((e) => e.claims),
    ...ELIGIBILITY['trop2-adc'].claims,
    ...Object.values(CAVEATS).flatMap((e) => e.claims),
  ];
}

function checkContent(): void {
  for (const claim of allClaims()) {
    if (claim.sources.length === 0) throw new Error(`cards: claim ${claim.id} has no source`);
    for (const key of claim.sources) {
      if (!SOURCES[key]) throw new Error(`cards: claim ${claim.id} cites unknown source ${key}`);
    }
    for (const c of claim.when ?? []) {
      if (!CONDITIONS.includes(c)) throw new Error(`cards: claim ${claim.id} has unknown condition ${c}`);
    }
  }
  for (const [card, codes] of Object.entries(OVERRIDE.byCard)) {
    for (const code of codes) {
      if (!OVERRIDE.reasons[code]) throw new Error(`cards: override reason ${code} of ${card} is not defined`);
    }
  }
}

checkContent();
