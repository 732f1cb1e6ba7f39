/** Every file in ../shared/fhir-data read, with the facts it must give (see that folder's README.md). */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { readResources } from '../../../src/clinical/read/index.js';
import type { ReadResult } from '../../../src/clinical/types.js';

const DATA = path.resolve(process.cwd(), '../shared/fhir-data');
if (!existsSync(DATA)) throw new Error(`Shared FHIR data not found at ${DATA}: run jest from the project root (/work/main) with ../shared present`);

function load(rel: string): unknown {
  return JSON.parse(readFileSync(path.join(DATA, rel), 'utf8'));
}
function read(...rels: string[]): ReadResult {
  return readResources(rels.map(load));
}
/** Compact view of the results: ref tail, marker, method, status, call and facts. */
function view(r: ReadResult): unknown[] {
  return r.results.map((x) => {
    const v: Record<string, unknown> = { id: x.ref.split('/').pop(), marker: x.marker, method: x.method, status: x.status };
    if (x.labCall) v.labCall = x.labCall;
    if (x.her2) v.her2 = x.her2;
    if (x.receptor) v.receptor = x.receptor;
    if (x.unreadable) v.unreadable = x.unreadable;
    if (x.effectiveDate) v.date = x.effectiveDate;
    return v;
  });
}

function allJsonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return allJsonFiles(full);
    return name.endsWith('.json') ? [path.relative(DATA, full)] : [];
  });
}

const EXPECTED_FILES = [
  'hl7-other/cancer-reporting/Observation-observation-special-studies-breast-biomarker.json',
  'hl7-other/cancer-reporting/Observation-observation-special-studies-estrogen-receptor-status.json',
  'hl7-other/cancer-reporting/Observation-observation-special-studies-estrogen-receptor.json',
  'hl7-other/cancer-reporting/Observation-observation-special-studies-her2.json',
  'hl7-other/cancer-reporting/Observation-observation-special-studies-negative.json',
  'hl7-other/genomics-reporting/Observation-HER2byImmunoassayExample.json',
  'hl7-other/genomics-reporting/Observation-HER2byImmuneStainExample.json',
  'hl7-other/ips/Observation-pathology-cancer.json',
  'mcode/DiagnosticReport-us-core-diagnosticreport-lab-jenny-m.json',
  'mcode/Observation-tumor-marker-test-er-jenny-m.json',
  'mcode/Observation-tumor-marker-test-her2-jenny-m.json',
  'mcode/Observation-tumor-marker-test-pr-jenny-m.json',
  'other/clinical-trial-matching-app/TrialMatching_Patient01.json',
  'other/clinical-trial-matching-app/TrialMatching_Patient02.json',
  'other/clinical-trial-matching-service-breastcancertrials.org/patient_data.json',
  'other/clinical-trial-matching-service/eom_patient_1.json',
  'other/clinical-trial-matching-service/patient_data.json',
  'synthea/mcode-omop-synthea-breast-markers.bundle.json',
];

test('every JSON file of the shared data is covered by a test below', () => {
  expect(allJsonFiles(DATA).sort()).toEqual([...EXPECTED_FILES].sort());
});

describe('mcode (mCODE IG example, Jenny M)', () => {
  test('three markers, read one file at a time', () => {
    expect(view(read('mcode/Observation-tumor-marker-test-er-jenny-m.json'))).toEqual([
      { id: 'tumor-marker-test-er-jenny-m', marker: 'er', method: 'ihc', status: 'valid', labCall: 'positive', date: '2018-03-10' },
    ]);
    expect(view(read('mcode/Observation-tumor-marker-test-pr-jenny-m.json'))).toEqual([
      { id: 'tumor-marker-test-pr-jenny-m', marker: 'pr', method: 'ihc', status: 'valid', labCall: 'negative', date: '2018-03-10' },
    ]);
    expect(view(read('mcode/Observation-tumor-marker-test-her2-jenny-m.json'))).toEqual([
      { id: 'tumor-marker-test-her2-jenny-m', marker: 'her2', method: 'unspecified', status: 'valid', labCall: 'negative', date: '2018-03-10' },
    ]);
  });

  test('the DiagnosticReport alone gives nothing and does not fail on its dangling references', () => {
    const r = read('mcode/DiagnosticReport-us-core-diagnosticreport-lab-jenny-m.json');
    expect(r.results).toEqual([]);
    expect(r.unreadable).toEqual([]);
    expect(r.observationCount).toBe(0);
  });

  test('with the DiagnosticReport, the three results share its specimen (ISH/IHC pairing key)', () => {
    const r = read(
      'mcode/DiagnosticReport-us-core-diagnosticreport-lab-jenny-m.json',
      'mcode/Observation-tumor-marker-test-er-jenny-m.json',
      'mcode/Observation-tumor-marker-test-pr-jenny-m.json',
      'mcode/Observation-tumor-marker-test-her2-jenny-m.json',
    );
    expect(r.results.map((x) => x.specimenKey)).toEqual(Array(3).fill('Specimen/tumor-specimen-left-breast-jenny-m'));
    expect(r.results.map((x) => x.effectiveDate)).toEqual(Array(3).fill('2018-03-10')); // own date kept
  });
});

describe('hl7-other/cancer-reporting (CAP eCC tree)', () => {
  const dir = 'hl7-other/cancer-reporting/';
  test('the HER2 IHC answer "Negative (Score 0)"', () => {
    expect(view(read(`${dir}Observation-observation-special-studies-negative.json`))).toEqual([
      { id: 'observation-special-studies-negative', marker: 'her2', method: 'ihc', status: 'valid', labCall: 'negative', her2: { ihcScore: '0' }, date: '2025-03-18' },
    ]);
  });
  test('the ER status "Cannot be determined (indeterminate)" is a failed result', () => {
    expect(view(read(`${dir}Observation-observation-special-studies-estrogen-receptor-status.json`))).toEqual([
      { id: 'observation-special-studies-estrogen-receptor-status', marker: 'er', method: 'unspecified', status: 'failed', labCall: 'indeterminate', date: '2025-03-18' },
    ]);
  });
  test.each([
    'Observation-observation-special-studies-breast-biomarker.json',
    'Observation-observation-special-studies-her2.json',
    'Observation-observation-special-studies-estrogen-receptor.json',
  ])('question/parent %s gives no result and is not unreadable (its members carry the answer)', (file) => {
    const r = read(dir + file);
    expect(r.results).toEqual([]);
    expect(r.unreadable).toEqual([]);
    expect(r.observationCount).toBe(1);
  });
  test('the whole tree together: one HER2 and one ER result', () => {
    const r = readResources(readdirSync(path.join(DATA, dir)).filter((f) => f.endsWith('.json')).map((f) => load(dir + f)));
    expect(r.results.map((x) => [x.marker, x.status, x.labCall, x.her2?.ihcScore])).toEqual(
      expect.arrayContaining([
        ['her2', 'valid', 'negative', '0'],
        ['er', 'failed', 'indeterminate', undefined],
      ]),
    );
    expect(r.results).toHaveLength(2);
    expect(r.observationCount).toBe(5);
  });
});

describe('hl7-other/genomics-reporting and ips', () => {
  test('HER2 immune stain "Present": unreadable, never positive', () => {
    const r = read('hl7-other/genomics-reporting/Observation-HER2byImmuneStainExample.json');
    expect(view(r)).toEqual([
      { id: 'HER2byImmuneStainExample', marker: 'her2', method: 'ihc', status: 'valid', unreadable: '"Present" does not give a HER2 category (1+ staining is also present)', date: '2019-04-01' },
    ]);
    expect(r.unreadable).toHaveLength(1);
  });
  test('HER2 by immunoassay 20 IU/mL: unreadable (no ASCO/CAP mapping)', () => {
    expect(view(read('hl7-other/genomics-reporting/Observation-HER2byImmunoassayExample.json'))).toEqual([
      { id: 'HER2byImmunoassayExample', marker: 'her2', method: 'unspecified', status: 'valid', unreadable: 'quantitative assay (units/volume or ligand binding): no ASCO/CAP mapping', date: '2019-04-01' },
    ]);
  });
  test('IPS ER interpretation with the SNOMED finding 416053008', () => {
    expect(view(read('hl7-other/ips/Observation-pathology-cancer.json'))).toEqual([
      { id: 'pathology-cancer', marker: 'er', method: 'unspecified', status: 'valid', labCall: 'positive', date: '2020-04-22T19:20:00+02:00' },
    ]);
  });
});

describe('other/ (trial-matching fixtures)', () => {
  test('TrialMatching_Patient01: ER+, PR+, HER2−; stage IV with liver and bone metastases; fulvestrant', () => {
    const r = read('other/clinical-trial-matching-app/TrialMatching_Patient01.json');
    expect(r.results.map((x) => [x.marker, x.labCall])).toEqual([
      ['er', 'positive'],
      ['pr', 'positive'],
      ['her2', 'negative'],
    ]);
    expect(r.observationCount).toBe(8);
    expect(r.context).toMatchObject({ breastCancer: true, metastatic: true, recurrence: false, neoadjuvantTherapy: false });
    expect(r.context.basis).toEqual(expect.arrayContaining(['Condition/mCODETrialMatchingSecondaryCancerCondition02PatientExample01']));
    // The axillary-node Condition (94181007) is regional, not distant: it is not part of the basis.
    expect(r.context.basis).not.toContain('Condition/mCODETrialMatchingSecondaryCancerConditionPatientExample01');
  });

  test('TrialMatching_Patient02: same markers; stage IV; bone metastasis', () => {
    const r = read('other/clinical-trial-matching-app/TrialMatching_Patient02.json');
    expect(r.results.map((x) => [x.marker, x.labCall])).toEqual([
      ['er', 'positive'],
      ['pr', 'positive'],
      ['her2', 'negative'],
    ]);
    expect(r.unreadable).toEqual([]); // CCND1/FGFR1/MDM2 amplifications are not ERBB2
    expect(r.context).toMatchObject({ breastCancer: true, metastatic: true });
  });

  test('breastcancertrials.org: invalid LOINC 34566 with a HER2 display, CC + valueQuantity 3 + POS', () => {
    const r = read('other/clinical-trial-matching-service-breastcancertrials.org/patient_data.json');
    expect(view(r)).toEqual([
      { id: '95d74cb0-15d5-44dd-a289-b622bfed80be', marker: 'her2', method: 'ihc', status: 'valid', labCall: 'positive', her2: { ihcScore: '3+' }, date: '2017-07-21T23:41:09-04:00' },
    ]);
    expect(r.context).toMatchObject({ breastCancer: true, metastatic: false });
  });

  test('clinical-trial-matching-service patient_data: HER2 IHC 3+, FISH positive (valueRatio not used), ER positive >= 10 %', () => {
    const r = read('other/clinical-trial-matching-service/patient_data.json');
    expect(view(r)).toEqual([
      { id: '95d74cb0-15d5-44dd-a289-b622bfed80be', marker: 'her2', method: 'ihc', status: 'valid', labCall: 'positive', her2: { ihcScore: '3+' }, date: '2017-07-21T23:41:09-04:00' },
      { id: '79930cdd-7eb4-44e3-8e5e-f45892813d04', marker: 'her2', method: 'ish', status: 'valid', labCall: 'positive', date: '2017-07-21T23:41:09-04:00' },
      { id: '576e8b5e-4f9e-418c-842b-f86d6e7ce795', marker: 'er', method: 'ihc', status: 'valid', labCall: 'positive', receptor: { percent: { value: 10, comparator: '>=' } }, date: '2017-07-21T23:41:09-04:00' },
    ]);
    // A Condition coded 128462008 "Secondary malignant neoplastic disease" (2017-07-21) → metastatic.
    expect(r.context).toMatchObject({ breastCancer: true, metastatic: true, metastaticDate: '2017-07-21T23:41:09-04:00' });
  });

  test('eom_patient_1: two encodings of the same tests; stage group "4" (21908-9); cT3 cN3', () => {
    const r = read('other/clinical-trial-matching-service/eom_patient_1.json');
    expect(r.results.map((x) => [x.ref.split('/').pop(), x.marker, x.labCall])).toEqual([
      ['tumor-marker-test-her2-jenny-m', 'her2', 'negative'],
      ['tumor-marker-test-er-jenny-m', 'er', 'positive'],
      ['tumor-marker-test-pr-jenny-m', 'pr', 'negative'],
      ['observation-id-3', 'er', 'negative'],
      ['observation-id-4', 'pr', 'negative'],
      ['observation-id-5', 'her2', 'negative'],
    ]);
    expect(r.context).toMatchObject({ breastCancer: true, metastatic: true, metastaticDate: '2022-01-02', tumorCategory: 'T3', nodalCategory: 'N3' });
  });
});

describe('synthea (21 patients in one collection Bundle)', () => {
  const r = read('synthea/mcode-omop-synthea-breast-markers.bundle.json');
  test('every one of the 85 biomarker Observations is read (81 results + 4 combined ER+PR), none unreadable', () => {
    expect(r.observationCount).toBe(85);
    expect(r.results).toHaveLength(81);
    expect(r.combined).toHaveLength(4);
    expect(r.unreadable).toEqual([]);
  });
  test('counts per marker match the README (ER 21, PR 20, HER2 20 IHC + 20 FISH)', () => {
    const count = (pred: (x: (typeof r.results)[number]) => boolean) => r.results.filter(pred).length;
    expect(count((x) => x.marker === 'er')).toBe(21);
    expect(count((x) => x.marker === 'pr')).toBe(20);
    expect(count((x) => x.marker === 'her2' && x.method === 'ihc')).toBe(20);
    expect(count((x) => x.marker === 'her2' && x.method === 'ish')).toBe(20);
  });
  test('FISH valueStrings become ratios with comparators, never categories', () => {
    const fish = r.results.filter((x) => x.method === 'ish');
    expect(fish.every((x) => x.labCall === undefined)).toBe(true);
    const ratios = fish.map((x) => `${x.her2?.ishRatio?.comparator}${x.her2?.ishRatio?.value}`);
    expect(ratios.filter((s) => s === '<1.8')).toHaveLength(16);
    expect(ratios.filter((s) => s === '>2.2')).toHaveLength(3);
    expect(ratios.filter((s) => s === '>1.8')).toHaveLength(1);
  });
  test('combined ER+PR: 3 positive, 1 negative', () => {
    expect(r.combined.map((x) => x.labCall).sort()).toEqual(['negative', 'positive', 'positive', 'positive']);
  });
  test('stage IV ("4A"/"IVA") Conditions make the context metastatic', () => {
    expect(r.context).toMatchObject({ breastCancer: true, metastatic: true, metastaticDate: '1967-08-23' });
  });
  test('one patient of the Bundle read alone: stage IA, not metastatic', () => {
    const bundle = load('synthea/mcode-omop-synthea-breast-markers.bundle.json') as { entry: Array<{ resource: { subject?: { reference?: string } } }> };
    const patient = 'Patient/0522e580-6775-49f5-b471-b39624280402';
    const one = readResources(bundle.entry.filter((e) => e.resource.subject?.reference === patient).map((e) => e.resource));
    expect(one.context).toMatchObject({ breastCancer: true, metastatic: false });
    expect(one.results.map((x) => [x.marker, x.method, x.labCall ?? x.her2?.ishRatio])).toEqual(
      expect.arrayContaining([
        ['her2', 'ihc', 'positive'],
        ['her2', 'ish', { value: 1.8, comparator: '>' }],
        ['er', 'ihc', 'negative'],
        ['pr', 'ihc', 'positive'],
      ]),
    );
  });
});
