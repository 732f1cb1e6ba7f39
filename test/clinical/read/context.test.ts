import { readResources, readResourcesWith } from '../../../src/clinical/read/index.js';
import type { RecognizedDrug } from '../../../src/clinical/drugs.js';

const SCT = 'http://snomed.info/sct';
const LOINC = 'http://loinc.org';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

const breast = { resourceType: 'Condition', id: 'bc', code: { coding: [{ system: SCT, code: '254837009' }] }, onsetDateTime: '2019-01-01' };
const liverMet = { resourceType: 'Condition', id: 'met', code: { coding: [{ system: SCT, code: '94381002', display: 'Secondary malignant neoplasm of liver' }] }, onsetDateTime: '2022-06-01' };
const med = (id: string, text: string, date: string, extra: Record<string, unknown> = {}) => ({
  resourceType: 'MedicationStatement', id, status: 'completed', medicationCodeableConcept: { text }, effectiveDateTime: date, ...extra,
});
/** A fixed recogniser: the context rules are tested independently of the drug table. */
const fake = (concept: { text?: string } | undefined): RecognizedDrug[] => {
  const t = concept?.text ?? '';
  if (t === 'chemo') return [{ family: 'chemotherapy', ingredient: 'x', matchedBy: 'name' }];
  if (t === 'endo') return [{ family: 'endocrine', ingredient: 'y', matchedBy: 'name' }];
  if (t === 'her2') return [{ family: 'anti-her2-antibody', ingredient: 'z', matchedBy: 'name' }];
  return [];
};

describe('clinical context', () => {
  test('breast cancer and metastasis from Condition codes, with the metastasis date', () => {
    const c = readResourcesWith([breast, liverMet], fake).context;
    expect(c).toMatchObject({ breastCancer: true, metastatic: true, metastaticDate: '2022-06-01' });
    expect(c.basis).toEqual(['Condition/bc', 'Condition/met']);
  });

  test.each([
    ['Condition.stage summary "Stage IV"', { resourceType: 'Condition', id: 'c', code: { text: 'Carcinoma of left breast' }, onsetDateTime: '2020-01-01', stage: [{ summary: { text: 'Stage IV' } }] }, true],
    ['AJCC code "4A" (synthea)', { resourceType: 'Condition', id: 'c', code: { text: 'breast cancer' }, stage: [{ summary: { coding: [{ system: 'http://cancerstaging.org', code: '4A' }] } }] }, true],
    ['Stage 3A is not metastatic', { resourceType: 'Condition', id: 'c', code: { text: 'breast cancer' }, stage: [{ summary: { coding: [{ system: SCT, code: '261638004', display: 'Stage 3A (qualifier value)' }] } }] }, false],
    ['cM1 staging Observation (LOINC 21907-1)', { resourceType: 'Observation', id: 'm', status: 'final', code: { coding: [{ system: LOINC, code: '21907-1' }] }, valueCodeableConcept: { text: 'cM1' } }, true],
    ['cM0 staging Observation', { resourceType: 'Observation', id: 'm', status: 'final', code: { coding: [{ system: LOINC, code: '21907-1' }] }, valueCodeableConcept: { text: 'cM0' } }, false],
    ['axillary lymph node secondary (regional) is not metastatic', { resourceType: 'Condition', id: 'n', code: { coding: [{ system: SCT, code: '94181007', display: 'Secondary malignant neoplasm of axillary lymph nodes (disorder)' }] } }, false],
    ['refuted metastasis is ignored', { ...liverMet, verificationStatus: { coding: [{ code: 'refuted' }] } }, false],
  ])('%s → metastatic %s', (_n, resource, metastatic) => {
    expect(readResourcesWith([resource], fake).context.metastatic).toBe(metastatic);
  });

  test('recurrence from clinicalStatus or wording, with its date', () => {
    const rec = { resourceType: 'Condition', id: 'r', code: { text: 'Local recurrence of breast cancer' }, onsetDateTime: '2024-02-02' };
    expect(readResourcesWith([rec], fake).context).toMatchObject({ recurrence: true, recurrenceDate: '2024-02-02' });
    const rel = { resourceType: 'Condition', id: 'r2', code: { text: 'Breast cancer' }, clinicalStatus: { coding: [{ code: 'relapse' }] } };
    expect(readResourcesWith([rel], fake).context.recurrence).toBe(true);
  });

  test('chemotherapy counts for the metastatic setting only on/after the metastasis date', () => {
    expect(readResourcesWith([breast, liverMet, med('m1', 'chemo', '2021-01-01')], fake).context.priorChemoMetastatic).toBe(false);
    expect(readResourcesWith([breast, liverMet, med('m2', 'chemo', '2022-07-01')], fake).context.priorChemoMetastatic).toBe(true);
  });

  test('chemotherapy given for the metastatic Condition counts even without a date', () => {
    const m = med('m3', 'chemo', 'x', { effectiveDateTime: undefined, reasonReference: [{ reference: 'Condition/met' }] });
    expect(readResourcesWith([liverMet, m], fake).context.priorChemoMetastatic).toBe(true);
  });

  test('chemotherapy with no date and no metastatic reason is not counted (setting unknown)', () => {
    const m = { resourceType: 'MedicationRequest', id: 'q', status: 'completed', medicationCodeableConcept: { text: 'chemo' } };
    expect(readResourcesWith([liverMet, m], fake).context.priorChemoMetastatic).toBe(false);
  });

  test('endocrine and anti-HER2 therapy in any setting; not-given statuses ignored', () => {
    const c = readResourcesWith([med('e', 'endo', '2015-01-01'), med('h', 'her2', '2016-01-01')], fake).context;
    expect(c).toMatchObject({ priorEndocrineTherapy: true, priorAntiHer2: true });
    const notTaken = readResourcesWith([med('e', 'endo', '2015-01-01', { status: 'not-taken' }), med('h', 'her2', '2016-01-01', { status: 'entered-in-error' })], fake).context;
    expect(notTaken).toMatchObject({ priorEndocrineTherapy: false, priorAntiHer2: false });
  });

  test('Medication resolved through medicationReference (contained)', () => {
    const admin = { resourceType: 'MedicationAdministration', id: 'a', status: 'completed', contained: [{ resourceType: 'Medication', id: 'med', code: { text: 'endo' } }], medicationReference: { reference: '#med' }, effectiveDateTime: '2020-01-01' };
    expect(readResourcesWith([admin], fake).context.priorEndocrineTherapy).toBe(true);
  });

  test('neoadjuvant therapy from wording on the therapy', () => {
    const m = med('n', 'chemo', '2020-01-01', { reasonCode: [{ text: 'Neoadjuvant treatment of breast cancer' }] });
    expect(readResourcesWith([m], fake).context.neoadjuvantTherapy).toBe(true);
  });

  test('pathological T/N beat clinical ones', () => {
    const obs = (id: string, code: string, value: string) => ({ resourceType: 'Observation', id, status: 'final', code: { coding: [{ system: LOINC, code }] }, valueCodeableConcept: { coding: [{ system: 'http://cancerstaging.org', code: value }] } });
    const c = readResourcesWith([obs('ct', '21905-5', 'cT2'), obs('pt', '21899-0', 'pT1b'), obs('cn', '21906-3', 'cN1'), obs('pn', '21900-6', 'pN0')], fake).context;
    expect(c).toMatchObject({ tumorCategory: 'T1b', nodalCategory: 'N0' });
  });

  test('a recogniser that throws does not break the reader', () => {
    const c = readResourcesWith([med('x', 'anything', '2020-01-01')], () => {
      throw new Error('boom');
    }).context;
    expect(c.priorEndocrineTherapy).toBe(false);
  });
});

describe('with the real drug recogniser (src/clinical/drugs.ts)', () => {
  test('TrialMatching_Patient02-style statements: fulvestrant/letrozole are endocrine, capecitabine after metastasis is chemo', () => {
    const rx = (id: string, code: string, display: string, date: string) => ({
      resourceType: 'MedicationStatement', id, status: 'completed', medicationCodeableConcept: { coding: [{ system: RXNORM, code, display }] }, effectiveDateTime: date,
    });
    const c = readResources([
      breast,
      liverMet,
      rx('f', '1156671', 'fulvestrant Injectable Product', '2022-07-01'),
      rx('cap', '1158877', 'capecitabine Oral Product', '2022-09-01'),
      med('t', 'Trastuzumab 150 MG Injection', '2019-03-01'),
    ]).context;
    expect(c).toMatchObject({ priorEndocrineTherapy: true, priorChemoMetastatic: true, priorAntiHer2: true });
  });

  test('paclitaxel before the metastasis date is not chemotherapy for metastatic disease', () => {
    const c = readResources([breast, liverMet, med('p', 'Paclitaxel 100 MG Injection', '2020-01-01')]).context;
    expect(c.priorChemoMetastatic).toBe(false);
    expect(c.priorEndocrineTherapy).toBe(false);
  });
});
