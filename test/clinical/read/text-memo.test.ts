import { parseText, withTextMemo } from '../../../src/clinical/read/text.js';

// Inside withTextMemo a repeated text is read once; each call must still get an equal, independent copy.
describe('parseText inside withTextMemo', () => {
  const texts: Array<[string, 'her2' | 'er' | 'pr' | 'er+pr']> = [
    ['ER Low Positive (1-10%): weak staining in 5% of tumour nuclei', 'er'],
    ['Allred score 5 (PS 3, IS 2)', 'pr'],
    ['HER2/CEP17 ratio 2.3; average HER2 copy number 3.8 signals/cell', 'her2'],
    ['ER 5%, 95%', 'er'],
    ['Negative', 'her2'],
    ['', 'er'],
  ];

  it.each(texts)('%p (%p) reads as outside it, with the same keys in the same order', (text, marker) => {
    const plain = parseText(text, marker);
    withTextMemo(() => {
      for (let i = 0; i < 3; i++) {
        const remembered = parseText(text, marker);
        expect(Object.keys(remembered)).toEqual(Object.keys(plain));
        expect(JSON.stringify(remembered)).toBe(JSON.stringify(plain));
      }
    });
  });

  it('a caller changing its copy changes nothing another caller gets', () => {
    const text = 'ER Low Positive (1-10%): weak staining in 5% of tumour nuclei; Allred 7 (PS 4, IS 3); ER 5%, 95%';
    const plain = parseText(text, 'er');
    withTextMemo(() => {
      const first = parseText(text, 'er');
      first.ambiguous.push('changed');
      if (first.allred) first.allred.total = 0;
      if (first.ambiguousFacts) first.ambiguousFacts.percent = 'changed';
      first.labCall = 'negative';
      expect(parseText(text, 'er')).toEqual(plain);
    });
  });

  it('the same text for another marker is read for that marker', () => {
    withTextMemo(() => {
      expect(parseText('3+', 'her2').ihcScore).toBe('3+');
      expect(parseText('3+', 'er').ihcScore).toBeUndefined();
      expect(parseText('3+', 'er').intensity).toBe('strong');
    });
  });

  it('the memory ends with the scope, also when the reader throws', () => {
    expect(() => withTextMemo(() => { throw new Error('reader failed'); })).toThrow('reader failed');
    expect(parseText('Negative', 'her2')).toEqual(parseText('Negative', 'her2'));
    expect(parseText('Negative', 'her2')).not.toBe(parseText('Negative', 'her2'));
  });
});
