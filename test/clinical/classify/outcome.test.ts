import { varies } from '../../../src/clinical/classify/outcome.js';

describe('varies', () => {
  it.each([
    [[], false],
    [['low'], false],
    [['low', 'low', 'low'], false],
    [['low', 'positive'], true],
    [['low', 'low', 'zero'], true],
    [['', 'low'], true],
  ])('%p → %p (as new Set(...).size > 1)', (items, expected) => {
    expect(varies(items, (x) => x)).toBe(expected);
    expect(varies(items, (x) => x)).toBe(new Set(items).size > 1);
  });

  it('reads any iterable through the key', () => {
    const m = new Map([['a', { c: 'x' }], ['b', { c: 'x' }]]);
    expect(varies(m.values(), (v) => v.c)).toBe(false);
    m.set('c', { c: 'y' });
    expect(varies(m.values(), (v) => v.c)).toBe(true);
  });
});
