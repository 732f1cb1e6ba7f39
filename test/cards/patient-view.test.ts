/**
 * patient-view cards, table-driven over interpretations: one row per subtype × HER2 category × setting,
 * asserting what an oncologist notices (summary words, which cards appear, the setting stated), plus the
 * cross-cutting rules checked on every row (never-list, figures, 140 characters, unverified identifiers,
 * contract schema, judgement statement once, reflex ISH exactly for the unresolved 2+).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { buildPatientViewCards } from '../../src/cards/build.js';
import { SUMMARY } from '../../src/cards/content.js';
import type { Card } from '../../src/cards/types.js';
import type { Interpretation } from '../../src/clinical/types.js';
import { allText, claimText, UNVERIFIED_IDENTIFIERS, unknownFigures, violations } from './checks.js';
import { idMaker, interpretation, result, type Spec } from './factory.js';

const schema = JSON.parse(
  readFileSync(path.resolve(__dirname, '../../../shared/contract/biomarker-interpretation.schema.json'), 'utf8'),
) as object;
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

export function build(i: Interpretation, problems: Parameters<typeof buildPatientViewCards>[0]['problems'] = []): Card[] {
  return buildPatientViewCards({ interpretation: i, problems, patientId: 'pat-1', newId: idMaker() });
}

const MET = { metastatic: true };
const MET_PRIOR = { metastatic: true, priorChemoMetastatic: true, priorEndocrineTherapy: true, priorAntiHer2: true };

/** Card finders by what the clinician reads first. */
const CARD = {
  antiHer2: /^Anti-HER2 therapy candidate/,
  tdxdLow: /^T-DXd.*\(HER2-low\)/,
  tdxdUltralow: /^T-DXd.*\(HER2-ultralow, HR\+\)/,
  endocrine: /^Endocrine therapy candidate/,
  trop2: /^TROP2 antibody-drug conjugates/,
  prognosisHer2Pos: /^HER2\+ prognosis/,
  prognosisHrPos: /^HR\+\/HER2- prognosis/,
  prognosisTn: /^Triple-negative prognosis/,
  reflexIsh: /^HER2 IHC 2\+ is unresolved/,
  ishReview: /^HER2 ISH group 2-4/,
  rereview: /^HER2 IHC 0 in metastatic/,
  erLow: /^ER low-positive/,
  erNegPrPos: /^ER negative with PR positive/,
  lvef: /LVEF before starting/,
  brain: /brain metastases/,
  smallTumor: /pT1a-b N0/,
  pam50: /^PAM50 HER2-enriched/,
  discordant: /^Results of one marker disagree/,
  missingHer2: /^No HER2 result on file/,
  indeterminate: /^A result could not be placed/,
  her2Low: /^HER2-low: HER2-negative/,
  ultralow: /^HER2-ultralow/,
} as const;
type CardName = keyof typeof CARD;

interface Row {
  id: string;
  spec: Spec;
  summary: string[];
  indicator: 'info' | 'warning';
  cards: CardName[];
  absent: CardName[];
  /** Text the detail of some card must state (the setting as the chart shows it). */
  states?: RegExp[];
}

const ROWS: Row[] = [
  {
    id: 'HR+/HER2+ IHC 3+, early',
    spec: { her2: 'positive', er: 'positive', pr: 'positive' },
    summary: ['HER2-positive (IHC 3+)', 'HR+/HER2+', 'anti-HER2 therapy candidate'],
    indicator: 'info',
    cards: ['antiHer2', 'endocrine', 'prognosisHer2Pos', 'lvef'],
    absent: ['tdxdLow', 'trop2', 'brain', 'reflexIsh'],
    states: [/no metastatic disease recorded — the early-disease settings apply/, /THP\), or T-DXd \+ pertuzumab/, /T-DM1 is not the only option/],
  },
  {
    id: 'HR-/HER2+ IHC 2+ ISH group 1, metastatic after anti-HER2',
    spec: { her2: 'positive', er: 'negative', pr: 'negative', ihcScore: '2+', ishGroup: 1, context: MET_PRIOR },
    summary: ['HER2-positive (IHC 2+, ISH amplified)', 'HR-/HER2+'],
    indicator: 'info',
    cards: ['antiHer2', 'prognosisHer2Pos', 'lvef', 'brain'],
    absent: ['endocrine', 'tdxdLow'],
    states: [/settings after a prior anti-HER2 regimen apply/, /T-DXd is preferred \(DESTINY-Breast03\); T-DM1 is an alternative/],
  },
  {
    id: 'HR+/HER2+ pT1b N0 (small tumour)',
    spec: { her2: 'positive', er: 'positive', pr: 'negative', caveats: ['small-tumor-t1ab'] },
    summary: ['HER2-positive (IHC 3+)', 'HR+/HER2+'],
    indicator: 'info',
    cards: ['smallTumor', 'antiHer2'],
    absent: [],
    states: [/HR 5\.1, 95 % CI 1\.0-25\.7/, /The sources disagree/],
  },
  {
    id: 'HR+/HER2-low IHC 2+ ISH not amplified, metastatic after endocrine therapy',
    spec: { her2: 'low', er: 'positive', pr: 'positive', ihcScore: '2+', ishGroup: 5, context: { metastatic: true, priorEndocrineTherapy: true } },
    summary: ['HER2-low (IHC 2+, ISH not amplified)', 'HR+/HER2-', 'T-DXd candidate'],
    indicator: 'info',
    cards: ['tdxdLow', 'endocrine', 'trop2', 'prognosisHrPos', 'her2Low'],
    absent: ['antiHer2', 'lvef', 'reflexIsh'],
    states: [/setting met \(confirm\)/, /DESTINY-Breast06/, /datopotamab deruxtecan/],
  },
  {
    id: 'HR+/HER2-low IHC 1+, early',
    spec: { her2: 'low', er: 'positive', pr: 'positive', ihcScore: '1+' },
    summary: ['HER2-low (IHC 1+)', 'HR+/HER2-', 'T-DXd candidate if metastatic'],
    indicator: 'info',
    cards: ['tdxdLow', 'endocrine', 'prognosisHrPos'],
    absent: ['antiHer2'],
    states: [/Setting not met on this chart: no metastatic or unresectable disease recorded/],
  },
  {
    id: 'triple-negative HER2-low IHC 1+, metastatic after chemotherapy',
    spec: { her2: 'low', er: 'negative', pr: 'negative', ihcScore: '1+', context: { metastatic: true, priorChemoMetastatic: true } },
    summary: ['HER2-low (IHC 1+)', 'triple-negative', 'T-DXd candidate'],
    indicator: 'info',
    cards: ['tdxdLow', 'trop2', 'prognosisTn'],
    absent: ['endocrine', 'antiHer2'],
    states: [/DESTINY-Breast04/, /sacituzumab govitecan \(overall survival 12\.1 vs 6\.7 months/, /36\.6 % of triple-negative/],
  },
  {
    id: 'triple-negative HER2-low, metastatic without prior chemotherapy',
    spec: { her2: 'low', er: 'negative', pr: 'negative', ihcScore: '1+', context: MET },
    summary: ['HER2-low (IHC 1+)', 'triple-negative'],
    indicator: 'info',
    cards: ['tdxdLow'],
    absent: ['endocrine'],
    states: [/no prior chemotherapy for metastatic disease is recorded — check prior therapy/],
  },
  {
    id: 'HR+/HER2-ultralow, metastatic after endocrine therapy',
    spec: { her2: 'ultralow', er: 'positive', pr: 'positive', context: { metastatic: true, priorEndocrineTherapy: true } },
    summary: ['HER2-ultralow (IHC 0 with membrane staining)', 'HR+/HER2-', 'T-DXd candidate'],
    indicator: 'info',
    cards: ['tdxdUltralow', 'endocrine', 'trop2', 'ultralow'],
    absent: ['tdxdLow', 'antiHer2'],
    states: [/ultralow subgroup was exploratory, n = 153/, /prior endocrine therapy recorded — setting met/],
  },
  {
    id: 'HR+/HER2-ultralow, early',
    spec: { her2: 'ultralow', er: 'positive', pr: 'negative' },
    summary: ['HER2-ultralow', 'HR+/HER2-', 'T-DXd candidate if metastatic'],
    indicator: 'info',
    cards: ['tdxdUltralow'],
    absent: [],
    states: [/Setting not met on this chart/],
  },
  {
    id: 'triple-negative HER2-ultralow, metastatic (no T-DXd)',
    spec: { her2: 'ultralow', er: 'negative', pr: 'negative', context: MET },
    summary: ['HER2-ultralow (IHC 0 with membrane staining)', 'triple-negative', 'chemotherapy-based options'],
    indicator: 'info',
    cards: ['trop2', 'prognosisTn', 'rereview', 'ultralow'],
    absent: ['tdxdUltralow', 'tdxdLow', 'endocrine'],
  },
  {
    id: 'HR+/HER2-0, metastatic (ADC option remains)',
    spec: { her2: 'zero', er: 'positive', pr: 'positive', context: MET },
    summary: ['HER2-0 (IHC 0)', 'HR+/HER2-', 'endocrine therapy candidate'],
    indicator: 'info',
    cards: ['endocrine', 'trop2', 'prognosisHrPos', 'rereview'],
    absent: ['tdxdLow', 'tdxdUltralow', 'antiHer2'],
    states: [/HER2 IHC 0 does not rule out an antibody-drug conjugate/, /ESR1 mutation/],
  },
  {
    id: 'HR+/HER2-0, early',
    spec: { her2: 'zero', er: 'positive', pr: 'positive' },
    summary: ['HER2-0 (IHC 0)', 'HR+/HER2-', 'endocrine therapy candidate'],
    indicator: 'info',
    cards: ['endocrine', 'trop2', 'prognosisHrPos'],
    absent: ['rereview', 'tdxdLow'],
    states: [/adjuvant setting per stage/, /These options apply to metastatic disease only/],
  },
  {
    id: 'triple-negative HER2-0, early',
    spec: { her2: 'zero', er: 'negative', pr: 'negative' },
    summary: ['HER2-0 (IHC 0)', 'triple-negative'],
    indicator: 'info',
    cards: ['prognosisTn', 'rereview', 'trop2'],
    absent: ['endocrine', 'tdxdLow', 'antiHer2'],
  },
  {
    id: 'HR+/HER2-negative without IHC score, metastatic',
    spec: { her2: 'negative-unspecified', er: 'positive', pr: 'positive', ihcScore: null, context: MET },
    summary: ['HER2-negative, IHC score not reported', 'HR+/HER2-'],
    indicator: 'info',
    cards: ['endocrine', 'rereview'],
    absent: ['tdxdLow'],
  },
  {
    id: 'ER-low only, HER2-0, early',
    spec: { her2: 'zero', er: 'low-positive', pr: 'negative' },
    summary: ['HER2-0 (IHC 0)', 'HR+ (ER-low)/HER2-'],
    indicator: 'info',
    cards: ['erLow', 'endocrine'],
    absent: [],
    states: [/HR 1\.23, 95 % CI 1\.04-1\.46/, /often managed like triple-negative disease/, /data on endocrine benefit are limited/],
  },
  {
    id: 'ER negative, PR positive, HER2-low',
    spec: { her2: 'low', er: 'negative', pr: 'positive' },
    summary: ['HER2-low (IHC 1+)', 'HR+/HER2-'],
    indicator: 'warning',
    cards: ['erNegPrPos', 'tdxdLow', 'endocrine'],
    absent: [],
  },
  {
    id: 'HR+ with HER2 IHC 2+ awaiting ISH',
    spec: { her2: 'equivocal', er: 'positive', pr: 'positive' },
    summary: ['HER2 unresolved (IHC 2+, ISH pending)', 'HR+, subtype undetermined', 'reflex ISH needed'],
    indicator: 'warning',
    cards: ['reflexIsh', 'endocrine'],
    absent: ['prognosisHrPos', 'tdxdLow', 'trop2', 'antiHer2'],
  },
  {
    id: 'ER/PR negative with HER2 IHC 2+ awaiting ISH',
    spec: { her2: 'equivocal', er: 'negative', pr: 'negative' },
    summary: ['HER2 unresolved (IHC 2+, ISH pending)', 'HR-, subtype undetermined'],
    indicator: 'warning',
    cards: ['reflexIsh'],
    absent: ['endocrine', 'prognosisTn', 'trop2'],
  },
  {
    id: 'ISH group 2 without concurrent IHC',
    spec: { her2: 'equivocal', er: 'positive', pr: 'positive', ihcScore: null, ishGroup: 2 },
    summary: ['HER2 unresolved (ISH group 2, IHC review needed)', 'pathology IHC review needed'],
    indicator: 'warning',
    cards: ['ishReview'],
    absent: ['reflexIsh', 'prognosisHrPos'],
  },
  {
    id: 'HER2 not evaluable, HR+',
    spec: { her2: 'indeterminate', er: 'positive', pr: 'positive', ihcScore: null },
    summary: ['HER2 test not evaluable', 'repeat HER2 testing needed'],
    indicator: 'warning',
    cards: ['indeterminate', 'endocrine'],
    absent: ['tdxdLow', 'antiHer2', 'prognosisHrPos'],
  },
  {
    id: 'no HER2 result in a breast cancer chart, HR+',
    spec: { her2: 'unknown', er: 'positive', pr: 'positive', ihcScore: null },
    summary: ['No HER2 result on file', 'HER2 testing needed'],
    indicator: 'warning',
    cards: ['missingHer2', 'endocrine'],
    absent: ['tdxdLow', 'antiHer2'],
  },
  {
    id: 'PAM50 HER2-enriched, clinically HER2-0, triple-negative',
    spec: { her2: 'zero', er: 'negative', pr: 'negative', caveats: ['pam50-her2-enriched'] },
    summary: ['HER2-0 (IHC 0)', 'triple-negative'],
    indicator: 'info',
    cards: ['pam50'],
    absent: ['antiHer2'],
    states: [/HR 1\.99, P = \.009/, /both HER2-positive and PAM50 HER2-enriched/],
  },
  {
    id: 'HER2-low on the metastasis, HER2-0 on the primary (discordant)',
    spec: {
      her2: 'low',
      er: 'positive',
      pr: 'positive',
      ihcScore: '1+',
      context: MET,
      caveats: ['discordant-results'],
      her2Results: [
        result('low', 'IHC 1+', { ref: 'Observation/her2-met', specimen: 'metastasis', specimenLabel: 'liver biopsy', effectiveDate: '2025-10-01' }),
        result('zero', 'IHC 0', { ref: 'Observation/her2-prim', effectiveDate: '2021-03-02' }),
      ],
    },
    summary: ['HER2-low (IHC 1+)', 'HR+/HER2-'],
    indicator: 'warning',
    cards: ['discordant', 'tdxdLow'],
    absent: [],
    states: [/HER2 · 2025-10-01 · metastasis \(liver biopsy\) · IHC 1\+ → HER2-low/, /HER2 · 2021-03-02 · primary tumour/, /T-DXd eligibility rests on the HER2-low result/],
  },
];

function find(cards: Card[], name: CardName): Card | undefined {
  return cards.find((c) => CARD[name].test(c.summary));
}

describe.each(ROWS)('$id', (row) => {
  const i = interpretation(row.spec);
  const cards = build(i);
  const summary = cards[0]!;

  test('the summary card comes first and says the classification, subtype and meaning in words', () => {
    for (const words of row.summary) expect(summary.summary).toContain(words);
    expect(summary.indicator).toBe(row.indicator);
  });

  test('the expected cards appear and the others do not', () => {
    for (const name of row.cards) expect({ name, found: !!find(cards, name) }).toEqual({ name, found: true });
    for (const name of row.absent) expect({ name, found: !!find(cards, name) }).toEqual({ name, found: false });
  });

  if (row.states) {
    test('the setting and key facts are stated', () => {
      const text = cards.map((c) => c.detail ?? '').join('\n');
      for (const s of row.states!) expect(text).toMatch(s);
    });
  }

  test('nothing on the never-list appears', () => {
    expect(violations(cards, i)).toEqual([]);
  });

  test('every figure is on the GUIDELINES.md allow-list', () => {
    expect(unknownFigures(claimText(cards))).toEqual([]);
  });

  test('every card has uuid, summary < 140, indicator, source and detail ending with its Sources', () => {
    const uuids = new Set<string>();
    for (const c of cards) {
      expect(c.uuid).toMatch(/^id-\d+$/);
      uuids.add(c.uuid);
      expect(c.summary.length).toBeLessThan(140);
      expect(['info', 'warning']).toContain(c.indicator);
      expect(c.source.label.length).toBeGreaterThan(0);
      expect(c.detail).toMatch(/#### Sources\n1\. [^\n]+(\n\d+\. [^\n]+)*$/);
      if (c.source.url) expect(c.detail).toContain(c.source.url);
      if (c.indicator === 'warning') {
        expect(c.overrideReasons?.length).toBeGreaterThan(0);
        for (const r of c.overrideReasons!) expect(r).toEqual({ system: 'http://her2-cds.local/CodeSystem/override-reason', code: expect.any(String), display: expect.any(String) });
      }
    }
    expect(uuids.size).toBe(cards.length);
  });

  test('exactly one card carries the interpretation, the first, valid against the contract schema', () => {
    expect(cards.filter((c) => c.extension?.['biomarker-interpretation'] !== undefined)).toEqual([summary]);
    const ext = summary.extension!['biomarker-interpretation'];
    expect(validate(ext)).toBe(true);
    expect(ext).toEqual(i);
  });

  test('the judgement statement appears exactly once, on the summary card', () => {
    expect(allText(cards).split(SUMMARY.judgement).length - 1).toBe(1);
    expect(summary.detail).toContain(SUMMARY.judgement);
  });

  test('a reflex ISH suggestion exists exactly when the caveat her2-equivocal-pending-ish is present', () => {
    const suggestions = cards.flatMap((c) => c.suggestions ?? []);
    expect(suggestions.length).toBe(i.caveats.includes('her2-equivocal-pending-ish') ? 1 : 0);
  });

  test('no unverified identifier is printed', () => {
    const json = JSON.stringify(cards.map(({ extension, ...c }) => (void extension, c)));
    for (const id of UNVERIFIED_IDENTIFIERS) expect(json).not.toContain(id);
  });
});

test('the summary detail lists every result with its date and specimen', () => {
  const row = ROWS.find((r) => r.id.includes('discordant'))!;
  const summary = build(interpretation(row.spec))[0]!;
  expect(summary.detail).toMatch(/#### Results on file\n- HER2 · 2025-10-01 · metastasis \(liver biopsy\) · IHC 1\+ → HER2-low\n- HER2 · 2021-03-02 · primary tumour \(left breast core biopsy\) · IHC 0 → HER2-0\n- ER · 2025-11-03/);
});

test('the summary lists pending and unreadable results, not as negative', () => {
  const i: Interpretation = {
    ...interpretation({ her2: 'unknown', er: 'positive', pr: 'positive', ihcScore: null, caveats: ['pending-result', 'unreadable-result'] }),
    pending: [result('pending', 'HER2 preliminary result', { ref: 'Observation/p1', status: 'pending', marker: 'her2' })],
    unreadable: [{ ref: 'Observation/u1', reason: 'no value' }],
  };
  const cards = build(i);
  expect(cards[0]!.indicator).toBe('warning');
  expect(cards[0]!.detail).toMatch(/#### Pending \(preliminary, not used\)\n- HER2 · 2025-11-03 · primary tumour \(left breast core biopsy\) · HER2 preliminary result → pending \[preliminary\]/);
  expect(cards[0]!.detail).toMatch(/#### Could not be read \(not negative\)\n- Observation\/u1\\?: no value/);
  expect(cards.some((c) => /could not be read — check it in the chart/.test(c.summary))).toBe(true);
});

test('the reflex ISH suggestion is a draft ServiceRequest for LOINC 85318-4 on the patient, citing the 2+ result', () => {
  const cards = build(interpretation({ her2: 'equivocal', er: 'positive', pr: 'positive' }));
  const card = cards.find((c) => c.suggestions)!;
  expect(card.indicator).toBe('warning');
  expect(card.selectionBehavior).toBe('at-most-one');
  const suggestion = card.suggestions![0]!;
  expect(suggestion.uuid).toMatch(/^id-\d+$/);
  expect(suggestion.uuid).not.toBe(card.uuid);
  expect(suggestion.actions).toHaveLength(1);
  const action = suggestion.actions![0]!;
  expect(action.type).toBe('create');
  expect(action.description.length).toBeGreaterThan(0);
  expect(action.resource).toMatchObject({
    resourceType: 'ServiceRequest',
    status: 'draft',
    intent: expect.stringMatching(/^(order|proposal)$/),
    subject: { reference: 'Patient/pat-1' },
    code: { coding: [{ system: 'http://loinc.org', code: '85318-4' }] },
    reasonReference: [{ reference: 'Observation/her2-1' }],
  });
  expect(card.overrideReasons!.map((r) => r.code)).toContain('ish-already-ordered');
});

test('no card at all beyond the summary when the chart has neither biomarkers nor breast cancer', () => {
  const i = interpretation({ her2: 'unknown', er: 'unknown', pr: 'unknown', ihcScore: null, context: { breastCancer: false } });
  const cards = build(i);
  expect(cards).toHaveLength(1);
  expect(cards[0]!.summary).toBe('No HER2, ER or PR result on file for this patient.');
  expect(cards[0]!.indicator).toBe('info');
});

test('all markers missing in a breast cancer chart: warning, each marker said to be unknown, not negative', () => {
  const cards = build(interpretation({ her2: 'unknown', er: 'unknown', pr: 'unknown', ihcScore: null }));
  expect(cards[0]!.indicator).toBe('warning');
  expect(cards.slice(1).filter((c) => /^No (HER2|ER|PR) result on file/.test(c.summary) && c.indicator === 'warning')).toHaveLength(3);
  expect(cards[0]!.detail).toContain('no result on file (not negative)');
});
