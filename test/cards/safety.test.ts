/**
 * What must hold when the input is hostile or incomplete: FHIR text is escaped, a failed biomarker read
 * draws no conclusion, a failed context read says the setting could not be checked, and an inconsistent
 * interpretation cannot put a never-list statement on a card.
 */
import fc from 'fast-check';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildPatientViewCards } from '../../src/cards/build.js';
import { buildSummaryCard, escapeMarkdown, sourceFor } from '../../src/cards/index.js';
import type { Card, DataProblem } from '../../src/cards/types.js';
import type {
  CaveatCode,
  EligibilityCode,
  Her2Category,
  Her2IhcScore,
  Interpretation,
  ReceptorCategory,
  Subtype,
} from '../../src/clinical/types.js';
import { allText, unknownFigures, claimText, violations } from './checks.js';
import { context, idMaker, interpretation, result } from './factory.js';

const schema = JSON.parse(
  readFileSync(path.resolve(__dirname, '../../../shared/contract/biomarker-interpretation.schema.json'), 'utf8'),
) as object;
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

function build(i: Interpretation, problems: DataProblem[] = [], patientId = 'pat-1'): Card[] {
  return buildPatientViewCards({ interpretation: i, problems, patientId, newId: idMaker() });
}

const BIOMARKERS_FAILED: DataProblem = { key: 'biomarkers', role: 'biomarkers', kind: 'fetch-failed', detail: 'FHIR server answered 500' };
const CONDITIONS_FAILED: DataProblem = { key: 'conditions', role: 'conditions', kind: 'timeout', detail: 'timed out' };

describe('FHIR text is escaped before it reaches markdown', () => {
  const hostile = '<script>alert(1)</script> [click](http://evil.example) **bold** <img src=x onerror=alert(1)>';
  const i: Interpretation = {
    ...interpretation({
      her2: 'low',
      er: 'positive',
      pr: 'positive',
      caveats: ['discordant-results', 'unreadable-result'],
      her2Results: [
        result('low', hostile, { specimenLabel: hostile, specimen: 'metastasis' }),
        result('zero', 'IHC 0', { ref: 'Observation/h2' }),
      ],
    }),
    unreadable: [{ ref: 'Observation/<b>x</b>', reason: hostile }],
  };
  const cards = build(i, [{ ...CONDITIONS_FAILED, detail: hostile }]);
  const text = allText(cards);

  test('no raw HTML tag from FHIR survives in any card', () => {
    expect(text).not.toMatch(/<script|<img|<b>/i);
    expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  test('no markdown link or emphasis can be injected', () => {
    expect(text).not.toContain('[click](http://evil.example)');
    expect(text).toContain('\\[click\\](http\\://evil.example)');
    expect(text).not.toContain('**bold**');
  });

  test('the extension keeps the interpretation as data (not markdown)', () => {
    expect(cards[0]!.extension!['biomarker-interpretation']).toEqual(i);
  });

  test('escapeMarkdown keeps ordinary lab text readable', () => {
    expect(escapeMarkdown('IHC 2+, ISH group 5 (ratio 1.6, 3.1 copies/cell)')).toBe('IHC 2+, ISH group 5 (ratio 1.6, 3.1 copies/cell)');
    expect(escapeMarkdown('line1\nline2')).toBe('line1 line2');
  });
});

describe('the biomarkers could not be read', () => {
  const original = interpretation({ her2: 'low', er: 'positive', pr: 'positive', context: { metastatic: true } });
  const cards = build(original, [BIOMARKERS_FAILED]);
  const summary = cards[0]!;

  test('only the summary card: it says the status could not be read, not negative, as a warning', () => {
    expect(cards).toHaveLength(1);
    expect(summary.summary).toBe('HER2/ER/PR status could not be read — not negative. Check the results in the chart.');
    expect(summary.indicator).toBe('warning');
    expect(summary.overrideReasons?.map((r) => r.code)).toContain('data-checked');
    expect(summary.detail).toContain('FHIR server answered 500');
  });

  test('no classification, prognosis or eligibility from the partial data', () => {
    expect(summary.detail).not.toMatch(/HER2-low|IHC 1\+|T-DXd|endocrine therapy|HR\+|candidate/i);
  });

  test('the extension carries unknown categories with caveat data-unavailable, valid against the schema', () => {
    const ext = summary.extension!['biomarker-interpretation'] as Interpretation;
    expect(validate(ext)).toBe(true);
    expect(ext.her2.category).toBe('unknown');
    expect(ext.er.category).toBe('unknown');
    expect(ext.pr.category).toBe('unknown');
    expect(ext.subtype).toBe('undetermined');
    expect(ext.eligibility).toEqual([]);
    expect(ext.caveats).toEqual(['data-unavailable']);
  });

  test('buildSummaryCard (for the order hooks) gives the same summary card', () => {
    const alone = buildSummaryCard({ interpretation: original, problems: [BIOMARKERS_FAILED], newId: idMaker() });
    expect(alone).toEqual(summary);
  });
});

describe('conditions could not be read', () => {
  const i = interpretation({ her2: 'low', er: 'positive', pr: 'positive' });
  const cards = build(i, [CONDITIONS_FAILED]);

  test('the classification stands', () => {
    expect(cards[0]!.summary).toContain('HER2-low (IHC 1+) · HR+/HER2-');
  });

  test('every eligibility card says the setting could not be checked instead of "not met"', () => {
    const eligibility = cards.filter((c) => /^(T-DXd|Endocrine|TROP2)/.test(c.summary));
    expect(eligibility.length).toBe(3);
    for (const c of eligibility) {
      expect(c.detail).toContain('Treatment setting could not be checked: conditions (diagnoses and stage) could not be read');
      expect(c.detail).not.toMatch(/Setting not met/);
      expect(c.summary).not.toMatch(/no metastatic disease recorded/);
    }
  });
});

test('no reflex ISH order without a valid patient id (the card still says ISH is needed)', () => {
  const cards = build(interpretation({ her2: 'equivocal', er: 'positive', pr: 'positive' }), [], 'bad id/../x');
  expect(cards.flatMap((c) => c.suggestions ?? [])).toHaveLength(0);
  expect(cards.some((c) => /reflex ISH/.test(c.summary))).toBe(true);
});

test('the checks themselves catch a violation (they can fail)', () => {
  const low = interpretation({ her2: 'low', er: 'positive', pr: 'positive' });
  const zero = interpretation({ her2: 'zero', er: 'negative', pr: 'negative' });
  expect(violations(build(low), zero).length).toBeGreaterThan(0);
  expect(unknownFigures('5-year overall survival 87.5 %')).toEqual(['87.5']);
  expect(() => sourceFor('NO-SUCH-KEY')).toThrow();
});

// ---- property: any interpretation, even an inconsistent one ----

const HER2: Her2Category[] = ['positive', 'equivocal', 'low', 'ultralow', 'zero', 'negative-unspecified', 'indeterminate', 'unknown'];
const RECEPTOR: ReceptorCategory[] = ['positive', 'low-positive', 'negative', 'indeterminate', 'unknown'];
const SUBTYPES: Subtype[] = ['HR+/HER2-', 'HR+/HER2+', 'HR-/HER2+', 'triple-negative', 'undetermined'];
const ELIGIBILITY: EligibilityCode[] = ['anti-her2', 't-dxd-her2-low', 't-dxd-her2-ultralow', 'endocrine'];
const CAVEATS: CaveatCode[] = [
  'her2-equivocal-pending-ish', 'ish-needs-ihc-review', 'her2-low', 'her2-ultralow', 'her2-zero-rereview',
  'er-low-positive', 'er-negative-pr-positive', 'discordant-results', 'retest-on-recurrence', 'missing-her2',
  'missing-er', 'missing-pr', 'indeterminate-result', 'pam50-her2-enriched', 'cardiac-monitoring',
  'brain-metastases-risk', 'small-tumor-t1ab', 'unreadable-result', 'pending-result', 'her2-heterogeneous',
  'no-internal-controls', 'data-unavailable',
];
const IHC: Array<Her2IhcScore | null> = ['0', '0-with-staining', '1+', '2+', '3+', null];

const arbInterpretation: fc.Arbitrary<Interpretation> = fc
  .record({
    her2: fc.constantFrom(...HER2),
    er: fc.constantFrom(...RECEPTOR),
    pr: fc.constantFrom(...RECEPTOR),
    ihcScore: fc.constantFrom(...IHC),
    ishGroup: fc.constantFrom<1 | 2 | 3 | 4 | 5 | null>(1, 2, 3, 4, 5, null),
    subtype: fc.constantFrom(...SUBTYPES),
    eligibility: fc.subarray(ELIGIBILITY),
    caveats: fc.subarray(CAVEATS),
    metastatic: fc.boolean(),
    breastCancer: fc.boolean(),
    priorChemoMetastatic: fc.boolean(),
    priorEndocrineTherapy: fc.boolean(),
    priorAntiHer2: fc.boolean(),
    label: fc.oneof(fc.string({ maxLength: 200 }), fc.constant('<script>x</script>'), fc.constant('<b>[a](b)</b>')),
  })
  .map((g): Interpretation => {
    const base = interpretation({ her2: g.her2, er: g.er, pr: g.pr, ihcScore: g.ihcScore, ishGroup: g.ishGroup });
    return {
      ...base,
      her2: { ...base.her2, results: base.her2.results.map((r) => ({ ...r, specimenLabel: g.label })) },
      subtype: g.subtype,
      eligibility: g.eligibility,
      caveats: g.caveats,
      context: context({
        metastatic: g.metastatic,
        breastCancer: g.breastCancer,
        priorChemoMetastatic: g.priorChemoMetastatic,
        priorEndocrineTherapy: g.priorEndocrineTherapy,
        priorAntiHer2: g.priorAntiHer2,
      }),
    };
  });

const arbProblems: fc.Arbitrary<DataProblem[]> = fc.subarray([BIOMARKERS_FAILED, CONDITIONS_FAILED]);

test('property: for any interpretation the never-list holds and every summary is under 140 characters', () => {
  fc.assert(
    fc.property(arbInterpretation, arbProblems, (i, problems) => {
      const cards = build(i, problems);
      const shown = cards[0]!.extension!['biomarker-interpretation'] as Interpretation;
      expect(violations(cards, i)).toEqual([]);
      expect(violations(cards, shown)).toEqual([]);
      for (const c of cards) expect(c.summary.length).toBeLessThan(140);
      expect(validate(shown)).toBe(true);
      // No tag-like '<' except our own <https://…> source links, whatever the FHIR text was.
      expect(allText(cards)).not.toMatch(/<(?!https:\/\/)[A-Za-z/!?]/);
      expect(allText(cards).split('do not replace, clinical judgement').length - 1).toBe(1);
      expect(unknownFigures(claimText(cards))).toEqual([]);
      expect(cards.flatMap((c) => c.suggestions ?? []).length).toBe(shown.caveats.includes('her2-equivocal-pending-ish') ? 1 : 0);
    }),
    { numRuns: Number(process.env['CARDS_PROPERTY_RUNS'] ?? 1000), seed: process.env['CARDS_PROPERTY_SEED'] ? Number(process.env['CARDS_PROPERTY_SEED']) : 20261126 },
  );
});
