import type { DataProblem } from '../cards/types.js';

/**
 * What a prefetch key holds, read from its template (not from its name: EHRs and older discovery documents use
 * other key names, e.g. "receptorObservations"). The role decides two things: whether the key is required for
 * a useful answer (only biomarkers: without them there is nothing to classify → 412), and what a card can say
 * is missing when the key could not be read.
 */
export type DataRole = DataProblem['role'];

/** Roles without which the service has nothing to say: their absence (and no way to fetch them) means 412. */
export const REQUIRED_ROLES: ReadonlySet<DataRole> = new Set<DataRole>(['biomarkers']);

interface CodeRow {
  rule: string;
  code: string;
  role: DataRole;
  source: string;
}

/**
 * Observation codes that mark a template's role. One row per code, with its source in
 * ../shared/clinical/CODES.md. Only used to classify *templates*; Observations themselves are never filtered
 * by code here (the clinical reader recognises codes).
 */
export const OBSERVATION_CODE_ROLES: readonly CodeRow[] = [
  // HER2 / ER / PR tissue results (CODES.md §2, mCODE Tumor Marker Test value set).
  ...[
    '85319-2', '18474-7', '48676-1', '72382-5', '72383-3', '85318-4', '31150-6', '96893-3', '49683-6',
    '74860-8', '74861-6', '74885-5', '85337-4', '40556-3', '16112-5', '85329-1', '14228-1', '85310-1',
    '14130-9', '85339-0', '40557-1', '16113-3', '85325-9', '14230-7', '85331-7', '10861-3', '31207-4',
    '10480-2',
  ].map((code) => ({ rule: 'ROLE-BIOMARKER', code, role: 'biomarkers' as const, source: 'CODES.md §2 (LOINC, mCODE)' })),
  // LVEF results and echo studies (CODES.md §3, "LVEF result" and echo rows).
  { rule: 'ROLE-LVEF', code: '18043-0', role: 'lvef', source: 'CODES.md §3 LVEF (LOINC)' },
  { rule: 'ROLE-LVEF', code: '10230-1', role: 'lvef', source: 'CODES.md §3 LVEF (LOINC, tier C)' },
  { rule: 'ROLE-LVEF', code: '70822001', role: 'lvef', source: 'CODES.md §3 LVEF (SNOMED CT, tier C)' },
  { rule: 'ROLE-LVEF', code: '34552-0', role: 'lvef', source: 'CODES.md §3 Echocardiogram (LOINC)' },
  { rule: 'ROLE-LVEF', code: '18106-5', role: 'lvef', source: 'CODES.md §3 Echo study (LOINC)' },
];

/** Resource type of the template → role, for everything that is not an Observation. */
export const RESOURCE_TYPE_ROLES: Readonly<Record<string, DataRole>> = {
  Patient: 'patient',
  Condition: 'conditions',
  MedicationRequest: 'medications',
  MedicationStatement: 'medications',
  MedicationAdministration: 'medications',
};

const CODE_ROLE = new Map(OBSERVATION_CODE_ROLES.map((row) => [row.code, row.role]));

/**
 * Role of a prefetch template such as `Observation?patient={{context.patientId}}&code=http://loinc.org|85319-2`.
 * An Observation template that names biomarker codes is `biomarkers` even if it also names LVEF codes (the
 * stricter role wins, so a combined query still makes the 412 decision).
 */
export function roleOfTemplate(template: string): DataRole {
  // Templates come from our discovery document: a handful of strings, asked about on every hook call.
  let role = ROLE_OF_TEMPLATE.get(template);
  if (role === undefined) {
    role = templateRole(template);
    if (ROLE_OF_TEMPLATE.size < 1000) ROLE_OF_TEMPLATE.set(template, role);
  }
  return role;
}

const ROLE_OF_TEMPLATE = new Map<string, DataRole>();

function templateRole(template: string): DataRole {
  const [path = '', query = ''] = template.replace(/^\//, '').split('?', 2);
  const resourceType = path.split('/')[0] ?? '';
  if (resourceType !== 'Observation') return RESOURCE_TYPE_ROLES[resourceType] ?? 'other';
  const roles = new Set<DataRole>();
  for (const code of templateCodes(query)) {
    const role = CODE_ROLE.get(code);
    if (role) roles.add(role);
  }
  if (roles.has('biomarkers')) return 'biomarkers';
  if (roles.has('lvef')) return 'lvef';
  return 'other';
}

/** Whether a template is an instance read (`Type/id`) rather than a search: a 404 on a read means "no data". */
export function isReadTemplate(template: string): boolean {
  const path = template.replace(/^\//, '').split('?', 1)[0] ?? '';
  return !template.includes('?') && path.split('/').length === 2;
}

/** Codes of the `code` search parameter(s): comma-separated, each optionally `system|code`. */
function templateCodes(query: string): string[] {
  const codes: string[] = [];
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).split(':')[0];
    if (eq < 0 || name !== 'code') continue;
    for (const token of safeDecode(pair.slice(eq + 1)).split(',')) {
      const code = token.includes('|') ? token.slice(token.lastIndexOf('|') + 1) : token;
      if (code) codes.push(code.trim());
    }
  }
  return codes;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
