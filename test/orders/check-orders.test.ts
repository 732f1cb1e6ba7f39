import type { Medication, MedicationRequest } from 'fhir/r4.js';
import type { Card } from '../../src/cards/types.js';
import { checkOrders, type OrderCheckInput } from '../../src/orders/index.js';
import { OVERRIDE_REASON_SYSTEM } from '../../src/cards/index.js';
import { concept, input, interpretation, lvefObservation, withMedication, type BiomarkerState } from './helpers.js';

type Hook = 'order-select' | 'order-sign';

/** What a clinician notices on a card: its kind, indicator and the actions its suggestions carry. */
function outline(card: Card): string {
  const check = (card.extension?.['order-check'] ?? {}) as { kind?: string };
  const actions = (card.suggestions ?? []).flatMap((s) =>
    (s.actions ?? [{ type: 'advice' as const }]).map((a) => {
      if (a.type === 'delete') return `delete ${a.resourceId}`;
      if (a.type === 'create') {
        const code = (a.resource as { code?: { coding?: Array<{ code?: string }> } }).code?.coding?.[0]?.code;
        return `create ServiceRequest ${code}`;
      }
      return 'advice';
    }),
  );
  return `${card.indicator} ${check.kind}${actions.length ? ` [${actions.join(', ')}]` : ''}`;
}

// ---- biomarker states ----
const HER2_POS: BiomarkerState = { her2: 'positive', ihcScore: '3+', er: 'positive', pr: 'positive' };
const HER2_LOW_HRPOS: BiomarkerState = { her2: 'low', ihcScore: '1+', er: 'positive', pr: 'positive', caveats: ['her2-low'] };
const HER2_LOW_HRPOS_TREATED: BiomarkerState = { ...HER2_LOW_HRPOS, context: { metastatic: true, priorEndocrineTherapy: true, priorChemoMetastatic: true } };
const HER2_LOW_TNBC: BiomarkerState = { her2: 'low', ihcScore: '1+', er: 'negative', pr: 'negative' };
const HER2_ZERO_HRPOS: BiomarkerState = { her2: 'zero', ihcScore: '0', er: 'positive', pr: 'positive' };
const HER2_NEG_UNSPEC: BiomarkerState = { her2: 'negative-unspecified', er: 'positive', pr: 'negative' };
const ULTRALOW_TNBC: BiomarkerState = { her2: 'ultralow', ihcScore: '0-with-staining', er: 'negative', pr: 'negative', caveats: ['her2-ultralow', 'her2-zero-rereview'] };
const ULTRALOW_HRPOS: BiomarkerState = { her2: 'ultralow', ihcScore: '0-with-staining', er: 'positive', pr: 'negative', caveats: ['her2-ultralow'] };
const EQUIVOCAL: BiomarkerState = { her2: 'equivocal', ihcScore: '2+', er: 'positive', pr: 'positive', caveats: ['her2-equivocal-pending-ish'] };
const ISH_REVIEW: BiomarkerState = { her2: 'equivocal', er: 'positive', pr: 'positive', caveats: ['ish-needs-ihc-review'] };
const ER_LOW: BiomarkerState = { her2: 'zero', ihcScore: '0', er: 'low-positive', erPercent: 5, pr: 'negative', caveats: ['er-low-positive'] };
const UNKNOWN: BiomarkerState = { her2: 'unknown', er: 'unknown', pr: 'unknown', caveats: ['missing-her2', 'missing-er', 'missing-pr'] };
const INDETERMINATE: BiomarkerState = { her2: 'indeterminate', er: 'positive', pr: 'positive' };

// ---- drugs as they arrive in draft orders ----
const TRASTUZUMAB: Partial<MedicationRequest> = { medicationCodeableConcept: concept('trastuzumab 150 MG Injection', '224905') };
const TRAS_ANNS: Partial<MedicationRequest> = { medicationCodeableConcept: { text: 'trastuzumab-anns 420 mg IV' } };
const PERTUZUMAB: Partial<MedicationRequest> = { medicationCodeableConcept: concept('Perjeta', '1657574') };
const PHESGO: Partial<MedicationRequest> = { medicationCodeableConcept: concept('Phesgo 1200 mg/600 mg subcutaneous', '2382604') };
const KADCYLA: Partial<MedicationRequest> = { medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '1658085', display: 'Trastuzumab 100 MG Injection [KADCYLA]' }] } };
const ENHERTU: Partial<MedicationRequest> = { medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '2267578', display: 'Trastuzumab 100 MG [Enhertu]' }] } };
const TDXD_TEXT: Partial<MedicationRequest> = { medicationCodeableConcept: { text: 'fam-trastuzumab deruxtecan-nxki 5.4 mg/kg' } };
const DATO: Partial<MedicationRequest> = { medicationCodeableConcept: { text: 'datopotamab deruxtecan 6 mg/kg' } };
const TUCATINIB: Partial<MedicationRequest> = { medicationCodeableConcept: concept('Tukysa 150 mg', '2361290') };
const TAMOXIFEN: Partial<MedicationRequest> = { medicationCodeableConcept: concept('Tamoxifen 20 MG Oral Tablet', '313195') };
const LETROZOLE: Partial<MedicationRequest> = { medicationCodeableConcept: concept('letrozole 2.5 MG', '200064') };
const PALBOCICLIB: Partial<MedicationRequest> = { medicationCodeableConcept: concept('Ibrance 125 mg', '2284105') };
const KISQALI_COPACK: Partial<MedicationRequest> = { medicationCodeableConcept: concept('Kisqali Femara Co-Pack', '1923053') };
const PACLITAXEL: Partial<MedicationRequest> = { medicationCodeableConcept: { text: 'Paclitaxel 80 mg/m2' } };
const PARACETAMOL: Partial<MedicationRequest> = { medicationCodeableConcept: concept('Acetaminophen 500 MG Oral Tablet', '198440') };
const EMPTY: Partial<MedicationRequest> = {};
const CONTAINED_ENHERTU: Partial<MedicationRequest> = {
  contained: [{ resourceType: 'Medication', id: 'med1', code: { text: 'Enhertu 100 mg vial' } } as Medication],
  medicationReference: { reference: '#med1' },
};

const SEL = 'MedicationRequest/request-123'; // the Sandbox's fixed draft id
const SIGN = 'MedicationRequest/pde-trastuzumab-1'; // the CRD example's draft id
const DEL_SEL = `delete ${SEL}`;
const DEL_SIGN = `delete ${SIGN}`;
const ISH = 'create ServiceRequest 85318-4';
const IHC = 'create ServiceRequest 85319-2';
const ECHO = 'create ServiceRequest 34552-0';
const RECENT_LVEF = { lvef: [lvefObservation('2025-12-20')] };
const OLD_LVEF = { lvef: [lvefObservation('2025-06-01')] };
const QUIET = { options: { quietWhenConsistent: true, lvefWindowDays: 90 } };

// [case, drug, biomarker state, hook, extra input, expected card outlines (in order)]
const TABLE: Array<[string, Partial<MedicationRequest>, BiomarkerState, Hook, Partial<OrderCheckInput>, string[]]> = [
  ['AH-WARN trastuzumab for HER2-low', TRASTUZUMAB, HER2_LOW_HRPOS, 'order-select', {}, [`warning anti-her2-not-positive [${DEL_SEL}]`]],
  ['AH-WARN trastuzumab for HER2-low (sign)', TRASTUZUMAB, HER2_LOW_HRPOS, 'order-sign', {}, [`warning anti-her2-not-positive [${DEL_SIGN}]`]],
  ['AH-WARN biosimilar trastuzumab-anns for HER2-low', TRAS_ANNS, HER2_LOW_HRPOS, 'order-sign', {}, [`warning anti-her2-not-positive [${DEL_SIGN}]`]],
  ['AH-CRIT trastuzumab for HER2 0', TRASTUZUMAB, HER2_ZERO_HRPOS, 'order-select', {}, [`critical anti-her2-not-positive [${DEL_SEL}]`]],
  ['AH-CRIT trastuzumab for HER2-negative unspecified', TRASTUZUMAB, HER2_NEG_UNSPEC, 'order-sign', {}, [`critical anti-her2-not-positive [${DEL_SIGN}]`]],
  ['AH-WARN trastuzumab, HER2 unknown', TRASTUZUMAB, UNKNOWN, 'order-select', {}, [`warning anti-her2-not-positive [${DEL_SEL}]`]],
  ['AH-WARN tucatinib, HER2 indeterminate', TUCATINIB, INDETERMINATE, 'order-sign', {}, [`warning anti-her2-not-positive [${DEL_SIGN}]`]],
  ['AH-WARN Kadcyla code for HER2-low (T-DM1 is anti-HER2)', KADCYLA, HER2_LOW_HRPOS, 'order-sign', {}, [`warning anti-her2-not-positive [${DEL_SIGN}]`]],
  ['AH-OK + LV trastuzumab HER2+ with no LVEF', TRASTUZUMAB, HER2_POS, 'order-select', {}, ['info anti-her2-consistent', `warning lvef-missing [${ECHO}]`]],
  ['AH-OK trastuzumab HER2+ with recent LVEF', TRASTUZUMAB, HER2_POS, 'order-sign', RECENT_LVEF, ['info anti-her2-consistent']],
  ['LV trastuzumab HER2+ with LVEF outside the window', TRASTUZUMAB, HER2_POS, 'order-sign', OLD_LVEF, ['info anti-her2-consistent', `warning lvef-missing [${ECHO}]`]],
  ['quiet: trastuzumab HER2+ with recent LVEF', TRASTUZUMAB, HER2_POS, 'order-select', { ...QUIET, ...RECENT_LVEF }, []],
  ['quiet: trastuzumab HER2+ without LVEF keeps the echo', TRASTUZUMAB, HER2_POS, 'order-select', QUIET, [`warning lvef-missing [${ECHO}]`]],
  ['AH-OK Phesgo SC HER2+ (two ingredients) no LVEF', PHESGO, HER2_POS, 'order-sign', {}, ['info anti-her2-consistent', `warning lvef-missing [${ECHO}]`]],
  ['AH-UNRES pertuzumab while IHC 2+ awaits ISH', PERTUZUMAB, EQUIVOCAL, 'order-select', {}, [`warning her2-unresolved [${ISH}, ${DEL_SEL}]`]],
  ['AH-UNRES trastuzumab, ISH group 2-4 awaiting IHC', TRASTUZUMAB, ISH_REVIEW, 'order-sign', {}, [`warning her2-unresolved [${IHC}, ${DEL_SIGN}]`]],
  ['TX-UNRES T-DXd while IHC 2+ awaits ISH', ENHERTU, EQUIVOCAL, 'order-sign', {}, [`warning her2-unresolved [${ISH}]`]],
  ['TX-ZERO T-DXd for HER2 0', ENHERTU, HER2_ZERO_HRPOS, 'order-select', {}, [`warning tdxd-not-eligible [${DEL_SEL}]`]],
  ['TX-ZERO T-DXd for HER2-negative unspecified', TDXD_TEXT, HER2_NEG_UNSPEC, 'order-sign', {}, [`warning tdxd-not-eligible [${DEL_SIGN}]`]],
  ['TX-UNK T-DXd, HER2 unknown', ENHERTU, UNKNOWN, 'order-sign', {}, [`warning tdxd-not-eligible [${DEL_SIGN}]`]],
  ['TX-ULN T-DXd for ultralow TNBC', ENHERTU, ULTRALOW_TNBC, 'order-select', {}, [`warning tdxd-not-eligible [${DEL_SEL}]`]],
  ['TX-LOW T-DXd for ultralow HR+ (recent LVEF)', ENHERTU, ULTRALOW_HRPOS, 'order-sign', RECENT_LVEF, ['info tdxd-low-setting']],
  ['TX-LOW T-DXd for HER2-low HR+, no prior ET/chemo, no LVEF', ENHERTU, HER2_LOW_HRPOS, 'order-select', {}, ['info tdxd-low-setting', `warning lvef-missing [${ECHO}]`]],
  ['TX-LOW T-DXd for HER2-low TNBC (DB-04 setting)', TDXD_TEXT, HER2_LOW_TNBC, 'order-sign', RECENT_LVEF, ['info tdxd-low-setting']],
  ['quiet: T-DXd HER2-low HR+ with setting on chart', ENHERTU, HER2_LOW_HRPOS_TREATED, 'order-sign', { ...QUIET, ...RECENT_LVEF }, []],
  ['quiet: T-DXd HER2-low HR+ without prior therapy on chart is kept', ENHERTU, HER2_LOW_HRPOS, 'order-sign', { ...QUIET, ...RECENT_LVEF }, ['info tdxd-low-setting']],
  ['TX-OK T-DXd HER2+ no LVEF', ENHERTU, HER2_POS, 'order-sign', {}, ['info tdxd-consistent', `warning lvef-missing [${ECHO}]`]],
  ['EN-NEG tamoxifen for ER-/PR-', TAMOXIFEN, HER2_LOW_TNBC, 'order-select', {}, [`warning endocrine-hr-negative [${DEL_SEL}]`]],
  ['EN-LOW tamoxifen for ER-low', TAMOXIFEN, ER_LOW, 'order-sign', {}, ['info endocrine-er-low']],
  ['EN-UNK tamoxifen, ER/PR unknown', TAMOXIFEN, UNKNOWN, 'order-sign', {}, ['warning endocrine-unknown']],
  ['EN-OK letrozole for ER+', LETROZOLE, HER2_LOW_HRPOS, 'order-select', {}, ['info endocrine-consistent']],
  ['quiet: letrozole for ER+', LETROZOLE, HER2_LOW_HRPOS, 'order-select', QUIET, []],
  ['CD-NEG palbociclib for ER-/PR-', PALBOCICLIB, HER2_LOW_TNBC, 'order-sign', {}, [`warning cdk46-hr-negative [${DEL_SIGN}]`]],
  ['palbociclib for HR+: no card (no label source researched)', PALBOCICLIB, HER2_LOW_HRPOS, 'order-sign', {}, []],
  ['co-pack ribociclib+letrozole for ER-/PR-: one endocrine card', KISQALI_COPACK, HER2_LOW_TNBC, 'order-sign', {}, [`warning endocrine-hr-negative [${DEL_SIGN}]`]],
  ['Dato-DXd for HER2 0 is not T-DXd: no card', DATO, HER2_ZERO_HRPOS, 'order-sign', {}, []],
  ['chemotherapy: no biomarker rule, no card', PACLITAXEL, HER2_ZERO_HRPOS, 'order-sign', {}, []],
  ['unrecognised drug: no card', PARACETAMOL, HER2_ZERO_HRPOS, 'order-select', {}, []],
  ['Sandbox draft with empty medication: no card', EMPTY, HER2_ZERO_HRPOS, 'order-select', {}, []],
  ['medicationReference to a contained Medication (Enhertu) for HER2 0', CONTAINED_ENHERTU, HER2_ZERO_HRPOS, 'order-select', {}, [`warning tdxd-not-eligible [${DEL_SEL}]`]],
  ['AH-DATA trastuzumab when biomarkers could not be fetched', TRASTUZUMAB, UNKNOWN, 'order-select',
    { problems: [{ key: 'biomarkers', role: 'biomarkers', kind: 'timeout', detail: 'FHIR server did not answer in time' }], ...RECENT_LVEF }, ['warning could-not-check']],
  ['AH-DATA in quiet mode is never silent', TRASTUZUMAB, HER2_POS, 'order-select',
    { problems: [{ key: 'biomarkers', role: 'biomarkers', kind: 'partial', detail: 'second page failed' }], ...QUIET, ...RECENT_LVEF }, ['warning could-not-check']],
  ['EN-DATA tamoxifen when biomarkers could not be fetched', TAMOXIFEN, UNKNOWN, 'order-sign',
    { problems: [{ key: 'biomarkers', role: 'biomarkers', kind: 'fetch-failed', detail: 'FHIR server answered 500' }] }, ['warning could-not-check']],
  ['AH-OK-UNREAD HER2+ but a result unread: not "consistent"', TRASTUZUMAB, { ...HER2_POS, unreadable: [{ ref: 'Observation/x', reason: 'no value' }] }, 'order-sign', RECENT_LVEF, ['warning could-not-check']],
  ['LV-UNREAD LVEF data could not be read', TRASTUZUMAB, HER2_POS, 'order-sign',
    { problems: [{ key: 'lvef', role: 'lvef', kind: 'unauthorized', detail: 'FHIR server answered 403' }], ...QUIET }, [`warning lvef-missing [${ECHO}]`]],
];

describe('checkOrders: drug × biomarker state × hook (real Sandbox order-select and CRD order-sign shapes)', () => {
  it.each(TABLE)('%s', (_case, drug, state, hook, extra, expected) => {
    const request = withMedication(hook, drug);
    const cards = checkOrders(input(request, hook, interpretation(state), extra));
    expect(cards.map(outline)).toEqual(expected);
  });
});

describe('every order card', () => {
  const all = TABLE.flatMap(([, drug, state, hook, extra]) =>
    checkOrders(input(withMedication(hook, drug), hook, interpretation(state), extra)),
  );
  it('carries the interpretation extension, a source, a short filled summary and displayable override reasons', () => {
    expect(all.length).toBeGreaterThan(30);
    for (const card of all) {
      expect(card.extension?.['biomarker-interpretation']).toBeDefined();
      expect(card.source.label).not.toBe('');
      expect(card.source.url).toMatch(/^https:\/\//);
      for (const s of card.suggestions ?? []) expect(s.actions?.length).toBeGreaterThan(0);
      expect(card.summary.length).toBeLessThan(140);
      expect(`${card.summary}\n${card.detail ?? ''}`).not.toMatch(/\{\w+\}/);
      expect(card.detail).toMatch(/#### Sources\n1\. /);
      for (const reason of card.overrideReasons ?? []) {
        expect(reason.system).toBe(OVERRIDE_REASON_SYSTEM);
        expect(reason.display).toBeTruthy();
      }
      if (card.suggestions) expect(card.selectionBehavior).toBe('at-most-one');
    }
  });
  it('warnings and critical cards offer override reasons', () => {
    for (const card of all.filter((c) => c.indicator !== 'info')) expect(card.overrideReasons?.length).toBeGreaterThan(0);
  });
  it('never calls an order consistent while biomarker data are missing, unresolved or unread', () => {
    const risky = TABLE.filter(([, , state, , extra]) => state.her2 === 'unknown' || state.her2 === 'equivocal' || (state.unreadable?.length ?? 0) > 0 || (extra.problems ?? []).some((p) => p.role === 'biomarkers'));
    for (const [, drug, state, hook, extra] of risky) {
      const cards = checkOrders(input(withMedication(hook, drug), hook, interpretation(state), extra));
      const kinds = cards.map((c) => (c.extension?.['order-check'] as { kind: string }).kind);
      expect(kinds.filter((k) => k.endsWith('-consistent'))).toEqual([]);
    }
  });
});

describe('card content', () => {
  it('says what the label requires and what was found (trastuzumab for HER2-low)', () => {
    const [card] = checkOrders(input(withMedication('order-select', TRASTUZUMAB), 'order-select', interpretation(HER2_LOW_HRPOS)));
    expect(card?.summary).toContain('IHC 3+ or ISH+');
    expect(card?.summary).toContain('HER2-low, IHC 1+');
  });
  it('T-DXd HER2-low HR+ card names the settings to confirm and what the chart does not show', () => {
    const [card] = checkOrders(input(withMedication('order-sign', ENHERTU), 'order-sign', interpretation(HER2_LOW_HRPOS), RECENT_LVEF));
    expect(card?.detail).toContain('prior chemotherapy in the metastatic setting');
    expect(card?.detail).toContain('endocrine therapies in the metastatic setting');
    expect(card?.detail).toContain('does not show chemotherapy');
    expect(card?.detail).toContain('does not show prior endocrine therapy');
  });
  it('T-DXd HER2+ card names the HER2-positive settings (1st line with pertuzumab, 2nd line, residual disease)', () => {
    const [card] = checkOrders(input(withMedication('order-sign', ENHERTU), 'order-sign', interpretation(HER2_POS), RECENT_LVEF));
    expect(card?.detail).toMatch(/pertuzumab \(DESTINY-Breast09\)/);
    expect(card?.detail).toContain('DESTINY-Breast03');
    expect(card?.detail).toContain('residual disease');
  });
  it('cites Enhertu\'s own LVEF rules for T-DXd and the trastuzumab label for trastuzumab', () => {
    const tdxd = checkOrders(input(withMedication('order-sign', ENHERTU), 'order-sign', interpretation(HER2_POS))).at(-1);
    expect((tdxd?.extension?.['order-check'] as { sources: string[] }).sources).toEqual(expect.arrayContaining(['ENHERTU-HCP-LVEF']));
    expect((tdxd?.extension?.['order-check'] as { sources: string[] }).sources).not.toContain('LABEL-TRASTUZUMAB');
    const tras = checkOrders(input(withMedication('order-sign', PHESGO), 'order-sign', interpretation(HER2_POS))).at(-1);
    expect((tras?.extension?.['order-check'] as { sources: string[] }).sources).toEqual(
      expect.arrayContaining(['LABEL-TRASTUZUMAB', 'LABEL-PERJETA', 'LABEL-SC-TRASTUZUMAB']),
    );
  });
  it('the echo suggestion creates a draft ServiceRequest for LOINC 34552-0 for this patient', () => {
    const request = withMedication('order-select', TRASTUZUMAB);
    const echo = checkOrders(input(request, 'order-select', interpretation(HER2_POS))).at(-1);
    const resource = echo?.suggestions?.[0]?.actions?.[0]?.resource as Record<string, unknown>;
    expect(resource).toMatchObject({
      resourceType: 'ServiceRequest',
      status: 'draft',
      subject: { reference: `Patient/${request.context.patientId}` },
      code: { coding: [{ system: 'http://loinc.org', code: '34552-0', display: 'Cardiac 2D echo panel' }] },
    });
  });
  it('the reflex ISH suggestion points at the IHC 2+ result', () => {
    const [card] = checkOrders(input(withMedication('order-select', PERTUZUMAB), 'order-select', interpretation(EQUIVOCAL)));
    expect(card?.summary).toMatch(/^HER2 status unresolved/);
    expect(card?.suggestions?.[0]?.actions?.[0]?.resource).toMatchObject({ reasonReference: [{ reference: 'Observation/her2-ihc-1' }] });
  });
  it('ER-low card carries the limited-benefit caveat and the observational survival finding', () => {
    const [card] = checkOrders(input(withMedication('order-sign', TAMOXIFEN), 'order-sign', interpretation(ER_LOW)));
    expect(card?.detail).toContain('limited');
    expect(card?.detail).toContain('HR 1.23');
  });
  it('a data-problem card says the order was not checked', () => {
    const [card] = checkOrders(
      input(withMedication('order-select', TRASTUZUMAB), 'order-select', interpretation(UNKNOWN), {
        problems: [{ key: 'biomarkers', role: 'biomarkers', kind: 'timeout', detail: 'FHIR server did not answer in time' }],
      }),
    );
    expect(card?.summary).toContain('not checked');
    expect(card?.detail).toContain('FHIR server did not answer in time');
  });
});

describe('the summary card in order responses', () => {
  it('comes first, once, when an order gets a card; order cards carry the same interpretation extension', () => {
    const cards = checkOrders(input(withMedication('order-select', TRASTUZUMAB), 'order-select', interpretation(HER2_POS), { includeSummaryCard: true }));
    expect(cards).toHaveLength(3);
    expect(cards[0]?.extension?.['order-check']).toBeUndefined();
    expect(cards.slice(1).every((c) => c.extension?.['order-check'] !== undefined)).toBe(true);
    for (const card of cards) expect(card.extension?.['biomarker-interpretation']).toEqual(cards[0]?.extension?.['biomarker-interpretation']);
  });
  it('is not sent when no order gets a card (unrecognised drug, quiet mode)', () => {
    expect(checkOrders(input(withMedication('order-select', PARACETAMOL), 'order-select', interpretation(HER2_POS), { includeSummaryCard: true }))).toEqual([]);
    expect(checkOrders(input(withMedication('order-select', LETROZOLE), 'order-select', interpretation(HER2_LOW_HRPOS), { includeSummaryCard: true, ...QUIET }))).toEqual([]);
  });
  it('when the biomarkers could not be read, the extension says unknown/data-unavailable, as the summary card does', () => {
    const cards = checkOrders(input(withMedication('order-select', TRASTUZUMAB), 'order-select', interpretation(HER2_POS), {
      includeSummaryCard: true,
      problems: [{ key: 'biomarkers', role: 'biomarkers', kind: 'partial', detail: 'second page failed' }],
      ...RECENT_LVEF,
    }));
    const ext = cards[1]?.extension?.['biomarker-interpretation'] as { her2: { category: string }; caveats: string[] };
    expect(ext.her2.category).toBe('unknown');
    expect(ext.caveats).toContain('data-unavailable');
    expect(cards[1]?.indicator).toBe('warning');
  });
});

describe('the response schema of the protocol layer', () => {
  it('accepts every order card of the table (with real uuids)', async () => {
    const { randomUUID } = await import('node:crypto');
    const { hookResponseSchema } = await import('../../src/protocol/response-schema.js');
    for (const [name, drug, state, hook, extra] of TABLE) {
      const cards = checkOrders(input(withMedication(hook, drug), hook, interpretation(state), { ...extra, newId: randomUUID }));
      const parsed = hookResponseSchema.safeParse({ cards });
      if (!parsed.success) throw new Error(`${name}: ${JSON.stringify(parsed.error.issues)}`);
    }
  });
});
