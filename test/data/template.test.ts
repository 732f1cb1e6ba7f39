import { fillTemplate } from '../../src/data/template.js';
import { isReadTemplate, roleOfTemplate } from '../../src/data/roles.js';

const context = { patientId: 'p1', userId: 'Practitioner/u1', encounterId: 'e 1', count: 3, flag: true, nested: { id: 'x' } };

describe('fillTemplate (CDS Hooks 2.0 "Prefetch tokens")', () => {
  const rows: Array<{ rule: string; template: string; context?: Record<string, unknown>; filled: string | undefined }> = [
    { rule: 'context token', template: 'Patient/{{context.patientId}}', filled: 'Patient/p1' },
    { rule: 'spaces inside braces', template: 'Patient/{{ context.patientId }}', filled: 'Patient/p1' },
    { rule: 'values are URL-encoded', template: 'Encounter/{{context.encounterId}}', filled: 'Encounter/e%201' },
    { rule: 'a value cannot add a path segment', template: 'Patient/{{context.patientId}}', context: { patientId: '../Group/1' }, filled: 'Patient/..%2FGroup%2F1' },
    { rule: 'a value cannot add a query parameter', template: 'Condition?patient={{context.patientId}}', context: { patientId: 'p1&_count=9' }, filled: 'Condition?patient=p1%26_count%3D9' },
    { rule: '"." and ".." are refused', template: 'Patient/{{context.patientId}}', context: { patientId: '..' }, filled: undefined },
    { rule: 'number and boolean are primitives', template: 'X?a={{context.count}}&b={{context.flag}}', filled: 'X?a=3&b=true' },
    { rule: 'nested paths are not 2.0 tokens', template: 'X?a={{context.nested.id}}', filled: undefined },
    { rule: 'an object is not a primitive', template: 'X?a={{context.nested}}', filled: undefined },
    { rule: 'missing field', template: 'Encounter/{{context.encounterId}}', context: { patientId: 'p1' }, filled: undefined },
    { rule: 'inherited properties are not context fields', template: 'X?a={{context.constructor}}', filled: undefined },
    { rule: 'empty string cannot be filled', template: 'Patient/{{context.patientId}}', context: { patientId: '' }, filled: undefined },
    { rule: 'userPractitionerId from Practitioner/…', template: 'Practitioner/{{userPractitionerId}}', filled: 'Practitioner/u1' },
    { rule: 'userPractitionerRoleId needs PractitionerRole/…', template: 'PractitionerRole/{{userPractitionerRoleId}}', filled: undefined },
    { rule: 'userPatientId from Patient/…', template: 'Patient/{{userPatientId}}', context: { userId: 'Patient/me' }, filled: 'Patient/me' },
    { rule: 'FHIRPath tokens (next version) are not filled', template: 'Observation?date=ge{{today() - 90 days}}', filled: undefined },
    { rule: 'a template without tokens is used as is', template: 'Observation?code=http://loinc.org|85319-2', filled: 'Observation?code=http://loinc.org|85319-2' },
  ];
  test.each(rows)('$rule', ({ template, context: own, filled }) => {
    expect(fillTemplate(template, own ?? context)).toBe(filled);
  });
});

describe('roleOfTemplate (src/data/roles.ts tables; codes from CODES.md)', () => {
  const rows: Array<{ rule: string; template: string; role: string }> = [
    { rule: 'RESOURCE-TYPE Patient read', template: 'Patient/{{context.patientId}}', role: 'patient' },
    { rule: 'ROLE-BIOMARKER HER2 IHC', template: 'Observation?patient={{context.patientId}}&code=http://loinc.org|85319-2', role: 'biomarkers' },
    { rule: 'ROLE-BIOMARKER code without system', template: 'Observation?subject=Patient/{{context.patientId}}&code=85337-4', role: 'biomarkers' },
    { rule: 'ROLE-BIOMARKER URL-encoded code list', template: 'Observation?code=http%3A%2F%2Floinc.org%7C18043-0%2Chttp%3A%2F%2Floinc.org%7C85339-0', role: 'biomarkers' },
    { rule: 'ROLE-LVEF LVEF by US', template: 'Observation?patient={{context.patientId}}&code=http://loinc.org|18043-0', role: 'lvef' },
    { rule: 'ROLE-LVEF echo panel', template: 'Observation?patient={{context.patientId}}&code=http://loinc.org|34552-0&_sort=-date', role: 'lvef' },
    { rule: 'ROLE-LVEF SNOMED ejection fraction', template: 'Observation?code=http://snomed.info/sct|70822001', role: 'lvef' },
    { rule: 'serum HER2 is not a tissue biomarker', template: 'Observation?code=http://loinc.org|32996-1', role: 'other' },
    { rule: 'Observation without codes', template: 'Observation?patient={{context.patientId}}&category=laboratory', role: 'other' },
    { rule: 'RESOURCE-TYPE Condition', template: 'Condition?patient={{context.patientId}}', role: 'conditions' },
    { rule: 'RESOURCE-TYPE MedicationRequest', template: 'MedicationRequest?patient={{context.patientId}}', role: 'medications' },
    { rule: 'RESOURCE-TYPE MedicationStatement', template: 'MedicationStatement?patient={{context.patientId}}', role: 'medications' },
    { rule: 'RESOURCE-TYPE MedicationAdministration', template: 'MedicationAdministration?patient={{context.patientId}}', role: 'medications' },
    { rule: 'anything else', template: 'Encounter/{{context.encounterId}}', role: 'other' },
  ];
  test.each(rows)('$rule → $role', ({ template, role }) => {
    expect(roleOfTemplate(template)).toBe(role);
  });

  test('reads and searches are told apart (a 404 on a read is "no data")', () => {
    expect(isReadTemplate('Patient/{{context.patientId}}')).toBe(true);
    expect(isReadTemplate('Observation?patient={{context.patientId}}')).toBe(false);
    expect(isReadTemplate('Observation')).toBe(false);
  });
});
