import type { CodeableConcept } from 'fhir/r4.js';
import { recognizeMedication, isHer2Directed } from '../../src/clinical/drugs.js';
import { DRUG_TABLE } from '../../src/clinical/drug-table.js';

const RX = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const code = (c: string, display?: string): CodeableConcept => ({ coding: [{ system: RX, code: c, ...(display ? { display } : {}) }] });
const text = (t: string): CodeableConcept => ({ text: t });
const summary = (concept: CodeableConcept | undefined) =>
  recognizeMedication(concept).map((d) => `${d.family}:${d.ingredient}:${d.matchedBy}`).sort();

describe('recognizeMedication by RxNorm code (CODES.md §1)', () => {
  // [row id, code, expected "family:ingredient" list]
  const rows: Array<[string, string, string[]]> = [
    ['D-TRAS ingredient', '224905', ['anti-her2-antibody:trastuzumab']],
    ['D-TRAS SCD', '1922509', ['anti-her2-antibody:trastuzumab']],
    ['D-TRAS biosimilar -anns PIN', '2174802', ['anti-her2-antibody:trastuzumab']],
    ['D-TRAS Kanjinti SBD', '2257298', ['anti-her2-antibody:trastuzumab']],
    ['D-TRAS Herceptin Hylecta SBD (SC)', '2119719', ['anti-her2-antibody:trastuzumab']],
    ['Phesgo SCD (two ingredients)', '2382604', ['anti-her2-antibody:pertuzumab', 'anti-her2-antibody:trastuzumab']],
    ['Phesgo SBD', '2382607', ['anti-her2-antibody:pertuzumab', 'anti-her2-antibody:trastuzumab']],
    ['D-PERT Perjeta', '1657574', ['anti-her2-antibody:pertuzumab']],
    ['D-TDM1 Kadcyla SBD', '1658085', ['t-dm1:ado-trastuzumab emtansine']],
    ['D-TDM1 ingredient', '1371041', ['t-dm1:ado-trastuzumab emtansine']],
    ['D-TDXD Enhertu SBD', '2267578', ['t-dxd:fam-trastuzumab deruxtecan']],
    ['D-TDXD ingredient', '2267582', ['t-dxd:fam-trastuzumab deruxtecan']],
    ['D-TUCA', '2361290', ['anti-her2-tki:tucatinib']],
    ['D-LAPA', '672149', ['anti-her2-tki:lapatinib']],
    ['D-NERA', '1940650', ['anti-her2-tki:neratinib']],
    ['D-SACI', '2360536', ['other-adc:sacituzumab govitecan']],
    ['D-TAMO', '313195', ['endocrine:tamoxifen']],
    ['D-LETR', '200064', ['endocrine:letrozole']],
    ['D-ANAS', '84857', ['endocrine:anastrozole']],
    ['D-EXEM', '310261', ['endocrine:exemestane']],
    ['D-FULV', '727762', ['endocrine:fulvestrant']],
    ['D-PALB', '2284107', ['cdk46:palbociclib']],
    ['ribociclib + letrozole co-pack', '1923053', ['cdk46:ribociclib', 'endocrine:letrozole']],
    ['D-ABEM', '1946838', ['cdk46:abemaciclib']],
  ];
  it.each(rows)('%s (%s)', (_id, c, expected) => {
    expect(summary(code(c))).toEqual(expected.map((e) => `${e}:rxnorm`).sort());
  });

  it('ignores a known number in another code system', () => {
    expect(recognizeMedication({ coding: [{ system: 'http://snomed.info/sct', code: '224905' }] })).toEqual([]);
  });
  it('accepts the RxNorm OID form', () => {
    expect(summary({ coding: [{ system: 'urn:oid:2.16.840.1.113883.6.88', code: '224905' }] })).toEqual([
      'anti-her2-antibody:trastuzumab:rxnorm',
    ]);
  });
  it('never lists a Kadcyla or Enhertu product code under trastuzumab (trap 1)', () => {
    const conjugateCodes = DRUG_TABLE.filter((r) => r.id === 'D-TDM1' || r.id === 'D-TDXD').flatMap((r) => r.rxnorm);
    const trastuzumab = DRUG_TABLE.find((r) => r.id === 'D-TRAS');
    expect(conjugateCodes.filter((c) => trastuzumab?.rxnorm.includes(c))).toEqual([]);
  });
});

describe('recognizeMedication by name (text and display)', () => {
  const rows: Array<[string, string[]]> = [
    ['Herceptin 440 mg IV', ['anti-her2-antibody:trastuzumab']],
    ['trastuzumab-anns (Kanjinti) 420 mg', ['anti-her2-antibody:trastuzumab']],
    ['Trastuzumab-dkst', ['anti-her2-antibody:trastuzumab']],
    ['Herceptin Hylecta 600 mg/10,000 units subcutaneous', ['anti-her2-antibody:trastuzumab']],
    ['Phesgo 1200 mg/600 mg SC', ['anti-her2-antibody:pertuzumab', 'anti-her2-antibody:trastuzumab']],
    ['pertuzumab, trastuzumab, and hyaluronidase-zzxf', ['anti-her2-antibody:pertuzumab', 'anti-her2-antibody:trastuzumab']],
    ['Ado-trastuzumab emtansine 160 MG Injection', ['t-dm1:ado-trastuzumab emtansine']],
    ['Trastuzumab 100 MG Injection [KADCYLA]', ['t-dm1:ado-trastuzumab emtansine']],
    ['T-DM1', ['t-dm1:ado-trastuzumab emtansine']],
    ['fam-trastuzumab deruxtecan-nxki 100 MG', ['t-dxd:fam-trastuzumab deruxtecan']],
    ['Trastuzumab 100 MG [Enhertu]', ['t-dxd:fam-trastuzumab deruxtecan']],
    ['T-DXd 5.4 mg/kg', ['t-dxd:fam-trastuzumab deruxtecan']],
    ['Datopotamab deruxtecan-dlnk (Datroway)', ['other-adc:datopotamab deruxtecan']],
    ['Dato-DXd', ['other-adc:datopotamab deruxtecan']],
    ['Trodelvy', ['other-adc:sacituzumab govitecan']],
    ['Tukysa 150 mg', ['anti-her2-tki:tucatinib']],
    ['NERLYNX', ['anti-her2-tki:neratinib']],
    ['Nolvadex 20 mg', ['endocrine:tamoxifen']],
    ['Orserdu (elacestrant)', ['endocrine:elacestrant']],
    ['Kisqali Femara Co-Pack', ['cdk46:ribociclib', 'endocrine:letrozole']],
    ['Verzenio', ['cdk46:abemaciclib']],
    ['Zoladex 3.6 mg implant', ['ovarian-suppression:goserelin']],
    ['nab-paclitaxel 100 mg/m2', ['chemotherapy:nab-paclitaxel']],
    ['Paclitaxel protein-bound particles (albumin-bound)', ['chemotherapy:nab-paclitaxel']],
    ['Taxol', ['chemotherapy:paclitaxel']],
    ['doxorubicin + cyclophosphamide', ['chemotherapy:cyclophosphamide', 'chemotherapy:doxorubicin']],
    ['Xeloda 500 mg', ['chemotherapy:capecitabine']],
    ['5-FU infusion', ['chemotherapy:fluorouracil']],
  ];
  it.each(rows)('%s', (t, expected) => {
    expect(summary(text(t))).toEqual(expected.map((e) => `${e}:name`).sort());
  });

  const unrecognised = [
    'deruxtecan', // trap 2: deruxtecan alone is not T-DXd
    'Paracetamol 500 mg',
    'Megestrol acetate oral suspension', // decision: appetite stimulant more often than endocrine therapy
    'Fluorouracil 5% topical cream',
    'Raloxifene 60 mg',
    '',
  ];
  it.each(unrecognised)('does not recognise %p', (t) => {
    expect(recognizeMedication(text(t))).toEqual([]);
  });

  it('uses a coding display when the code is unknown', () => {
    expect(summary({ coding: [{ system: 'urn:local', code: 'X1', display: 'Enhertu' }] })).toEqual([
      't-dxd:fam-trastuzumab deruxtecan:name',
    ]);
  });
  it('does not add plain trastuzumab from text when the code says Enhertu', () => {
    expect(summary({ ...code('2267578'), text: 'Trastuzumab IV' })).toEqual(['t-dxd:fam-trastuzumab deruxtecan:rxnorm']);
  });
  it('returns [] for undefined', () => {
    expect(recognizeMedication(undefined)).toEqual([]);
  });
  it('marks only HER2-directed families as such (Dato-DXd is not)', () => {
    expect(recognizeMedication(text('Enhertu')).every(isHer2Directed)).toBe(true);
    expect(recognizeMedication(text('Datroway')).some(isHer2Directed)).toBe(false);
    expect(recognizeMedication(text('tamoxifen')).some(isHer2Directed)).toBe(false);
  });
});
