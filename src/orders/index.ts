import type { Bundle, Observation, Resource } from 'fhir/r4.js';
import type { Interpretation } from '../clinical/types.js';
import type { Card, DataProblem } from '../cards/types.js';
import { recognizeMedication, type RecognizedDrug } from '../clinical/drugs.js';
import { buildSummaryCard, effectiveInterpretation } from '../cards/index.js';
import { draftedServiceCodes, medicationOrdersInScope, type DraftMedicationOrder } from './draft-orders.js';
import { hasRecentLvef } from './lvef.js';
import { ORDER_CONTENT, type Claim, type OrderCardKind, type SuggestionKey } from './order-content.js';
import { buildOrderCard, SERVICE_CODES, type CardContext, type CardRequest } from './order-cards.js';
import { biomarkerFacts, groupOf, matchRule, therapyGroups, type BiomarkerFacts, type OrderRule, type RuleSuggestion, type TherapyGroup } from './order-rules.js';
import { drugLabel, her2Found, hrFound, receptorFound, resultLine } from './found-text.js';

export interface OrderCheckInput {
  hook: 'order-select' | 'order-sign';
  interpretation: Interpretation;
  problems: DataProblem[];
  patientId: string;
  draftOrders: Bundle;
  /** order-select only: "Type/id" of the orders being selected. */
  selections?: string[];
  /** LVEF / echocardiography Observations on file. */
  lvef: Observation[];
  newId: () => string;
  /** Evaluation time (for the LVEF window). */
  now: Date;
  options: { quietWhenConsistent: boolean; lvefWindowDays: number };
  /** Prefetched resources (e.g. the `medications` prefetch) in which a medicationReference may be found. */
  resources?: Resource[];
  /** Put the summary card (buildSummaryCard) first whenever there is an order card: the contract wants
   *  exactly one summary card in an order response that concerns the biomarkers. Default true; set false
   *  only if the caller adds the summary card itself. */
  includeSummaryCard?: boolean;
}

export { recognizeMedication };
export type { RecognizedDrug };
export { ORDER_RULES } from './order-rules.js';

const ISH_CODES = ['85318-4', '31150-6', '74885-5', '96893-3'];
const IHC_CODES = ['85319-2', '18474-7'];
const ECHO_CODES: string[] = [SERVICE_CODES.echo.code];
/** Families whose labels require LVEF before and during treatment (GUIDELINES C1–C5, CODES.md §4 C5). */
const LVEF_FAMILIES = ['anti-her2-antibody', 't-dm1', 't-dxd'];

/** Draft orders + interpretation → order cards (order-select: the selected orders; order-sign: every draft
 *  order). Unrecognised drugs, and recognised drugs without a biomarker rule, get no card. Pure. */
export function checkOrders(input: OrderCheckInput): Card[] {
  const { problems } = input;
  // The same interpretation the summary card shows (unknown everywhere when the biomarkers could not be
  // read; never-list guard applied), so card text and extension agree.
  const interpretation = effectiveInterpretation(input.interpretation, problems);
  const facts = biomarkerFacts(interpretation, problems);
  const summary = buildSummaryCard({ interpretation: input.interpretation, problems, newId: input.newId });
  const ctx: CardContext = {
    interpretation,
    facts,
    patientId: input.patientId,
    newId: input.newId,
    extension: summary.extension ?? { 'biomarker-interpretation': interpretation },
    hook: input.hook,
  };
  const checked = { ...input, interpretation };
  const drafted = draftedServiceCodes(input.draftOrders);
  const orders = medicationOrdersInScope(input.hook, input.draftOrders, input.selections, input.resources ?? []);

  const cards: Card[] = [];
  const lvefDrugs: RecognizedDrug[] = [];
  for (const order of orders) {
    const drugs = recognise(order);
    for (const group of therapyGroups(drugs)) {
      const groupDrugs = drugs.filter((d) => groupOf(d.family) === group);
      const rule = matchRule(group, facts);
      if (!rule) continue;
      const request = findingToRequest(rule, group, order, groupDrugs, checked, facts, drafted);
      if (request) cards.push(buildOrderCard(request, ctx));
      if (rule.lvefCheck) lvefDrugs.push(...groupDrugs.filter((d) => LVEF_FAMILIES.includes(d.family)));
    }
  }
  const lvefCard = lvefRequest(lvefDrugs, input, drafted);
  if (lvefCard) cards.push(buildOrderCard(lvefCard, ctx));
  if (cards.length === 0 || input.includeSummaryCard === false) return cards;
  return [summary, ...cards];
}

function recognise(order: DraftMedicationOrder): RecognizedDrug[] {
  const byIngredient = new Map<string, RecognizedDrug>();
  for (const concept of order.concepts) {
    for (const drug of recognizeMedication(concept)) if (!byIngredient.has(drug.ingredient)) byIngredient.set(drug.ingredient, drug);
  }
  return [...byIngredient.values()];
}

/** Rule outcome → what the card says, or undefined when quiet mode drops it. */
function findingToRequest(
  matched: OrderRule,
  group: TherapyGroup,
  order: DraftMedicationOrder,
  drugs: RecognizedDrug[],
  input: OrderCheckInput,
  facts: BiomarkerFacts,
  drafted: string[],
): CardRequest | undefined {
  const { interpretation } = input;
  let rule = matched;
  let problem = problemText(input.problems);
  // Point 4: a card that would say "fits" (or confirm a setting) while a biomarker result is unread is
  // replaced by the could-not-check warning.
  const unread = interpretation.unreadable.length;
  if (rule.indicator === 'info' && unread > 0) {
    rule = { ...rule, id: `${rule.id}-UNREAD`, kind: 'could-not-check', indicator: 'warning', consistent: false, suggestions: [] };
    problem = `${unread} biomarker result${unread === 1 ? '' : 's'} could not be read`;
  }
  const her2Group = group === 'anti-her2' || group === 't-dxd';
  const found = her2Group
    ? group === 't-dxd' && facts.her2 !== 'positive' ? `${her2Found(interpretation)}, ${hrFound(facts.hr)}` : her2Found(interpretation)
    : receptorFound(interpretation);
  const content = ORDER_CONTENT.cards[rule.kind];
  const claims: Claim[] = [...content.claims];
  const notes: string[] = [];
  addKindSpecific(rule.kind, claims, notes, facts, interpretation);
  if (rule.kind === 'tdxd-low-setting' && rule.consistent === false && notes.length === 0 && input.options.quietWhenConsistent) {
    return undefined; // every setting condition is shown in the chart: a pure restatement, quiet mode drops it
  }
  if (rule.consistent && input.options.quietWhenConsistent) return undefined;
  const basisLine = her2Group
    ? resultLine(interpretation.her2.results, interpretation.her2.basis)
    : resultLine([...interpretation.er.results, ...interpretation.pr.results], [...interpretation.er.basis, ...interpretation.pr.basis]);
  if (basisLine && rule.kind !== 'could-not-check') notes.push(basisLine);
  if (rule.kind === 'could-not-check' && interpretation.her2.category !== 'unknown') notes.push(`Found so far: ${found}.`);
  return {
    kind: rule.kind,
    indicator: rule.indicator,
    ruleId: rule.id,
    orderRef: order.ref,
    deletable: order.deletable,
    drugs,
    claims,
    notes,
    values: { drug: drugLabel(drugs), found, problem },
    suggestions: resolveSuggestions(rule.suggestions, facts, drafted),
    reasonRefs: interpretation.her2.basis,
  };
}

function addKindSpecific(kind: OrderCardKind, claims: Claim[], notes: string[], facts: BiomarkerFacts, interpretation: Interpretation): void {
  const content = ORDER_CONTENT.cards[kind];
  if (kind === 'anti-her2-not-positive') {
    const extra = content.byHer2?.[facts.her2];
    if (extra) claims.push(extra);
  }
  if (kind === 'her2-unresolved') {
    for (const caveat of facts.caveats) {
      const extra = content.byCaveat?.[caveat];
      if (extra) claims.push(extra);
    }
  }
  if (kind === 'tdxd-not-eligible') {
    const key = facts.her2 === 'ultralow' ? `ultralow-hr-${facts.hr}` : facts.her2;
    const extra = content.byHer2?.[key];
    if (extra) claims.push(extra);
    if ((facts.her2 === 'zero' || facts.her2 === 'negative-unspecified') && facts.hr === 'positive' && content.hrPositiveHer2Zero) {
      claims.push(content.hrPositiveHer2Zero);
    }
  }
  if (kind === 'tdxd-low-setting') {
    const ctx = interpretation.context;
    if (facts.hr === 'positive' && content.hrPositive) claims.push(content.hrPositive);
    const text = content.notes ?? {};
    if (!ctx.metastatic && text['no-metastatic']) notes.push(text['no-metastatic']);
    if (!ctx.priorChemoMetastatic && text['no-prior-chemo']) notes.push(text['no-prior-chemo']);
    if (facts.hr === 'positive' && !ctx.priorEndocrineTherapy && text['no-prior-endocrine']) notes.push(text['no-prior-endocrine']);
    if (facts.hr === 'unknown' && text['hr-unknown']) notes.push(text['hr-unknown']);
  }
}

/** `resolve-her2` → reflex ISH or IHC review; a test already drafted in this session is not suggested again. */
function resolveSuggestions(keys: readonly RuleSuggestion[], facts: BiomarkerFacts, drafted: string[]): SuggestionKey[] {
  const out: SuggestionKey[] = [];
  for (const key of keys) {
    if (key !== 'resolve-her2') {
      out.push(key);
      continue;
    }
    const needsIhc = facts.caveats.includes('ish-needs-ihc-review') && !facts.caveats.includes('her2-equivocal-pending-ish');
    const test: SuggestionKey = needsIhc ? 'ihc-review' : 'reflex-ish';
    const codes = test === 'ihc-review' ? IHC_CODES : ISH_CODES;
    if (!drafted.some((c) => codes.includes(c))) out.push(test);
  }
  return out;
}

/** One response-wide card when an LVEF-monitored drug is ordered and no LVEF is on file in the window
 *  (or the LVEF data could not be read), unless an echocardiogram is already drafted. */
function lvefRequest(drugs: RecognizedDrug[], input: OrderCheckInput, drafted: string[]): CardRequest | undefined {
  if (drugs.length === 0) return undefined;
  if (drafted.some((c) => ECHO_CODES.includes(c))) return undefined;
  const lvefProblems = input.problems.filter((p) => p.role === 'lvef');
  if (lvefProblems.length === 0 && hasRecentLvef(input.lvef, input.now, input.options.lvefWindowDays)) return undefined;
  const content = ORDER_CONTENT.cards['lvef-missing'];
  const byDrug = content.byDrug ?? {};
  const claims: Claim[] = [];
  const push = (key: string): void => {
    const claim = byDrug[key];
    if (claim && !claims.includes(claim)) claims.push(claim);
  };
  for (const drug of drugs) {
    if (drug.family === 't-dxd') push('t-dxd');
    else if (drug.family === 't-dm1') push('t-dm1');
    else if (drug.ingredient === 'trastuzumab') push('trastuzumab');
    else if (drug.ingredient === 'pertuzumab') push('pertuzumab');
    else push('other-antibody');
  }
  const notes: string[] = [];
  const text = content.notes ?? {};
  if (lvefProblems.length > 0 && text['lvef-problem']) notes.push(text['lvef-problem']);
  if (text.window) notes.push(text.window);
  if (text['echo-code']) notes.push(text['echo-code']);
  if (drugs.some((d) => d.ingredient === 'trastuzumab' || d.ingredient === 'pertuzumab')) push('subcutaneous');
  claims.push({ id: 'LV-CODE', text: '', sources: content.echoCodeSources ?? [] });
  return {
    kind: 'lvef-missing',
    indicator: 'warning',
    ruleId: lvefProblems.length > 0 ? 'LV-UNREAD' : 'LV-MISSING',
    drugs: dedupe(drugs),
    claims: claims.filter((c) => c.text !== '' || c.sources.length > 0),
    notes,
    values: { drug: drugLabel(dedupe(drugs)), days: String(input.options.lvefWindowDays), problem: problemText(lvefProblems) },
    suggestions: ['echo'],
  };
}

function dedupe(drugs: RecognizedDrug[]): RecognizedDrug[] {
  return [...new Map(drugs.map((d) => [d.ingredient, d])).values()];
}

function problemText(problems: readonly DataProblem[]): string {
  const relevant = problems.filter((p) => p.role === 'biomarkers' || p.role === 'lvef');
  return relevant.length > 0 ? relevant.map((p) => p.detail).join('; ') : 'biomarker data unavailable';
}
