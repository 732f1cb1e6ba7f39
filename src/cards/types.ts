/** CDS Hooks 2.0 response types as the pure card builder produces them (spec section "CDS Service Response").
 *  protocol/schemas.ts validates the same shapes with zod at the boundary. */

export type Indicator = 'info' | 'warning' | 'critical';

export interface Coding {
  system: string;
  code: string;
  display?: string;
}

export interface Action {
  type: 'create' | 'update' | 'delete';
  description: string;
  resource?: Record<string, unknown>;
  resourceId?: string;
}

export interface Suggestion {
  label: string;
  uuid?: string;
  isRecommended?: boolean;
  actions?: Action[];
}

export interface Link {
  label: string;
  url: string;
  type: 'absolute' | 'smart';
  appContext?: string;
  autolaunchable?: boolean;
}

export interface Source {
  label: string;
  url?: string;
  icon?: string;
  topic?: Coding;
}

/** Every card we issue names its kind here (e.g. "summary", "prognosis", a caveat or eligibility code,
 *  "order/anti-her2-not-positive"), so feedback and suppression can act per kind without reading card text. */
export const CARD_KIND_EXTENSION_KEY = 'org.her2-cds.card-kind';

export interface Card {
  uuid: string;
  summary: string;
  detail?: string;
  indicator: Indicator;
  source: Source;
  suggestions?: Suggestion[];
  selectionBehavior?: 'at-most-one' | 'any';
  overrideReasons?: Array<Coding & { display: string }>;
  links?: Link[];
  extension?: Record<string, unknown>;
}

/** Something the service could not read from the EHR for this call (set by data/, shown by the cards). */
export interface DataProblem {
  /** Prefetch key concerned, e.g. "biomarkers". */
  key: string;
  /** What the key holds, so the cards can say what is missing and what can still be concluded. */
  role: 'patient' | 'biomarkers' | 'conditions' | 'medications' | 'lvef' | 'other';
  kind: 'fetch-failed' | 'timeout' | 'unauthorized' | 'invalid-response' | 'partial' | 'client-error';
  /** Short, PHI-free explanation for the card and the log, e.g. "FHIR server answered 500". */
  detail: string;
}
