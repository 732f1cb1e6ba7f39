import fc from 'fast-check';
import { GATED_PATTERNS, type Pattern } from '../../../src/clinical/read/text.js';

// parseText skips a pattern when the text lacks all of its words (or a digit it needs). That is only
// safe if every match of the pattern contains one of the words and, when flagged, a digit: checked here
// on texts built from the readers' own vocabulary, so that every pattern does match some of them.
const phrases = [
  'HER2', 'HER-2', 'ER', 'PR', 'CEP17', 'CEP-17', 'chromosome 17', 'ratio', 'of', 'is', 'was', '=', ':', '<', '>', '<=', '≥',
  'less than', 'greater than', 'at least', '0', '1', '2', '3', '5', '8', '1.8', '2.2', '10', '95', '150', '400', '%', '-', '–', 'to',
  '+', '1+', '3+', 'mean', 'average', 'copies', 'copy number', 'signals', 'per cell', '/', 'nucleus', 'Allred', 'score', '(', ')',
  '/8', 'PS', 'IS', 'Proportion score', 'intensity score', 'H-score', 'Hscore', 'weak', 'moderate', 'strong', 'intense', 'weakly',
  'with', 'showing', 'faint', 'barely perceptible', 'incomplete', 'complete', 'basolateral', 'U-shaped', 'membrane', 'staining',
  'without', 'with no', 'no', 'null', 'negative', 'positive', 'low', 'low-positive', 'ER-low', 'ultra-low', 'HER2-low', 'HER2 zero',
  'equivocal', 'borderline', 'amplified', 'non-amplified', 'no amplification', 'not detected', 'detected', 'present', 'absent', 'neg',
  'pos', 'not evaluable', 'unevaluable', 'cannot be determined', 'indeterminate', 'failed', 'insufficient', 'inadequate',
  'unsatisfactory', 'not assessable', 'heterogeneous', 'single-probe', 'no internal controls', 'internal controls were absent',
  '.', ';', ',', 'Low Positive (1-10%)', '>0 <1+', '0 with membrane staining', 'HER2/CEP17', 'CEP17 signals per cell',
  'HER2 copies/cell', '0 with faint', 'weak-moderate', 'weak to strong', 'intense/moderate',
];
const text = fc
  .array(fc.tuple(fc.constantFrom(...phrases), fc.constantFrom(' ', '', ', '), fc.boolean()), { minLength: 1, maxLength: 8 })
  .map((parts) => parts.map(([p, sep, upper], i) => (i === 0 ? '' : sep) + (upper ? p.toUpperCase() : p.toLowerCase())).join(''));

function holds(p: Pattern, t: string): boolean {
  const re = new RegExp(p.re.source, p.re.flags.replace('g', ''));
  const m = re.exec(t);
  if (m === null) return true;
  const lower = m[0].toLowerCase();
  return (!p.digit || /\d/.test(m[0])) && p.words.some((w) => lower.includes(w));
}

describe('text patterns: words and digit flags', () => {
  const matched = new Set<string>();
  it('every match contains one of its pattern words (and a digit when flagged)', () => {
    fc.assert(
      fc.property(text, (t) => {
        for (const [name, p] of Object.entries(GATED_PATTERNS)) {
          expect({ name, text: t, holds: holds(p, t) }).toEqual({ name, text: t, holds: true });
          if (new RegExp(p.re.source, p.re.flags.replace('g', '')).test(t)) matched.add(name);
        }
      }),
      { numRuns: 3000, seed: 20260101 },
    );
  });
  it('the texts above reach every pattern (the check is not vacuous)', () => {
    expect(Object.keys(GATED_PATTERNS).filter((name) => !matched.has(name))).toEqual([]);
  });
});
