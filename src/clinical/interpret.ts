import { classifyHer2, her2Interpretation } from './classify/her2.js';
import { caveatsOf } from './classify/caveats.js';
import { eligibilityOf, neverListViolations } from './classify/eligibility.js';
import { cmp, latest, summary } from './classify/outcome.js';
import { classifyReceptor, receptorInterpretation } from './classify/receptor.js';
import { hormoneReceptorStatus, subtypeOf } from './classify/subtype.js';
import { readResources } from './read/index.js';
import { RULE_ORDER, RULE_SET_VERSION } from './rules/table.js';
import type { BiomarkerResult, EligibilityCode, Interpretation, ReadResult, ResultSummary } from './types.js';

/**
 * The one entry point of the clinical core: FHIR resources → the biomarker interpretation of
 * ../shared/contract/biomarker-interpretation.md. Pure; the order of resources never matters.
 *
 * @example const interpretation = interpret(bundle.entry.map((e) => e.resource));
 *          interpretation.her2.category // e.g. 'low'
 */
export function interpret(resources: readonly unknown[]): Interpretation {
  return interpretRead(readResources(resources));
}

/** Same, from results already read and normalised (readResources). */
export function interpretRead(read: ReadResult): Interpretation {
  const rules = new Set<string>();
  // A result the reader flagged unreadable, or one that carries nothing to classify, is listed, never guessed.
  const unreadable = [...read.unreadable];
  const usable: BiomarkerResult[] = [];
  for (const r of read.results) {
    if (r.unreadable !== undefined) unreadable.push({ ref: r.ref, reason: r.unreadable });
    else if (r.status !== 'pending' && isEmpty(r)) unreadable.push({ ref: r.ref, reason: 'no value' });
    else usable.push(r);
  }
  // The reader may report the same Observation both ways: list it once.
  const seen = new Set<string>();
  const unique = unreadable.filter((u) => {
    const key = `${u.ref}\u0000${u.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  unreadable.length = 0;
  unreadable.push(...unique.sort((a, b) => cmp(a.ref, b.ref) || cmp(a.reason, b.reason)));

  const her2 = classifyHer2(usable);
  const er = classifyReceptor('er', usable);
  const pr = classifyReceptor('pr', usable);
  for (const id of [...her2.rules, ...er.rules, ...pr.rules]) rules.add(id);

  const hr = hormoneReceptorStatus(er, pr, read.combined);
  if (hr.fromCombined || hr.discordant) rules.add('HR-COMBINED');
  const subtype = subtypeOf(her2.category, hr.status);
  rules.add('SUBTYPE');

  let eligibility: EligibilityCode[] = eligibilityOf(her2.category, hr.status);
  const banned = neverListViolations(eligibility, her2.category, er.category, pr.category, hr.status);
  eligibility = eligibility.filter((c) => !banned.includes(c));
  if (eligibility.includes('anti-her2')) rules.add('E-ANTI-HER2');
  if (eligibility.includes('t-dxd-her2-low')) rules.add('E-TDXD-LOW');
  if (eligibility.includes('t-dxd-her2-ultralow')) rules.add('E-TDXD-ULTRALOW');
  if (eligibility.includes('endocrine')) rules.add('E-ENDOCRINE');

  const pending: ResultSummary[] = [
    ...read.results.filter((r) => r.status === 'pending' && r.unreadable === undefined).map((r) => summary(r, 'pending', `${r.marker.toUpperCase()} preliminary result`)),
    ...read.combined
      .filter((c) => c.status === 'pending')
      .map((c): ResultSummary => ({ ref: c.ref, category: 'pending', description: 'ER+PR preliminary result', effectiveDate: c.effectiveDate ?? null, specimen: 'unspecified', status: 'pending' })),
  ].sort((a, b) => cmp(a.ref, b.ref) || cmp(a.description, b.description));

  const pam50 = [...read.pam50].sort((a, b) => cmp(b.effectiveDate ?? '', a.effectiveDate ?? '') || cmp(a.ref, b.ref) || cmp(a.subtype, b.subtype));
  const evaluatedDates = usable.filter((r) => r.status !== 'pending').map((r) => r.effectiveDate);

  const caveats = caveatsOf(
    {
      her2,
      er,
      pr,
      hr: hr.status,
      hrDiscordant: hr.discordant,
      subtype,
      eligibility,
      context: read.context,
      latestResultDate: latest(evaluatedDates),
      pam50,
      hasPending: pending.length > 0,
      hasUnreadable: unreadable.length > 0,
    },
    rules,
  );

  const interpretation: Interpretation = {
    her2: her2Interpretation(her2),
    er: receptorInterpretation(er),
    pr: receptorInterpretation(pr),
    subtype,
    eligibility,
    caveats,
    context: read.context,
    rules: inTableOrder(rules),
    pending,
    unreadable,
    hormoneReceptors: { status: hr.status, fromCombined: hr.fromCombined, basis: hr.basis },
    ruleSetVersion: RULE_SET_VERSION,
  };
  if (pam50[0] !== undefined) interpretation.pam50 = pam50[0].subtype;
  return interpretation;
}

/** Rule ids in table order (unknown ids last, alphabetically). */
function inTableOrder(rules: Set<string>): string[] {
  const keyed = [...rules].map((id) => ({ id, at: RULE_ORDER.get(id) ?? 1e9 }));
  keyed.sort((a, b) => a.at - b.at || cmp(a.id, b.id));
  return keyed.map((k) => k.id);
}

/** Nothing to classify: no lab call, no score, no numbers, not failed. */
function isEmpty(r: BiomarkerResult): boolean {
  if (r.status === 'failed' || r.labCall !== undefined) return false;
  const h = r.her2;
  if (h && (h.ihcScore ?? h.stainingPattern ?? h.ishRatio ?? h.her2CopiesPerCell ?? h.cep17CopiesPerCell) !== undefined) return false;
  const f = r.receptor;
  if (f && (f.percent ?? f.allred?.total ?? f.allred?.proportion ?? f.hScore) !== undefined) return false;
  return true;
}
