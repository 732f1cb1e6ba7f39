/**
 * Clinical context the eligibility statements depend on (GUIDELINES §7, T1): breast cancer, metastatic
 * or recurrent disease with dates, prior therapy (via recognizeMedication), neoadjuvant treatment and the
 * T / N categories. Read from Conditions (code, stage summary), staging Observations, medication resources
 * and Procedures. Codes used, with where each was seen:
 *  - Breast cancer: SNOMED 254837009 (synthea, ctms), 408643008 (ctm-app), 372137005 (eom_patient_1);
 *    otherwise a Condition text/display naming a malignant breast tumour.
 *  - Metastasis: SNOMED 128462008 "Secondary malignant neoplastic disease", 94381002 liver, 94222008 bone,
 *    94391008 lung (fhir-data other/*); otherwise "secondary malignant"/"metasta" wording. Regional lymph
 *    nodes (e.g. 94181007 axillary nodes, ctm-app Patient01) are NOT distant metastasis.
 *  - Stage group: Condition.stage.summary and Observations LOINC 21908-9 (clinical) / 21902-2 (pathological)
 *    (both seen in fhir-data other/*), value "IV"/"4"/"Stage 4"/"IVA" → stage IV (synthea uses "4A"/"IVA").
 *  - TNM categories: LOINC 21899-0 pT, 21900-6 pN, 21901-4 pM, 21905-5 cT, 21906-3 cN, 21907-1 cM (mCODE
 *    STU1 profiles, fhircat/e2c2-fsh-modeling input/fsh/profiles/TNM*.fsh and the mCODE distant-metastases
 *    value set); SNOMED 399504009 cT, 399534004 cN, 399387003 cM category (fhir-data eom_patient_1).
 */
import type { ClinicalContext } from '../types.js';
import type { RecognizedDrug } from '../drugs.js';
import type { CodeableConcept } from 'fhir/r4.js';
import type { Collection, Entry } from './collect.js';
import { arr, codings, compareDates, conceptTexts, fhirDate, normSystem, obj, prop, str, type Json } from './json.js';
import { readDate } from './observation.js';

export type Recognizer = (concept: CodeableConcept | undefined) => RecognizedDrug[];

const SNOMED = 'snomed.info/sct';
const LOINC = 'loinc.org';

const BREAST_CANCER_SNOMED = ['254837009', '408643008', '372137005'];
const METASTASIS_SNOMED = ['128462008', '94381002', '94222008', '94391008'];

type TnmAxis = 'T' | 'N' | 'M';
const TNM_CODES: Readonly<Record<string, { axis: TnmAxis; pathological: boolean }>> = {
  [`${LOINC}|21899-0`]: { axis: 'T', pathological: true },
  [`${LOINC}|21900-6`]: { axis: 'N', pathological: true },
  [`${LOINC}|21901-4`]: { axis: 'M', pathological: true },
  [`${LOINC}|21905-5`]: { axis: 'T', pathological: false },
  [`${LOINC}|21906-3`]: { axis: 'N', pathological: false },
  [`${LOINC}|21907-1`]: { axis: 'M', pathological: false },
  [`${SNOMED}|399504009`]: { axis: 'T', pathological: false },
  [`${SNOMED}|399534004`]: { axis: 'N', pathological: false },
  [`${SNOMED}|399387003`]: { axis: 'M', pathological: false },
};
const STAGE_GROUP_CODES = [`${LOINC}|21908-9`, `${LOINC}|21902-2`];

/** Medication statuses that mean the drug was (or is being) given. Missing status is invalid FHIR and
 *  is not counted: prior therapy is never assumed. */
const GIVEN = ['active', 'completed', 'stopped', 'in-progress', 'on-hold'];

export function emptyContext(): ClinicalContext {
  return {
    breastCancer: false,
    metastatic: false,
    recurrence: false,
    priorEndocrineTherapy: false,
    priorChemoMetastatic: false,
    priorAntiHer2: false,
    neoadjuvantTherapy: false,
    basis: [],
  };
}

function key(system: string | undefined, code: string | undefined): string {
  return `${normSystem(system)}|${code ?? ''}`;
}

function earliest(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return compareDates(b, a) < 0 ? b : a;
}

/** "IV", "IVA", "4", "4A", "Stage IV", "c4", "Stage 4 (qualifier value)" → true. SNOMED concept ids are
 *  never parsed as stage numbers: only AJCC (cancerstaging.org) codes and texts. */
export function isStageFour(concept: unknown): boolean {
  const candidates = [...conceptTexts(concept)];
  for (const c of codings(concept)) if (normSystem(c.system).includes('cancerstaging') && c.code) candidates.push(c.code);
  return candidates.some((t) => /^\s*(?:stage\s*)?(?:[cpy]{1,2}\s*)?(?:IV|4)(?:[ABC])?\b/i.test(t.replace(/\(.*\)/, '').trim()));
}

/** "American Joint Committee on Cancer cT3 (qualifier value)", "pT1b", "T1b category", "cN0" → "T3"... */
export function tnmCategory(concept: unknown, axis: TnmAxis): string | undefined {
  const candidates = [...codings(concept).map((c) => c.code ?? ''), ...conceptTexts(concept)];
  const re = new RegExp(String.raw`(?:^|[^A-Za-z])(?:[cpy]{0,2}|yp|rp)(${axis}(?:is|X|[0-4])(?:mi|[a-d])?)(?![A-Za-z0-9])`, 'i');
  for (const t of candidates) {
    const m = re.exec(t);
    if (m && m[1]) return m[1].charAt(0).toUpperCase() + m[1].slice(1);
  }
  return undefined;
}

function conditionDate(r: Json): string | undefined {
  const asserted = arr(r, 'extension').find((e) => str(e, 'url') === 'http://hl7.org/fhir/StructureDefinition/condition-assertedDate');
  return (
    fhirDate(prop(r, 'onsetDateTime')) ??
    fhirDate(prop(obj(r, 'onsetPeriod'), 'start')) ??
    fhirDate(prop(r, 'recordedDate')) ??
    fhirDate(prop(asserted, 'valueDateTime'))
  );
}

function refuted(r: Json): boolean {
  return codings(prop(r, 'verificationStatus')).some((c) => c.code === 'refuted' || c.code === 'entered-in-error');
}

/** Untrusted JSON → a clean CodeableConcept for recognizeMedication (strings only). */
function cleanConcept(concept: unknown): CodeableConcept | undefined {
  const coding = codings(concept);
  const text = str(concept, 'text');
  if (coding.length === 0 && text === undefined) return undefined;
  const out: CodeableConcept = { coding };
  if (text !== undefined) out.text = text;
  return out;
}

function medicationConcept(entry: Entry, collection: Collection): CodeableConcept | undefined {
  const r = entry.resource;
  const direct = cleanConcept(prop(r, 'medicationCodeableConcept'));
  if (direct) return direct;
  const med = collection.resolve(prop(r, 'medicationReference'), entry);
  if (med && med.type === 'Medication') return cleanConcept(prop(med.resource, 'code'));
  const display = str(prop(r, 'medicationReference'), 'display');
  return display !== undefined ? { text: display } : undefined;
}

function therapyDate(r: Json): string | undefined {
  return (
    fhirDate(prop(r, 'effectiveDateTime')) ??
    fhirDate(prop(obj(r, 'effectivePeriod'), 'start')) ??
    fhirDate(prop(r, 'occurrenceDateTime')) ??
    fhirDate(prop(r, 'performedDateTime')) ??
    fhirDate(prop(obj(r, 'performedPeriod'), 'start')) ??
    fhirDate(prop(r, 'authoredOn')) ??
    fhirDate(prop(r, 'dateAsserted'))
  );
}

/** Every text of a therapy resource that may say "neoadjuvant" (category, reason, note, dosage, extensions). */
function therapyTexts(r: Json): string[] {
  const texts: string[] = [];
  for (const k of ['category', 'reasonCode', 'statusReason']) {
    const v = prop(r, k);
    for (const c of Array.isArray(v) ? v : [v]) texts.push(...conceptTexts(c));
  }
  for (const n of arr(r, 'note')) texts.push(str(n, 'text') ?? '');
  for (const d of [...arr(r, 'dosage'), ...arr(r, 'dosageInstruction')]) texts.push(str(d, 'text') ?? '');
  for (const e of arr(r, 'extension')) texts.push(...conceptTexts(prop(e, 'valueCodeableConcept')));
  texts.push(...conceptTexts(prop(r, 'code')));
  return texts;
}

interface Therapy {
  ref: string;
  drugs: RecognizedDrug[];
  date?: string;
  text: string;
  reasonRefs: Entry[];
}

export function readContext(collection: Collection, recognize: Recognizer): ClinicalContext {
  const ctx = emptyContext();
  const basis = new Set<string>();
  const metastaticConditions = new Set<string>();
  let tumor: { value: string; pathological: boolean; date?: string } | undefined;
  let nodes: { value: string; pathological: boolean; date?: string } | undefined;
  const therapies: Therapy[] = [];

  const markMetastatic = (ref: string, date: string | undefined): void => {
    ctx.metastatic = true;
    const d = earliest(ctx.metastaticDate, date);
    if (d !== undefined) ctx.metastaticDate = d;
    basis.add(ref);
  };

  for (const entry of collection.entries) {
    const r = entry.resource;
    if (entry.type === 'Condition') {
      if (refuted(r)) continue;
      const code = prop(r, 'code');
      const cs = codings(code);
      const texts = conceptTexts(code).join(' | ');
      const date = conditionDate(r);
      const snomed = cs.filter((c) => normSystem(c.system) === SNOMED).map((c) => c.code ?? '');
      const metastasis =
        snomed.some((c) => METASTASIS_SNOMED.includes(c)) ||
        (/secondary malignant|metasta/i.test(cs.map((c) => c.display ?? '').join(' ') + ' ' + texts) && !/lymph node/i.test(texts));
      const breast = snomed.some((c) => BREAST_CANCER_SNOMED.includes(c)) || (/breast/i.test(texts) && /malignan|carcinoma|cancer|neoplasm/i.test(texts));
      if (breast) {
        ctx.breastCancer = true;
        basis.add(entry.ref);
      }
      if (metastasis) {
        markMetastatic(entry.ref, date);
        metastaticConditions.add(entry.ref);
      }
      if (arr(r, 'stage').some((s) => isStageFour(prop(s, 'summary')))) markMetastatic(entry.ref, date);
      const clinical = codings(prop(r, 'clinicalStatus')).map((c) => c.code);
      if (clinical.includes('recurrence') || clinical.includes('relapse') || /recurren|relapse/i.test(texts)) {
        ctx.recurrence = true;
        const d = earliest(ctx.recurrenceDate, date);
        if (d !== undefined) ctx.recurrenceDate = d;
        basis.add(entry.ref);
      }
    } else if (entry.type === 'Observation') {
      const status = str(r, 'status');
      if (status !== 'final' && status !== 'amended' && status !== 'corrected') continue;
      let stageGroup = false;
      let tnm: (typeof TNM_CODES)[string] | undefined;
      for (const c of codings(prop(r, 'code'))) {
        const k = key(c.system, c.code);
        stageGroup ||= STAGE_GROUP_CODES.includes(k);
        tnm ??= TNM_CODES[k]; // the first coding that is a TNM category
      }
      // Most Observations (the biomarkers among them) are neither: their value and date are not read here.
      if (!stageGroup && !tnm) continue;
      const value = prop(r, 'valueCodeableConcept');
      const date = readDate(r);
      if (stageGroup && isStageFour(value)) markMetastatic(entry.ref, date);
      if (!tnm) continue;
      const category = tnmCategory(value, tnm.axis);
      if (category === undefined) continue;
      if (tnm.axis === 'M') {
        if (/^M1/i.test(category)) markMetastatic(entry.ref, date);
        continue;
      }
      const candidate: { value: string; pathological: boolean; date?: string } = { value: category, pathological: tnm.pathological };
      if (date !== undefined) candidate.date = date;
      // Pathological beats clinical; among equals the latest dated wins.
      const better = (old: typeof candidate | undefined): boolean =>
        !old ||
        (candidate.pathological && !old.pathological) ||
        (candidate.pathological === old.pathological && candidate.date !== undefined && (old.date === undefined || compareDates(candidate.date, old.date) > 0));
      if (tnm.axis === 'T' && better(tumor)) tumor = candidate;
      if (tnm.axis === 'N' && better(nodes)) nodes = candidate;
      basis.add(entry.ref);
    } else if (['MedicationRequest', 'MedicationStatement', 'MedicationAdministration', 'Procedure'].includes(entry.type)) {
      const status = str(r, 'status');
      if (status === undefined || !GIVEN.includes(status)) continue;
      const concept = entry.type === 'Procedure' ? cleanConcept(prop(r, 'code')) : medicationConcept(entry, collection);
      let drugs: RecognizedDrug[] = [];
      try {
        drugs = recognize(concept);
      } catch {
        drugs = []; // a faulty recogniser must not break the reader
      }
      const text = [...therapyTexts(r), ...(concept ? conceptTexts(concept) : [])].join(' | ');
      if (entry.type === 'Procedure' && /chemotherap/i.test(text) && drugs.length === 0) {
        drugs = [{ family: 'chemotherapy', ingredient: 'chemotherapy (procedure)', matchedBy: 'name' }];
      }
      const reasonRefs = arr(r, 'reasonReference')
        .map((ref) => collection.resolve(ref, entry))
        .filter((e): e is Entry => e !== undefined);
      const therapy: Therapy = { ref: entry.ref, drugs, text, reasonRefs };
      const date = therapyDate(r);
      if (date !== undefined) therapy.date = date;
      therapies.push(therapy);
    }
  }

  for (const t of therapies) {
    if (/neo-?adjuvant/i.test(t.text)) {
      ctx.neoadjuvantTherapy = true;
      basis.add(t.ref);
    }
    for (const d of t.drugs) {
      if (d.family === 'endocrine') {
        ctx.priorEndocrineTherapy = true;
        basis.add(t.ref);
      }
      if (['anti-her2-antibody', 'anti-her2-tki', 't-dm1', 't-dxd'].includes(d.family)) {
        ctx.priorAntiHer2 = true;
        basis.add(t.ref);
      }
      if (d.family === 'chemotherapy' && ctx.metastatic) {
        // Metastatic setting: given for a metastatic Condition, or on/after the metastasis date. With no
        // date on either side the setting is unknown and it is not counted.
        const forMetastasis = t.reasonRefs.some((e) => metastaticConditions.has(e.ref));
        const afterDate = t.date !== undefined && ctx.metastaticDate !== undefined && compareDates(t.date, ctx.metastaticDate) >= 0;
        if (forMetastasis || afterDate) {
          ctx.priorChemoMetastatic = true;
          basis.add(t.ref);
        }
      }
    }
  }
  if (tumor) ctx.tumorCategory = tumor.value;
  if (nodes) ctx.nodalCategory = nodes.value;
  ctx.basis = [...basis];
  return ctx;
}
