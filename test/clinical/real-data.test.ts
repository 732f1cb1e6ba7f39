import fs from 'node:fs';
import path from 'node:path';
import { interpret } from '../../src/clinical/interpret.js';
import type { CaveatCode, EligibilityCode, Her2Category, ReceptorCategory, Subtype } from '../../src/clinical/types.js';
import { SHARED, schemaErrors } from './classify/helpers.js';

/**
 * Every file of ../shared/fhir-data read through interpret(), with the classification expected from
 * reading the file and GUIDELINES.md (not from running the code). Files that belong together (the CAP
 * eCC tree, the mCODE Jenny M set) are also read as one chart; the Synthea bundle holds 21 patients and
 * is read per patient (subject reference).
 */
const DATA = path.join(SHARED, 'fhir-data');

interface Expected {
  her2: Her2Category;
  er: ReceptorCategory;
  pr: ReceptorCategory;
  subtype: Subtype;
  eligibility?: EligibilityCode[];
  caveats?: CaveatCode[];
  absent?: CaveatCode[];
  unreadable?: number;
}

const none = (subtype: Subtype = 'undetermined'): Expected => ({ her2: 'unknown', er: 'unknown', pr: 'unknown', subtype });

const FILES: Record<string, Expected> = {
  // CAP eCC: parents carry no value; ER status "Cannot be determined"; HER2 answer "Negative (Score 0)" = IHC 0 silent on staining (H5b)
  'hl7-other/cancer-reporting/Observation-observation-special-studies-breast-biomarker.json': none(),
  'hl7-other/cancer-reporting/Observation-observation-special-studies-estrogen-receptor-status.json': { ...none(), er: 'indeterminate', caveats: ['indeterminate-result'] },
  'hl7-other/cancer-reporting/Observation-observation-special-studies-estrogen-receptor.json': none(),
  'hl7-other/cancer-reporting/Observation-observation-special-studies-her2.json': none(),
  'hl7-other/cancer-reporting/Observation-observation-special-studies-negative.json': { ...none(), her2: 'zero', eligibility: [] },
  // Genomics Reporting: "Present" (not a category) and a units/volume immunoassay (no ASCO/CAP mapping): never guessed
  'hl7-other/genomics-reporting/Observation-HER2byImmuneStainExample.json': { ...none(), caveats: ['unreadable-result', 'missing-her2'], unreadable: 1 },
  'hl7-other/genomics-reporting/Observation-HER2byImmunoassayExample.json': { ...none(), caveats: ['unreadable-result', 'missing-her2'], unreadable: 1 },
  // IPS: SNOMED 416053008 "Estrogen receptor positive tumor"
  'hl7-other/ips/Observation-pathology-cancer.json': { ...none(), er: 'positive', eligibility: ['endocrine'] },
  // mCODE Jenny M
  'mcode/DiagnosticReport-us-core-diagnosticreport-lab-jenny-m.json': none(),
  'mcode/Observation-tumor-marker-test-er-jenny-m.json': { ...none(), er: 'positive' },
  'mcode/Observation-tumor-marker-test-her2-jenny-m.json': { ...none(), her2: 'negative-unspecified' },
  'mcode/Observation-tumor-marker-test-pr-jenny-m.json': { ...none(), pr: 'negative' },
  // metastatic (secondary cancer Conditions), HER2 coded Negative without a score → re-review prompt
  'other/clinical-trial-matching-app/TrialMatching_Patient01.json': { her2: 'negative-unspecified', er: 'positive', pr: 'positive', subtype: 'HR+/HER2-', eligibility: ['endocrine'], caveats: ['her2-zero-rereview'] },
  'other/clinical-trial-matching-app/TrialMatching_Patient02.json': { her2: 'negative-unspecified', er: 'positive', pr: 'positive', subtype: 'HR+/HER2-', eligibility: ['endocrine'], caveats: ['her2-zero-rereview'] },
  // ER positive (2018) and negative (2022): highest wins + discordant
  'other/clinical-trial-matching-service/eom_patient_1.json': { her2: 'negative-unspecified', er: 'positive', pr: 'negative', subtype: 'HR+/HER2-', eligibility: ['endocrine'], caveats: ['discordant-results'] },
  // IHC 3+ (valueQuantity 3 + POS), FISH positive, ER ">= 10 %" coded positive, no PR
  'other/clinical-trial-matching-service/patient_data.json': { her2: 'positive', er: 'positive', pr: 'unknown', subtype: 'HR+/HER2+', eligibility: ['anti-her2', 'endocrine'], caveats: ['missing-pr', 'cardiac-monitoring'], absent: ['discordant-results'] },
  // wrong code 34566 in the LOINC system, but display, value 3 and POS say HER2 IHC 3+
  'other/clinical-trial-matching-service-breastcancertrials.org/patient_data.json': { ...none(), her2: 'positive', eligibility: ['anti-her2'], caveats: ['cardiac-monitoring', 'missing-er', 'missing-pr'] },
};

const SETS: Record<string, { files: string[]; expected: Expected }> = {
  'CAP eCC tree read together': {
    files: Object.keys(FILES).filter((f) => f.startsWith('hl7-other/cancer-reporting/')),
    expected: { her2: 'zero', er: 'indeterminate', pr: 'unknown', subtype: 'undetermined', eligibility: [], caveats: ['missing-pr', 'indeterminate-result'] },
  },
  'mCODE Jenny M read together': {
    files: Object.keys(FILES).filter((f) => f.startsWith('mcode/')),
    expected: { her2: 'negative-unspecified', er: 'positive', pr: 'negative', subtype: 'HR+/HER2-', eligibility: ['endocrine'] },
  },
};

// Synthea: IHC coded Pos/Neg + FISH ratio as text on the same day ("less than 1.8" / "greater than 2.2" / "greater than 1.8").
const P = (her2: Her2Category, er: ReceptorCategory, pr: ReceptorCategory, subtype: Subtype, caveats: CaveatCode[] = []): Expected => ({ her2, er, pr, subtype, caveats });
const SYNTHEA: Record<string, Expected> = {
  '0522e580-6775-49f5-b471-b39624280402': P('positive', 'negative', 'positive', 'HR+/HER2+', ['er-negative-pr-positive']),
  '13db4bb8-d1dc-4158-a820-d2d1b7084fc4': P('negative-unspecified', 'positive', 'negative', 'HR+/HER2-'),
  '1d996507-b0e3-4ef8-ab62-9db3bd808105': P('unknown', 'negative', 'unknown', 'undetermined', ['missing-her2', 'missing-pr']),
  '21a5c5d3-a090-450d-91c1-a9bf3f2902d1': P('negative-unspecified', 'negative', 'positive', 'HR+/HER2-', ['er-negative-pr-positive']),
  '28f36cfa-7696-4f73-ac4f-427e802199d9': P('negative-unspecified', 'negative', 'positive', 'HR+/HER2-', ['er-negative-pr-positive']),
  '2f76733b-933c-4cc5-aea2-53799158c8cc': P('negative-unspecified', 'positive', 'positive', 'HR+/HER2-'),
  '53f3587e-b9bf-473a-b36e-62f0e1946fa1': P('positive', 'positive', 'negative', 'HR+/HER2+'),
  '542a3d97-d840-4f63-9cc7-5110ce3f7e82': P('negative-unspecified', 'positive', 'positive', 'HR+/HER2-'),
  '59de0d88-e84d-4c2b-8c9b-12167eb03949': P('negative-unspecified', 'positive', 'negative', 'HR+/HER2-'),
  // IHC negative in July, FISH "less than 1.8" (no copy number) in October: not the same specimen, and a
  // ratio < 1.8 alone cannot exclude ISH groups 3–4 → equivocal, never negative (GUIDELINES §7 prohibition 4)
  '6d048a56-edb8-4f29-891d-7a84d75a8e78': P('equivocal', 'negative', 'negative', 'undetermined', ['indeterminate-result', 'discordant-results']),
  '71ba0469-f0cc-4177-ac70-ea07cb01c8b8': P('negative-unspecified', 'negative', 'positive', 'HR+/HER2-', ['er-negative-pr-positive']),
  '73f62bdf-9729-4005-ab16-b61d37573e2a': P('positive', 'positive', 'positive', 'HR+/HER2+'),
  '844d1c39-6ca2-48df-a3de-f9a12633f69c': P('negative-unspecified', 'negative', 'positive', 'HR+/HER2-', ['er-negative-pr-positive']),
  '86b97fc7-ae8f-4e0d-8e66-db68f36e7a76': P('negative-unspecified', 'negative', 'positive', 'HR+/HER2-', ['er-negative-pr-positive']),
  '8be62b06-5994-47fe-aad8-a27a02e054fa': P('positive', 'positive', 'negative', 'HR+/HER2+'),
  'a6028f3c-c013-44af-97ff-949dd2096ed3': P('negative-unspecified', 'negative', 'negative', 'triple-negative', ['her2-zero-rereview']),
  'bae73dce-20fa-4a6a-8e46-b2ed541f9296': P('negative-unspecified', 'negative', 'negative', 'triple-negative', ['her2-zero-rereview']),
  'cd1d1f54-e4ea-458e-a264-b3e9c57d902e': P('negative-unspecified', 'negative', 'positive', 'HR+/HER2-', ['er-negative-pr-positive']),
  'cdef53d5-0537-4073-8874-79fa5e0346e6': P('negative-unspecified', 'positive', 'positive', 'HR+/HER2-'),
  'eabfe6f1-0b13-43b2-9b6e-291363b2f856': P('negative-unspecified', 'positive', 'positive', 'HR+/HER2-'),
  'f1678bde-4814-4d71-bca9-18fdf5282232': P('negative-unspecified', 'negative', 'positive', 'HR+/HER2-', ['er-negative-pr-positive']),
};

const load = (f: string): unknown => JSON.parse(fs.readFileSync(path.join(DATA, f), 'utf8'));

function check(resources: unknown[], e: Expected): void {
  const i = interpret(resources);
  expect({ her2: i.her2.category, er: i.er.category, pr: i.pr.category, subtype: i.subtype }).toEqual({ her2: e.her2, er: e.er, pr: e.pr, subtype: e.subtype });
  if (e.eligibility) expect(i.eligibility).toEqual(e.eligibility);
  expect(i.caveats).toEqual(expect.arrayContaining(e.caveats ?? []));
  for (const c of e.absent ?? []) expect(i.caveats).not.toContain(c);
  if (e.unreadable !== undefined) expect(i.unreadable).toHaveLength(e.unreadable);
  expect(schemaErrors(i)).toEqual([]);
}

function jsonFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? jsonFiles(path.join(dir, d.name)) : d.name.endsWith('.json') ? [path.relative(DATA, path.join(dir, d.name))] : [],
  );
}

describe('real FHIR data in ../shared/fhir-data', () => {
  test('every file has an expected classification', () => {
    expect(jsonFiles(DATA).sort()).toEqual([...Object.keys(FILES), 'synthea/mcode-omop-synthea-breast-markers.bundle.json'].sort());
  });

  test.each(Object.entries(FILES))('%s', (file, expected) => check([load(file)], expected));

  test.each(Object.entries(SETS))('%s', (_name, set) => check(set.files.map(load), set.expected));

  const bundle = load('synthea/mcode-omop-synthea-breast-markers.bundle.json') as { entry: Array<{ resource: { subject?: { reference?: string } } }> };
  const byPatient = new Map<string, unknown[]>();
  for (const e of bundle.entry) {
    const id = (e.resource.subject?.reference ?? '').replace('Patient/', '');
    byPatient.set(id, [...(byPatient.get(id) ?? []), e.resource]);
  }
  test('the Synthea bundle holds the 21 expected patients', () => expect([...byPatient.keys()].sort()).toEqual(Object.keys(SYNTHEA).sort()));
  test.each(Object.entries(SYNTHEA))('synthea patient %s', (id, expected) => check(byPatient.get(id) ?? [], expected));
});
