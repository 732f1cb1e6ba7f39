import { interpret, interpretRead } from '../../../src/clinical/interpret.js';
import { RULES, RULE_SET_VERSION } from '../../../src/clinical/rules/table.js';
import { er, her2Ihc, pct, pr, readResult, schemaErrors } from '../classify/helpers.js';

const coded = (id: string, loinc: string, snomed: string, status = 'final') => ({
  resourceType: 'Observation',
  id,
  status,
  subject: { reference: 'Patient/p' },
  effectiveDateTime: '2023-04-01',
  code: { coding: [{ system: 'http://loinc.org', code: loinc }] },
  valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: snomed }] },
});
const POS = '10828004';
const NEG = '260385009';

describe('interpret()', () => {
  test('no resources: every marker unknown with its missing caveat, valid against the contract', () => {
    const i = interpret([]);
    expect(i).toMatchObject({ her2: { category: 'unknown', basis: [] }, er: { category: 'unknown' }, pr: { category: 'unknown' }, subtype: 'undetermined', eligibility: [] });
    expect(i.caveats).toEqual(['missing-her2', 'missing-er', 'missing-pr']);
    expect(i.ruleSetVersion).toBe(RULE_SET_VERSION);
    expect(schemaErrors(i)).toEqual([]);
  });

  test('a Bundle of coded results: HR+/HER2-, preliminary shown as pending, entered-in-error ignored', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        coded('er', '85337-4', POS),
        coded('pr', '85339-0', NEG),
        coded('her2', '85319-2', NEG),
        coded('her2-prelim', '85319-2', POS, 'preliminary'),
        coded('her2-eie', '85319-2', POS, 'entered-in-error'),
      ].map((resource) => ({ resource })),
    };
    const i = interpret([bundle]);
    expect([i.her2.category, i.er.category, i.pr.category, i.subtype]).toEqual(['negative-unspecified', 'positive', 'negative', 'HR+/HER2-']);
    expect(i.eligibility).toEqual(['endocrine']);
    expect(i.pending.map((p) => p.ref)).toEqual(['Observation/her2-prelim']);
    expect(i.caveats).toContain('pending-result');
    expect(JSON.stringify(i)).not.toContain('her2-eie');
    expect(schemaErrors(i)).toEqual([]);
  });

  test('rules lists GUIDELINES ids in table order; every id used exists in the rule table', () => {
    const i = interpretRead(readResult([er({ percent: pct(5) }), pr({ percent: pct(0) }), her2Ihc({ ihcScore: '1+' })]));
    expect(i.rules).toEqual(expect.arrayContaining(['N4', 'R2', 'R5', 'H3', 'E-TDXD-LOW', 'E-ENDOCRINE']));
    const ids = new Set(RULES.map((r) => r.id));
    for (const id of i.rules) expect(ids.has(id)).toBe(true);
    expect(i.caveats).toEqual(['her2-low', 'er-low-positive']);
  });
});

describe('the rule table', () => {
  test('every row has an id and a source key; thresholds appear once per id and kind', () => {
    for (const r of RULES) {
      expect(r.id).toMatch(/\S/);
      expect(r.source).toMatch(/\S/);
    }
    const keys = RULES.filter((r) => r.kind !== 'her2-ihc-pattern' && r.kind !== 'allred-proportion' && r.kind !== 'allred-total').map((r) => `${r.kind}:${r.id}:${'marker' in r ? r.marker : ''}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
