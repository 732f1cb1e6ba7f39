import { readResources } from '../../../src/clinical/read/index.js';
import type { BiomarkerResult } from '../../../src/clinical/types.js';

const LOINC = 'http://loinc.org';
const SCT = 'http://snomed.info/sct';
const V3 = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

let n = 0;
/** A final Observation with the given codings and members. */
function obs(codes: Array<[string, string, string?]> | { text: string }, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const code = Array.isArray(codes) ? { coding: codes.map(([system, c, display]) => ({ system, code: c, display })) } : codes;
  return { resourceType: 'Observation', id: `o${++n}`, status: 'final', code, effectiveDateTime: '2024-05-01', ...extra };
}
const cc = (system: string, code: string, display?: string) => ({ coding: [{ system, code, display }] });

function only(resources: unknown[]): BiomarkerResult {
  const r = readResources(resources);
  expect(r.results).toHaveLength(1);
  return r.results[0]!;
}

type Row = [variant: string, seenIn: string, resource: Record<string, unknown>, expected: Partial<BiomarkerResult>];

const rows: Row[] = [
  ['ER 85337-4 + SNOMED Positive', 'synthea', obs([[LOINC, '85337-4']], { valueCodeableConcept: cc(SCT, '10828004') }), { marker: 'er', method: 'ihc', labCall: 'positive', status: 'valid' }],
  ['ER 40556-3 + SNOMED Positive', 'ctm-app', obs([[LOINC, '40556-3']], { valueCodeableConcept: cc(SCT, '10828004') }), { marker: 'er', labCall: 'positive' }],
  ['ER 16112-5 + SNOMED 416053008 finding', 'ips', obs([[LOINC, '16112-5']], { valueCodeableConcept: cc(SCT, '416053008') }), { marker: 'er', labCall: 'positive' }],
  ['PR 85339-0 + LOINC LA6577-6', 'mcode', obs([[LOINC, '85339-0']], { valueCodeableConcept: cc(LOINC, 'LA6577-6') }), { marker: 'pr', labCall: 'negative' }],
  ['PR 40557-1 + LOINC LA6576-8', 'lab variant', obs([[LOINC, '40557-1']], { valueCodeableConcept: cc(LOINC, 'LA6576-8') }), { marker: 'pr', labCall: 'positive' }],
  ['ER "Present" (LA9633-4) is positive', 'genomics-reporting answer on ER', obs([[LOINC, '85337-4']], { valueCodeableConcept: cc(LOINC, 'LA9633-4', 'Present') }), { labCall: 'positive' }],
  ['HER2 48676-1 first, 85319-2 second coding + 3 + POS', 'ctms patient_data', obs([[LOINC, '48676-1'], [LOINC, '85319-2']], { valueCodeableConcept: cc(SCT, '10828004'), valueQuantity: { value: 3 }, interpretation: [cc(V3, 'POS')] }), { marker: 'her2', method: 'ihc', labCall: 'positive', her2: { ihcScore: '3+' } }],
  ['HER2 48676-1 + 85318-4 = ISH', 'ctms patient_data', obs([[LOINC, '48676-1'], [LOINC, '85318-4']], { valueCodeableConcept: cc(SCT, '10828004') }), { method: 'ish', labCall: 'positive' }],
  ['HER2 invalid LOINC 34566 with HER2 display', 'breastcancertrials.org', obs([[LOINC, '34566', 'HER2 [Presence] in Breast cancer specimen by Immune stain']], { valueCodeableConcept: cc(SCT, '260385009') }), { marker: 'her2', method: 'ihc', labCall: 'negative' }],
  ['CAP eCC http spelling', 'cancer-reporting', obs([['http://cap.org/eCC', '52399.100004300', 'HER2 (by immunohistochemistry)']], { valueCodeableConcept: cc('http://cap.org/eCC', '40505.100004300', 'Negative (Score 0)') }), { marker: 'her2', method: 'ihc', labCall: 'negative', her2: { ihcScore: '0' } }],
  ['CAP eCC https spelling', 'cancer-reporting', obs([['https://cap.org/eCC', '52399.100004300', 'HER2 (by immunohistochemistry)']], { valueCodeableConcept: cc('https://cap.org/eCC', '40505.100004300', 'Negative (Score 0)') }), { marker: 'her2', labCall: 'negative', her2: { ihcScore: '0' } }],
  ['CAP eCC code without display (table)', 'cancer-reporting codes', obs([['https://cap.org/eCC', '79483']], { valueString: 'Score 1+' }), { marker: 'her2', method: 'ihc', her2: { ihcScore: '1+' } }],
  ['SNOMED HER2 ultralow finding', 'CODES.md §2', obs([[LOINC, '85319-2']], { valueCodeableConcept: cc(SCT, '1381318009') }), { labCall: 'ultralow' }],
  ['unknown answer code with display "Negative"', 'lab variant', obs([[LOINC, '85339-0']], { valueCodeableConcept: cc('urn:local', 'N', 'Negative') }), { labCall: 'negative' }],
  ['interpretation only (v3 NEG)', 'README variant 7', obs([[LOINC, '85319-2']], { interpretation: [cc(V3, 'NEG')] }), { labCall: 'negative' }],
  ['interpretation text', 'lab variant', obs([[LOINC, '85319-2']], { interpretation: [{ text: 'Positive (3+)' }] }), { labCall: 'positive', her2: { ihcScore: '3+' } }],
  ['interpretation range flag "Low" is not HER2-low', 'v3 H/L flags', obs([[LOINC, '85319-2']], { valueString: '1+', interpretation: [cc(V3, 'L', 'Low')] }), { her2: { ihcScore: '1+' } }],
  ['valueString free text', 'issue 5', obs([[LOINC, '85319-2']], { valueString: 'IHC 0 with faint incomplete membrane staining in 5% of cells' }), { her2: { ihcScore: '0-with-staining', stainingPattern: 'faint-incomplete', stainingPercent: { value: 5 } } }],
  ['Synthea FISH "less than 1.8"', 'synthea', obs([[LOINC, '85318-4']], { valueString: 'less than 1.8' }), { method: 'ish', her2: { ishRatio: { value: 1.8, comparator: '<' }, ishProbe: 'dual' } }],
  ['Synthea FISH "greater than 2.2"', 'synthea', obs([[LOINC, '85318-4']], { valueString: 'greater than 2.2' }), { her2: { ishRatio: { value: 2.2, comparator: '>' }, ishProbe: 'dual' } }],
  ['ER CC + valueQuantity >= 10 %', 'ctms patient_data', obs([[LOINC, '85337-4']], { valueCodeableConcept: cc(SCT, '10828004'), valueQuantity: { value: 10, comparator: '>=', unit: '%' } }), { labCall: 'positive', receptor: { percent: { value: 10, comparator: '>=' } } }],
  ['ER percent code 85329-1, no unit', 'CODES.md §2', obs([[LOINC, '85329-1']], { valueQuantity: { value: 0.5 } }), { marker: 'er', receptor: { percent: { value: 0.5 } } }],
  ['PR percent code 85325-9 with %', 'CODES.md §2', obs([[LOINC, '85325-9']], { valueQuantity: { value: 1, unit: '%', system: 'http://unitsofmeasure.org', code: '%' } }), { marker: 'pr', receptor: { percent: { value: 1 } } }],
  ['ER percent as valueRange 1-5', 'N5', obs([[LOINC, '85329-1']], { valueRange: { low: { value: 1 }, high: { value: 5 } } }), { receptor: { percent: { low: 1, high: 5 } } }],
  ['ER intensity code 85310-1 gives intensity only', 'CODES.md §2', obs([[LOINC, '85310-1']], { valueCodeableConcept: { text: 'Strong' } }), { receptor: { intensity: 'strong' }, labCall: undefined }],
  ['ER with Allred component', 'lab variant', obs([[LOINC, '85337-4']], { valueCodeableConcept: cc(SCT, '10828004'), component: [{ code: { text: 'Allred score' }, valueInteger: 7 }] }), { labCall: 'positive', receptor: { allred: { total: 7 } } }],
  ['ER H-score in valueString', 'lab variant', obs([[LOINC, '85337-4']], { valueString: 'H-score 150' }), { receptor: { hScore: 150 } }],
  ['ISH components: ratio, HER2 and CEP17 per cell', 'CODES.md §2 (49683-6, 74860-8, 74861-6)', obs([[LOINC, '85318-4']], { component: [
    { code: cc(LOINC, '49683-6'), valueQuantity: { value: 1.6 } },
    { code: cc(LOINC, '74860-8'), valueQuantity: { value: 3.1, unit: '/nucleus' } },
    { code: cc(LOINC, '74861-6'), valueQuantity: { value: 1.9 } },
  ] }), { method: 'ish', her2: { ishRatio: { value: 1.6 }, her2CopiesPerCell: { value: 3.1 }, cep17CopiesPerCell: { value: 1.9 }, ishProbe: 'dual' } }],
  ['HER2 text code (local code)', 'lab variant', obs({ text: 'HER2 IHC' }, { valueString: 'Score 2+ (equivocal)' }), { marker: 'her2', method: 'ihc', labCall: 'equivocal', her2: { ihcScore: '2+' } }],
  ['no-value Observation with the result in code.text', 'lab variant', obs({ text: 'HER2 IHC: Positive (3+)' }), { labCall: 'positive', her2: { ihcScore: '3+' } }],
  ['note adds facts', 'lab variant', obs([[LOINC, '85337-4']], { valueCodeableConcept: cc(SCT, '10828004'), note: [{ text: 'ER: 95% of tumour cells, strong' }] }), { labCall: 'positive', receptor: { percent: { value: 95 }, intensity: 'strong' } }],
  ['ratio valueRatio with denominator 1', 'lab variant', obs([[LOINC, '49683-6']], { valueRatio: { numerator: { value: 2.3 }, denominator: { value: 1 } } }), { her2: { ishRatio: { value: 2.3 }, ishProbe: 'dual' } }],
  ['heterogeneity note', 'T6', obs([[LOINC, '85318-4']], { valueString: 'ratio 2.4, heterogeneous amplification' }), { her2: { ishRatio: { value: 2.4 }, heterogeneous: true, ishProbe: 'dual' } }],
];

describe('encodings read by the FHIR reader (one row per variant)', () => {
  test.each(rows)('%s (seen in %s)', (_variant, _seen, resource, expected) => {
    const result = only([resource]);
    for (const [key, value] of Object.entries(expected)) expect(result[key as keyof BiomarkerResult]).toEqual(value);
    expect(result.unreadable).toBeUndefined();
  });
});

describe('status', () => {
  test.each([
    ['final', 'valid'],
    ['amended', 'valid'],
    ['corrected', 'valid'],
    ['preliminary', 'pending'],
    ['registered', 'pending'],
    ['unknown', 'pending'],
  ])('%s → %s', (status, expected) => {
    expect(only([obs([[LOINC, '85337-4']], { status, valueCodeableConcept: cc(SCT, '10828004') })]).status).toBe(expected);
  });

  test.each(['cancelled', 'entered-in-error'])('%s is dropped', (status) => {
    const r = readResources([obs([[LOINC, '85337-4']], { status, valueCodeableConcept: cc(SCT, '10828004') })]);
    expect(r.results).toEqual([]);
    expect(r.observationCount).toBe(1);
  });

  test('missing status is pending (never used)', () => {
    const o = obs([[LOINC, '85337-4']], { valueCodeableConcept: cc(SCT, '10828004') });
    delete o.status;
    expect(only([o]).status).toBe('pending');
  });

  test('dataAbsentReason gives failed / indeterminate', () => {
    const r = only([obs([[LOINC, '85319-2']], { dataAbsentReason: { text: 'Specimen unsatisfactory' } })]);
    expect(r).toMatchObject({ status: 'failed', labCall: 'indeterminate' });
  });

  test('a "not evaluable" value gives failed', () => {
    expect(only([obs([[LOINC, '85319-2']], { valueString: 'Not evaluable (failed controls)' })])).toMatchObject({ status: 'failed', labCall: 'indeterminate' });
  });

  test('v3 IND interpretation gives failed', () => {
    expect(only([obs([[LOINC, '85337-4']], { interpretation: [cc(V3, 'IND')] })]).status).toBe('failed');
  });
});

describe('what is not read or not guessed', () => {
  test.each([
    ['32996-1'],
    ['42914-2'],
    ['51981-9'],
  ])('serum HER2 %s is ignored (not a tissue status)', (code) => {
    const r = readResources([obs([[LOINC, code]], { valueQuantity: { value: 20, unit: 'ng/mL' } })]);
    expect(r.results).toEqual([]);
    expect(r.unreadable).toEqual([]);
  });

  test('HER2 "Present" is unreadable, not positive', () => {
    const r = readResources([obs([[LOINC, '18474-7']], { valueCodeableConcept: cc(LOINC, 'LA9633-4', 'Present') })]);
    expect(r.results[0]).toMatchObject({ marker: 'her2', unreadable: expect.stringContaining('Present') });
    expect(r.results[0]?.labCall).toBeUndefined();
    expect(r.unreadable).toHaveLength(1);
  });

  test('text about a marker that matches no pattern is unreadable with a reason', () => {
    const r = readResources([obs([[LOINC, '85319-2']], { valueString: 'see scanned report' })]);
    expect(r.results[0]?.unreadable).toBe('text not understood');
    expect(r.unreadable).toEqual([{ ref: r.results[0]?.ref, reason: 'text not understood' }]);
  });

  test('coded call and interpretation that contradict each other → unreadable', () => {
    const r = readResources([obs([[LOINC, '85319-2']], { valueCodeableConcept: cc(SCT, '10828004'), interpretation: [cc(V3, 'NEG')] })]);
    expect(r.results[0]?.unreadable).toMatch(/contradictory lab calls/);
    expect(r.results[0]?.labCall).toBeUndefined();
  });

  test('two different IHC scores from two sources → unreadable', () => {
    const r = readResources([obs([[LOINC, '85319-2']], { valueQuantity: { value: 3 }, valueString: '2+' })]);
    expect(r.results[0]?.unreadable).toMatch(/contradictory values/);
  });

  test('call and numbers are both kept, even when they disagree (the classifier flags it)', () => {
    const r = only([obs([[LOINC, '85319-2']], { valueCodeableConcept: cc(SCT, '260385009'), valueQuantity: { value: 3 } })]);
    expect(r).toMatchObject({ labCall: 'negative', her2: { ihcScore: '3+' } });
  });

  test('a unitless number on an ER result is unreadable (percent, Allred or H-score?)', () => {
    expect(only([obs([[LOINC, '85337-4']], { valueQuantity: { value: 7 } })]).unreadable).toMatch(/percentage, an Allred/);
  });

  test('quantitative immunoassay 72382-5 is unreadable', () => {
    expect(only([obs([[LOINC, '72382-5']], { valueQuantity: { value: 20, unit: 'IU/mL' } })]).unreadable).toMatch(/quantitative/);
  });

  test('valueRatio 1:100 is not read as a HER2/CEP17 ratio', () => {
    expect(only([obs([[LOINC, '85318-4']], { valueRatio: { numerator: { value: 1 }, denominator: { value: 100 } } })]).unreadable).toMatch(/ratio/);
  });

  test('ERBB2 amplification by sequencing is listed as unreadable, not as a HER2 result', () => {
    const r = readResources([obs([[LOINC, '69548-6']], { valueCodeableConcept: cc(LOINC, 'LA9633-4'), component: [{ code: cc(LOINC, '48018-6'), valueCodeableConcept: cc('http://www.genenames.org/geneId', 'HGNC:3430', 'ERBB2') }] })]);
    expect(r.results).toEqual([]);
    expect(r.unreadable[0]?.reason).toMatch(/sequencing/);
  });

  test('ESR1 gene variants are not ER results', () => {
    const r = readResources([obs({ text: 'ESR1 mutation' }, { valueString: 'detected' })]);
    expect(r.results).toEqual([]);
  });
});

describe('combined and multi-marker Observations', () => {
  test('10480-2 ER+PR gives a combined result', () => {
    const r = readResources([obs([[LOINC, '10480-2']], { valueCodeableConcept: cc(SCT, '10828004') })]);
    expect(r.results).toEqual([]);
    expect(r.combined).toEqual([{ ref: expect.stringMatching(/^Observation\//), status: 'valid', effectiveDate: '2024-05-01', labCall: 'positive' }]);
  });

  test('one Observation "ER/PR" with both values in text gives two results with the same ref', () => {
    const r = readResources([obs({ text: 'ER/PR' }, { valueString: 'ER positive (90%), PR negative (<1%)' })]);
    expect(r.results.map((x) => [x.marker, x.labCall, x.receptor?.percent])).toEqual([
      ['er', 'positive', { value: 90 }],
      ['pr', 'negative', { value: 1, comparator: '<' }],
    ]);
    expect(r.results[0]?.ref).toBe(r.results[1]?.ref);
  });
});

describe('panels, trees and references', () => {
  const panel = { resourceType: 'Observation', id: 'fish-panel', status: 'final', code: cc(LOINC, '74885-5'), effectiveDateTime: '2024-05-02', specimen: { reference: 'Specimen/blockA' }, hasMember: [{ reference: 'Observation/ratio' }, { reference: 'Observation/copies' }, { reference: 'Observation/cep17' }, { reference: 'Observation/missing' }] };
  const ratio = { resourceType: 'Observation', id: 'ratio', status: 'final', code: cc(LOINC, '49683-6'), valueQuantity: { value: 1.6 } };
  const copies = { resourceType: 'Observation', id: 'copies', status: 'final', code: cc(LOINC, '74860-8'), valueQuantity: { value: 6.2, unit: 'signals/cell' } };
  const cep17 = { resourceType: 'Observation', id: 'cep17', status: 'final', code: cc(LOINC, '74861-6'), valueQuantity: { value: 3.9 } };

  test('74885-5 panel with hasMember → ONE her2 result with the panel ref and specimen', () => {
    const r = readResources([{ resourceType: 'Bundle', type: 'searchset', entry: [panel, ratio, copies, cep17].map((resource) => ({ resource })) }]);
    expect(r.results).toEqual([
      {
        ref: 'Observation/fish-panel',
        marker: 'her2',
        method: 'ish',
        status: 'valid',
        specimen: 'unspecified',
        specimenKey: 'Specimen/blockA',
        effectiveDate: '2024-05-02',
        her2: { ishRatio: { value: 1.6 }, her2CopiesPerCell: { value: 6.2 }, cep17CopiesPerCell: { value: 3.9 }, ishProbe: 'dual' },
      },
    ]);
  });

  test('a preliminary panel member makes the panel pending', () => {
    const r = readResources([panel, ratio, { ...copies, status: 'preliminary' }, cep17]);
    expect(r.results[0]?.status).toBe('pending');
  });

  test('standalone ISH parts on the same specimen and date are grouped; IHC on that specimen stays separate', () => {
    const spec = { specimen: { reference: 'Specimen/s1' }, effectiveDateTime: '2024-01-01' };
    const r = readResources([
      { ...ratio, ...spec },
      { ...copies, ...spec },
      { resourceType: 'Observation', id: 'ihc', status: 'final', code: cc(LOINC, '85319-2'), valueString: '2+', ...spec },
    ]);
    expect(r.results).toHaveLength(2);
    expect(r.results.find((x) => x.method === 'ish')?.her2).toMatchObject({ ishRatio: { value: 1.6 }, her2CopiesPerCell: { value: 6.2 } });
    expect(r.results.find((x) => x.method === 'ihc')).toMatchObject({ specimenKey: 'Specimen/s1', her2: { ihcScore: '2+' } });
  });

  test('DiagnosticReport.result gives specimen and date to Observations that lack them; dangling references are fine', () => {
    const dr = { resourceType: 'DiagnosticReport', id: 'dr', status: 'final', effectiveDateTime: '2023-02-02', specimen: [{ reference: 'Specimen/liver' }], result: [{ reference: 'Observation/er1' }, { reference: 'Observation/not-here' }] };
    const liver = { resourceType: 'Specimen', id: 'liver', type: { text: 'Liver core biopsy' }, accessionIdentifier: { value: 'S23-100' } };
    const er = { resourceType: 'Observation', id: 'er1', status: 'final', code: cc(LOINC, '85337-4'), valueCodeableConcept: cc(SCT, '10828004') };
    const r = only([dr, liver, er]);
    expect(r).toMatchObject({ effectiveDate: '2023-02-02', specimen: 'metastasis', specimenLabel: 'Liver core biopsy', specimenKey: 'accession:S23-100' });
  });

  test('contained Observations referenced as #id are read, with a container-qualified ref', () => {
    const dr = { resourceType: 'DiagnosticReport', id: 'dr2', status: 'final', effectiveDateTime: '2023-03-03', contained: [{ resourceType: 'Observation', id: 'h', status: 'final', code: cc(LOINC, '85319-2'), valueString: 'Positive (3+)' }], result: [{ reference: '#h' }] };
    expect(only([dr])).toMatchObject({ ref: 'DiagnosticReport/dr2#h', effectiveDate: '2023-03-03', labCall: 'positive', her2: { ihcScore: '3+' } });
  });

  test('fullUrl is the ref when there is no id', () => {
    const bundle = { resourceType: 'Bundle', type: 'transaction', entry: [{ fullUrl: 'urn:uuid:1234', resource: { resourceType: 'Observation', status: 'final', code: cc(LOINC, '85339-0'), valueCodeableConcept: cc(SCT, '260385009') } }] };
    expect(only([bundle]).ref).toBe('urn:uuid:1234');
  });
});

describe('specimen kind', () => {
  test.each([
    ['bodySite liver', { bodySite: { text: 'Liver' } }, 'metastasis'],
    ['specimen display lymph node metastasis', { specimen: { display: 'Axillary lymph node metastasis' } }, 'metastasis'],
    ['note: recurrence', { note: [{ text: 'Chest wall recurrence' }] }, 'recurrence'],
    ['note: core biopsy before neoadjuvant', { note: [{ text: 'Core biopsy before neoadjuvant chemotherapy' }] }, 'pre-neoadjuvant'],
    ['note: residual disease', { note: [{ text: 'Residual disease after neoadjuvant therapy' }] }, 'post-neoadjuvant'],
    ['bodySite breast', { bodySite: { text: 'Left breast' } }, 'primary'],
    ['nothing recorded', {}, 'unspecified'],
  ])('%s → %s', (_n, extra, kind) => {
    expect(only([obs([[LOINC, '85337-4']], { valueCodeableConcept: cc(SCT, '10828004'), ...extra })]).specimen).toBe(kind);
  });
});
