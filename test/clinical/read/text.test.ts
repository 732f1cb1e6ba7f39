import { parseText, splitByMarker, type TextFacts } from '../../../src/clinical/read/text.js';

type Row = [note: string, marker: 'her2' | 'er' | 'pr', text: string, expected: Partial<TextFacts>];

// One row per phrasing; the note says where the phrasing comes from (issue 5 text, fhir-data, lab usage).
const rows: Row[] = [
  ['issue 5: score with call', 'her2', 'Positive (3+)', { labCall: 'positive', ihcScore: '3+' }],
  ['issue 5: equivocal score', 'her2', 'Score 2+ (equivocal)', { labCall: 'equivocal', ihcScore: '2+' }],
  ['issue 5: ER percent and intensity', 'er', 'ER: 95% of tumour cells, strong', { percent: { value: 95 }, intensity: 'strong' }],
  ['issue 5: ISH ratio and copies', 'her2', 'HER2/CEP17 ratio 2.3; average HER2 copy number 3.8 signals/cell', { ishRatio: { value: 2.3 }, her2Copies: { value: 3.8 } }],
  ['issue 5: IHC 0 with membrane staining', 'her2', 'IHC 0 with faint incomplete membrane staining in 5% of cells', { ihcScore: '0-with-staining', stainingPattern: 'faint-incomplete', percent: { value: 5 } }],
  ['CAP eCC answer display', 'her2', 'Negative (Score 0)', { labCall: 'negative', ihcScore: '0' }],
  ['CAP eCC indeterminate display', 'er', 'Cannot be determined (indeterminate)', { labCall: 'indeterminate', notEvaluable: true }],
  ['Synthea FISH valueString', 'her2', 'less than 1.8', { bareNumber: { value: 1.8, comparator: '<' } }],
  ['Synthea FISH valueString', 'her2', 'greater than 2.2', { bareNumber: { value: 2.2, comparator: '>' } }],
  ['comparator percent (N6)', 'er', '<1%', { percent: { value: 1, comparator: '<' } }],
  ['range percent (N5)', 'er', '1-5%', { percent: { low: 1, high: 5 } }],
  ['range percent with en dash', 'pr', 'PR 10–20 %', { percent: { low: 10, high: 20 } }],
  ['Allred total', 'er', 'Allred 7/8', { allred: { total: 7 } }],
  ['Allred with parts', 'er', 'Allred score 5 (PS 3, IS 2)', { allred: { total: 5, proportion: 3, intensity: 2 } }],
  ['H-score', 'pr', 'H-score 150', { hScore: 150 }],
  ['ultralow wording', 'her2', 'HER2-ultralow', { labCall: 'ultralow' }],
  ['HER2-low wording', 'her2', 'HER2-low (IHC 1+)', { labCall: 'low', ihcScore: '1+' }],
  ['ER low positive wording (R2)', 'er', 'ER low positive, 5%', { labCall: 'low-positive', percent: { value: 5 } }],
  ['not amplified', 'her2', 'Not amplified', { labCall: 'negative' }],
  ['amplified', 'her2', 'HER2 gene amplified, ratio 4.1', { labCall: 'positive', ishRatio: { value: 4.1 } }],
  ['not evaluable', 'her2', 'Not evaluable - insufficient tumour', { labCall: 'indeterminate', notEvaluable: true }],
  ['CEP17 count', 'her2', 'mean CEP17 signals per cell 2.1', { cep17Copies: { value: 2.1 } }],
  ['ratio with comparator', 'her2', 'ratio >= 2.0', { ishRatio: { value: 2, comparator: '>=' } }],
  ['heterogeneity (T6)', 'her2', 'IHC 2+, heterogeneous staining', { ihcScore: '2+', heterogeneous: true }],
  ['no internal controls (R6)', 'er', 'ER 5%, no internal controls present', { percent: { value: 5 }, noInternalControls: true }],
  ['weakly positive ER stays positive (R3)', 'er', 'weakly positive, 60%', { labCall: 'positive', intensity: 'weak', percent: { value: 60 } }],
  ['"PR is 5%" is not an Allred intensity score', 'pr', 'PR is 5%', { percent: { value: 5 }, allred: undefined }],
  ['"Present" is presence, not a call', 'her2', 'Present', { presence: true, labCall: undefined }],
  ['bare IHC score', 'her2', '3', { bareNumber: { value: 3 } }],
  ['H4 ultralow notation (fixture her2-ultralow-hr-pos)', 'her2', 'staining in 5% of cells (IHC >0 <1+)', { ihcScore: '0-with-staining', percent: { value: 5 } }],
  ['H4 label wording "0 with membrane staining"', 'her2', '0 with membrane staining (ultralow)', { ihcScore: '0-with-staining', labCall: 'ultralow' }],
  ['intensity range is not two intensities (fixture her2-ihc2-awaiting-ish)', 'pr', 'Positive, 30% of tumour nuclei, weak-moderate intensity', { labCall: 'positive', percent: { value: 30 }, intensity: undefined }],
  ['R2 band restated next to the call is no measurement (fixture er-low-positive)', 'er', 'ER Low Positive (1-10%): weak staining in 5% of tumour nuclei', { labCall: 'low-positive', percent: { value: 5 }, intensity: 'weak' }],
];

describe('free-text reader', () => {
  test.each(rows)('%s: %s "%s"', (_note, marker, text, expected) => {
    const facts = parseText(text, marker);
    for (const [key, value] of Object.entries(expected)) expect(facts[key as keyof TextFacts]).toEqual(value);
    expect(facts.ambiguous).toEqual([]);
  });

  test.each([
    ['two different IHC scores', 'her2', 'IHC 1+ in one block, 3+ in another'],
    ['two different percentages for one receptor', 'er', '95% strong, 5% weak'],
    ['a range that is not the R2 band next to its call', 'er', 'Low positive (1-5%), 5%'],
    ['positive and negative together', 'er', 'positive; negative control'],
    ['Allred out of range', 'er', 'Allred 9'],
    ['H-score out of range', 'pr', 'H-score 450'],
  ] as const)('ambiguous text is flagged, never picked from: %s', (_n, marker, text) => {
    expect(parseText(text, marker).ambiguous.length).toBeGreaterThan(0);
  });

  test('text that says nothing gives no facts', () => {
    const facts = parseText('see pathology report', 'her2');
    expect(facts).toEqual({ ambiguous: [] });
  });

  test('splits one text into one segment per marker', () => {
    const segs = splitByMarker('ER positive (90%), PR negative (<1%)');
    expect(segs.map((s) => s.marker)).toEqual(['er', 'pr']);
    expect(parseText(segs[0]!.text, 'er')).toMatchObject({ labCall: 'positive', percent: { value: 90 } });
    expect(parseText(segs[1]!.text, 'pr')).toMatchObject({ labCall: 'negative', percent: { value: 1, comparator: '<' } });
  });
});
