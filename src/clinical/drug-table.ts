import type { DrugFamily } from './drugs.js';

/** One agent we recognise: its family, the RxNorm codes that mean it (ingredient, precise ingredient and
 *  the products built on it, from ../shared/clinical/CODES.md §1 — never invented), and the names
 *  (generic, brand, abbreviation) that mean it in free text. */
export interface DrugRow {
  /** Rule id, cited in tests. */
  id: string;
  family: DrugFamily;
  /** Ingredient name, lower case. */
  ingredient: string;
  /** RxNorm codes (RxCUI) from CODES.md §1. A fixed-dose product code is listed under each ingredient. */
  rxnorm: string[];
  /** Name patterns, tested against lower-cased text with collapsed whitespace. */
  names: RegExp[];
  /** Rows whose name match makes this row's name match void (CODES.md §1 trap 1: "trastuzumab" inside
   *  the conjugates' names; "paclitaxel" inside "nab-paclitaxel"). */
  yieldsTo?: string[];
  /** Text that voids a name match (e.g. topical fluorouracil is not chemotherapy). */
  notWhen?: RegExp[];
  /** Where the codes come from. */
  source: string;
}

const MITRE = 'CODES.md §1 (MITRE mcode/clinical-trial-matching-app medications.json @4891254e, tier B)';
const BY_NAME = 'recognised by name only (no verified RxNorm code in CODES.md)';

/** Decisions (documented in the report and here because they change what counts as "prior therapy"):
 *  - GnRH agonists (goserelin, leuprolide, triptorelin) are their own family `ovarian-suppression`, NOT
 *    `endocrine`: they are also given to ER-negative patients for ovarian protection during chemotherapy,
 *    so an "endocrine therapy for ER-/PR-" warning would be wrong for them, and on their own they are not
 *    a line of endocrine therapy for the T-DXd (DB-06) setting.
 *  - Megestrol is NOT recognised: it is prescribed far more often as an appetite stimulant than as
 *    breast-cancer endocrine therapy, so it would mark "prior endocrine therapy" falsely.
 *  - Raloxifene is NOT recognised (osteoporosis / risk reduction, not treatment).
 *  - Chemotherapy is recognised by name only; methotrexate and cyclophosphamide are also used for
 *    autoimmune disease — the context reader should weigh dates/conditions, not the name alone. */
export const DRUG_TABLE: readonly DrugRow[] = [
  // ---- HER2-directed conjugates first (trap 1) ----
  {
    id: 'D-TDXD',
    family: 't-dxd',
    ingredient: 'fam-trastuzumab deruxtecan',
    rxnorm: ['2267582', '2267574', '2267576', '2267578'],
    names: [/\btrastuzumab[\s-]+deruxtecan\b/, /\bfam-trastuzumab\b/, /\benhertu\b/, /\bt-?dxd\b/, /\bds-?8201/],
    source: MITRE,
  },
  {
    id: 'D-TDM1',
    family: 't-dm1',
    ingredient: 'ado-trastuzumab emtansine',
    rxnorm: ['1371041', '1658084', '1658089', '1658085', '1658090', '1371046'],
    names: [/\btrastuzumab[\s-]+emtansine\b/, /\bado-trastuzumab\b/, /\bkadcyla\b/, /\bt-?dm-?1\b/],
    source: `${MITRE}; Synthea hormonetherapy_breast.json @1c97483 (1371046)`,
  },
  // ---- anti-HER2 antibodies ----
  {
    id: 'D-TRAS',
    family: 'anti-her2-antibody',
    ingredient: 'trastuzumab',
    rxnorm: [
      // ingredient and products
      '224905', '1922509', '1922510', '1922511', '540885', '101306',
      // biosimilar precise ingredients (-dkst, -pkrb, -anns, -qyyp, -dttb) and their products
      '2103478', '2107051', '2174802', '2280730', '2289225',
      '2179753', '2179755', '2169359', '2169360', '2257297', '2257298', '2289227', '2289229', '2472791', '2472792',
      // trastuzumab and hyaluronidase (Herceptin Hylecta, subcutaneous)
      '2119713', '2375543', '2119714', '2119719', '2119717',
      // Phesgo (pertuzumab/trastuzumab/hyaluronidase, subcutaneous): trastuzumab-zzxf and the products
      '2382599', '2382603', '2382604', '2383305', '2382607',
    ],
    // \btrastuzumab\b also matches biosimilar suffixes ("trastuzumab-anns") and "-oysk"/"-zzxf".
    names: [
      /\btrastuzumab\b/,
      /\bherceptin\b/, // incl. Herceptin Hylecta
      /\bogivri\b/, /\bherzuma\b/, /\bkanjinti\b/, /\bontruzant\b/, /\btrazimera\b/, /\bhercessi\b/,
      /\bphesgo\b/,
    ],
    yieldsTo: ['D-TDXD', 'D-TDM1'],
    source: `${MITRE}; NLM RxNorm July 2020 bulletin (Herceptin Hylecta); Synthea (101306)`,
  },
  {
    id: 'D-PERT',
    family: 'anti-her2-antibody',
    ingredient: 'pertuzumab',
    rxnorm: [
      '1298944', '1298948', '1657574', '1298949',
      // Phesgo: pertuzumab-zzxf and the combination products
      '2382597', '2382603', '2382604', '2383305', '2382607',
    ],
    names: [/\bpertuzumab\b/, /\bperjeta\b/, /\bphesgo\b/],
    source: `${MITRE}; Synthea (1298949)`,
  },
  {
    id: 'D-MARG',
    family: 'anti-her2-antibody',
    ingredient: 'margetuximab',
    rxnorm: [],
    names: [/\bmargetuximab\b/, /\bmargenza\b/],
    source: BY_NAME,
  },
  {
    id: 'D-ZANI',
    family: 'anti-her2-antibody',
    ingredient: 'zanidatamab',
    rxnorm: [],
    names: [/\bzanidatamab\b/, /\bziihera\b/],
    source: BY_NAME,
  },
  // ---- anti-HER2 tyrosine kinase inhibitors ----
  {
    id: 'D-TUCA',
    family: 'anti-her2-tki',
    ingredient: 'tucatinib',
    rxnorm: ['2361285', '2361290', '2361298', '2361292', '2361299'],
    names: [/\btucatinib\b/, /\btukysa\b/],
    source: MITRE,
  },
  {
    id: 'D-LAPA',
    family: 'anti-her2-tki',
    ingredient: 'lapatinib',
    rxnorm: ['480167', '481474', '672149', '672150', '659616'],
    names: [/\blapatinib\b/, /\btykerb\b/, /\btyverb\b/],
    source: `${MITRE}; Synthea (659616)`,
  },
  {
    id: 'D-NERA',
    family: 'anti-her2-tki',
    ingredient: 'neratinib',
    rxnorm: ['1940643', '1940642', '1940648', '1940650', '1940649'],
    names: [/\bneratinib\b/, /\bnerlynx\b/],
    source: `${MITRE}; Synthea (1940649)`,
  },
  {
    id: 'D-PYRO',
    family: 'anti-her2-tki',
    ingredient: 'pyrotinib',
    rxnorm: [],
    names: [/\bpyrotinib\b/],
    source: BY_NAME,
  },
  // ---- other ADCs (TROP2: NOT HER2-directed; trap 2) ----
  {
    id: 'D-DATO',
    family: 'other-adc',
    ingredient: 'datopotamab deruxtecan',
    rxnorm: [],
    names: [/\bdatopotamab\b/, /\bdatroway\b/, /\bdato-?dxd\b/],
    source: BY_NAME,
  },
  {
    id: 'D-SACI',
    family: 'other-adc',
    ingredient: 'sacituzumab govitecan',
    rxnorm: ['2360231', '2360530', '2360534', '2360536'],
    names: [/\bsacituzumab\b/, /\btrodelvy\b/],
    source: MITRE,
  },
  // ---- endocrine agents ----
  {
    id: 'D-TAMO',
    family: 'endocrine',
    ingredient: 'tamoxifen',
    rxnorm: ['10324', '40137', '313195', '198240'],
    names: [/\btamoxifen\b/, /\bnolvadex\b/, /\bsoltamox\b/],
    source: `${MITRE}; Synthea (10324)`,
  },
  {
    id: 'D-TORE',
    family: 'endocrine',
    ingredient: 'toremifene',
    rxnorm: [],
    names: [/\btoremifene\b/, /\bfareston\b/],
    source: BY_NAME,
  },
  {
    id: 'D-LETR',
    family: 'endocrine',
    ingredient: 'letrozole',
    // 1923053/1923055/1923057: ribociclib + letrozole co-packs
    rxnorm: ['72965', '200064', '565177', '203769', '1923053', '1923055', '1923057'],
    names: [/\bletrozole\b/, /\bfemara\b/],
    source: `${MITRE}; Synthea (203769)`,
  },
  {
    id: 'D-ANAS',
    family: 'endocrine',
    ingredient: 'anastrozole',
    rxnorm: ['84857', '199224', '564931', '262485'],
    names: [/\banastrozole\b/, /\barimidex\b/],
    source: `HL7 fhir-mCODE-ig @543477b5 (84857); ${MITRE}; Synthea (262485)`,
  },
  {
    id: 'D-EXEM',
    family: 'endocrine',
    ingredient: 'exemestane',
    rxnorm: ['258494', '310261', '574539', '262105'],
    names: [/\bexemestane\b/, /\baromasin\b/],
    source: `${MITRE}; Synthea (262105)`,
  },
  {
    id: 'D-FULV',
    family: 'endocrine',
    ingredient: 'fulvestrant',
    rxnorm: ['282357', '727762', '727953', '203870'],
    names: [/\bfulvestrant\b/, /\bfaslodex\b/],
    source: `ndclist.com (727762 SCD); ${MITRE}; Synthea (203870)`,
  },
  {
    id: 'D-ELAC',
    family: 'endocrine',
    ingredient: 'elacestrant',
    rxnorm: [],
    names: [/\belacestrant\b/, /\borserdu\b/],
    source: BY_NAME,
  },
  {
    id: 'D-IMLU',
    family: 'endocrine',
    ingredient: 'imlunestrant',
    rxnorm: [],
    names: [/\bimlunestrant\b/, /\binluriyo\b/],
    source: BY_NAME,
  },
  {
    id: 'D-CAMI',
    family: 'endocrine',
    ingredient: 'camizestrant',
    rxnorm: [],
    names: [/\bcamizestrant\b/],
    source: BY_NAME,
  },
  // ---- ovarian suppression (GnRH agonists; see the decision above) ----
  {
    id: 'D-GOSE',
    family: 'ovarian-suppression',
    ingredient: 'goserelin',
    rxnorm: [],
    names: [/\bgoserelin\b/, /\bzoladex\b/],
    source: BY_NAME,
  },
  {
    id: 'D-LEUP',
    family: 'ovarian-suppression',
    ingredient: 'leuprolide',
    rxnorm: [],
    names: [/\bleuprolide\b/, /\bleuprorelin\b/, /\blupron\b/],
    source: BY_NAME,
  },
  {
    id: 'D-TRIP',
    family: 'ovarian-suppression',
    ingredient: 'triptorelin',
    rxnorm: [],
    names: [/\btriptorelin\b/, /\btrelstar\b/, /\bdecapeptyl\b/],
    source: BY_NAME,
  },
  // ---- CDK4/6 inhibitors ----
  {
    id: 'D-PALB',
    family: 'cdk46',
    ingredient: 'palbociclib',
    rxnorm: ['1601374', '2284107', '2284102', '2284105', '1601392', '1601380', '1601388', '2284103'],
    names: [/\bpalbociclib\b/, /\bibrance\b/],
    source: MITRE,
  },
  {
    id: 'D-RIBO',
    family: 'cdk46',
    ingredient: 'ribociclib',
    rxnorm: ['1873916', '1873978', '1873983', '1873990', '1873992', '1873994', '1923053', '1923055', '1923057'],
    names: [/\bribociclib\b/, /\bkisqali\b/],
    source: MITRE,
  },
  {
    id: 'D-ABEM',
    family: 'cdk46',
    ingredient: 'abemaciclib',
    rxnorm: ['1946825', '1946830', '1946838', '1946842', '1946846', '1946833'],
    names: [/\babemaciclib\b/, /\bverzenio\b/],
    source: MITRE,
  },
  // ---- cytotoxic chemotherapy (by name only: no codes were verified for these) ----
  chemo('D-NABP', 'nab-paclitaxel', [/\bnab-?paclitaxel\b/, /\bpaclitaxel[\s,(-]+protein[\s-]+bound\b/, /\bprotein[\s-]+bound[\s-]+paclitaxel\b/, /\babraxane\b/]),
  { ...chemo('D-PACL', 'paclitaxel', [/\bpaclitaxel\b/, /\btaxol\b/]), yieldsTo: ['D-NABP'] },
  chemo('D-DOCE', 'docetaxel', [/\bdocetaxel\b/, /\btaxotere\b/]),
  chemo('D-DOXO', 'doxorubicin', [/\bdoxorubicin\b/, /\badriamycin\b/, /\bdoxil\b/, /\bcaelyx\b/]),
  chemo('D-EPIR', 'epirubicin', [/\bepirubicin\b/, /\bellence\b/]),
  chemo('D-CYCL', 'cyclophosphamide', [/\bcyclophosphamide\b/, /\bcytoxan\b/]),
  chemo('D-CAPE', 'capecitabine', [/\bcapecitabine\b/, /\bxeloda\b/]),
  chemo('D-CARB', 'carboplatin', [/\bcarboplatin\b/, /\bparaplatin\b/]),
  chemo('D-CISP', 'cisplatin', [/\bcisplatin\b/, /\bplatinol\b/]),
  chemo('D-ERIB', 'eribulin', [/\beribulin\b/, /\bhalaven\b/]),
  chemo('D-GEMC', 'gemcitabine', [/\bgemcitabine\b/, /\bgemzar\b/]),
  chemo('D-VINO', 'vinorelbine', [/\bvinorelbine\b/, /\bnavelbine\b/]),
  {
    ...chemo('D-FLUO', 'fluorouracil', [/\bfluorouracil\b/, /\b5-?fu\b/, /\badrucil\b/]),
    // Topical fluorouracil (actinic keratosis) is not chemotherapy for cancer.
    notWhen: [/\btopical\b/, /\bcream\b/, /\befudex\b/, /\bcarac\b/],
  },
  chemo('D-METH', 'methotrexate', [/\bmethotrexate\b/]),
  chemo('D-IXAB', 'ixabepilone', [/\bixabepilone\b/, /\bixempra\b/]),
];

function chemo(id: string, ingredient: string, names: RegExp[]): DrugRow {
  return { id, family: 'chemotherapy', ingredient, rxnorm: [], names, source: BY_NAME };
}

/** RxNorm system URIs seen in practice (the FHIR URI and the HL7 OID form). */
export const RXNORM_SYSTEMS: readonly string[] = [
  'http://www.nlm.nih.gov/research/umls/rxnorm',
  'urn:oid:2.16.840.1.113883.6.88',
];
