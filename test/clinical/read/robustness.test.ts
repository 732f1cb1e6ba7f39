import fc from 'fast-check';
import { readResources } from '../../../src/clinical/read/index.js';

const LOINC = 'http://loinc.org';
const her2 = (extra: Record<string, unknown>) => ({ resourceType: 'Observation', id: 'h', status: 'final', code: { coding: [{ system: LOINC, code: '85319-2' }] }, ...extra });

describe('untrusted input never throws', () => {
  test.each([
    ['null', [null]],
    ['undefined', [undefined]],
    ['numbers and strings', [1, 'Observation', true, NaN]],
    ['empty objects and arrays', [{}, [], [[]]]],
    ['resourceType of wrong type', [{ resourceType: 42 }, { resourceType: ['Observation'] }]],
    ['Bundle with junk entries', [{ resourceType: 'Bundle', type: 'searchset', entry: [null, 1, 'x', { resource: null }, { resource: { resourceType: 'Bundle', entry: 'no' } }] }]],
    ['Observation with every field of the wrong type', [{ resourceType: 'Observation', id: 7, status: 3, code: 'HER2', valueQuantity: 'three', component: 'x', interpretation: {}, note: 'n', hasMember: 5 }]],
    ['codings of wrong types', [her2({ code: { coding: [null, 1, { system: 5, code: {} }] } })]],
  ])('%s', (_n, input) => {
    expect(() => readResources(input as unknown[])).not.toThrow();
    expect(readResources(input as unknown[]).results).toEqual([]);
  });

  test('a non-array argument is tolerated', () => {
    expect(() => readResources(null as unknown as unknown[])).not.toThrow();
    expect(() => readResources({ resourceType: 'Observation' } as unknown as unknown[])).not.toThrow();
  });

  test('__proto__ / constructor keys are data, not prototypes', () => {
    const hostile = JSON.parse('{"resourceType":"Observation","id":"p","status":"final","__proto__":{"status":"final","valueString":"3+"},"constructor":{"prototype":{"x":1}},"code":{"coding":[{"system":"http://loinc.org","code":"85319-2"}],"__proto__":{"text":"x"}}}');
    const r = readResources([hostile]);
    expect(({} as Record<string, unknown>).status).toBeUndefined();
    expect(r.results[0]?.unreadable).toBe('no value'); // the value hidden in __proto__ is not read
  });

  test('1e308, NaN strings and negative numbers are not read as scores', () => {
    expect(readResources([her2({ valueQuantity: { value: 1e308 } })]).results[0]?.unreadable).toBeDefined();
    expect(readResources([her2({ valueQuantity: { value: 'NaN' } })]).results[0]?.unreadable).toBeDefined();
    expect(readResources([her2({ valueQuantity: { value: -1 } })]).results[0]?.unreadable).toBeDefined();
    const er = { resourceType: 'Observation', id: 'e', status: 'final', code: { coding: [{ system: LOINC, code: '85329-1' }] }, valueQuantity: { value: 1e308, unit: '%' } };
    expect(readResources([er]).results[0]?.unreadable).toMatch(/out of range/);
  });

  test('unicode and huge strings', () => {
    const r = readResources([her2({ valueString: 'Positif 🙂 (3+) — résultat' })]);
    expect(r.results[0]?.her2?.ihcScore).toBe('3+');
    const huge = 'x'.repeat(2_000_000) + ' Positive (3+)';
    const start = Date.now();
    expect(() => readResources([her2({ valueString: huge })])).not.toThrow();
    expect(Date.now() - start).toBeLessThan(20_000); // bounded work, generous so it never fails on a slow machine
  });

  test('deeply nested Bundles stop at a depth limit', () => {
    let b: unknown = her2({ valueString: '2+' });
    for (let i = 0; i < 1000; i++) b = { resourceType: 'Bundle', entry: [{ resource: b }] };
    expect(() => readResources([b])).not.toThrow();
  });

  test('cyclic hasMember / derivedFrom references do not loop', () => {
    const a = { resourceType: 'Observation', id: 'a', status: 'final', code: { coding: [{ system: LOINC, code: '85318-4' }] }, hasMember: [{ reference: 'Observation/b' }], derivedFrom: [{ reference: 'Observation/b' }] };
    const b = { resourceType: 'Observation', id: 'b', status: 'final', code: { coding: [{ system: LOINC, code: '49683-6' }] }, valueQuantity: { value: 2.1 }, hasMember: [{ reference: 'Observation/a' }] };
    expect(() => readResources([a, b])).not.toThrow();
  });

  test('property: any JSON value, or any value inside an Observation, never throws', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        readResources([v]);
        readResources([her2({ valueQuantity: v, valueString: typeof v === 'string' ? v : undefined, component: [v], note: [{ text: v }] })]);
        readResources([{ resourceType: 'Bundle', entry: [{ resource: v }] }]);
      }),
      { numRuns: 300 },
    );
  });

  test('property: any text in valueString never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        readResources([her2({ valueString: s }), { resourceType: 'Observation', id: 'e', status: 'final', code: { text: s }, valueString: s }]);
      }),
      { numRuns: 300 },
    );
  });
});
