import { normSystem } from '../../../src/clinical/read/json.js';

// normSystem remembers what it normalised (bounded): the remembered answer must be the computed one,
// also after the memory is cleared and for systems too long to remember.
describe('normSystem', () => {
  it.each([
    ['http://loinc.org', 'loinc.org'],
    ['HTTPS://cap.org/eCC/', 'cap.org/ecc'],
    ['  http://snomed.info/sct//  ', 'snomed.info/sct'],
    ['urn:oid:2.16.840.1.113883.6.1', 'urn:oid:2.16.840.1.113883.6.1'],
    ['', ''],
    [undefined, ''],
  ])('%p → %p, the same on every call', (system, expected) => {
    for (let i = 0; i < 3; i++) expect(normSystem(system)).toBe(expected);
  });

  it('keeps answering correctly past its memory bound and for long systems', () => {
    for (let i = 0; i < 1000; i++) expect(normSystem(`HTTP://Example.org/cs/${i}/`)).toBe(`example.org/cs/${i}`);
    expect(normSystem('https://cap.org/eCC')).toBe('cap.org/ecc');
    const long = `https://${'A'.repeat(5000)}/`;
    expect(normSystem(long)).toBe('a'.repeat(5000));
    expect(normSystem(long)).toBe('a'.repeat(5000));
  });
});
