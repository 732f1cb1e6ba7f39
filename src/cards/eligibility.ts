/**
 * Eligibility cards, one per eligibility code of the (guarded) interpretation, plus the text-only TROP2
 * antibody-drug conjugate card for HR+/HER2- and triple-negative disease (so "no T-DXd" never reads as
 * "no ADC"). Every card states its setting (GUIDELINES.md section 7; CODES.md section 5) and what the
 * chart shows: setting met, not met (said, not silently dropped), or not checkable when conditions or
 * medications could not be read.
 */
import type { EligibilityCode, Interpretation } from '../clinical/types.js';
import type { Card, DataProblem } from './types.js';
import type { EligibilityEntry } from './content.js';
import { ELIGIBILITY, SUMMARY } from './content.js';
import { allHold, isHrPositive } from './conditions.js';
import { contextProblems } from './guard.js';
import { contentCard } from './card.js';

/** Which chart-status sentence applies; undefined when the setting could not be checked. */
type StatusKey = string;

const CONTEXT_WORDS: Record<string, string> = {
  conditions: 'conditions (diagnoses and stage)',
  medications: 'medications (prior therapy)',
};

function tdxdLowStatus(i: Interpretation): StatusKey {
  const c = i.context;
  if (!c.metastatic) return 'not-metastatic';
  const priorOk = c.priorChemoMetastatic || (isHrPositive(i) && c.priorEndocrineTherapy);
  return priorOk ? 'met' : 'metastatic-no-prior';
}

function tdxdUltralowStatus(i: Interpretation): StatusKey {
  const c = i.context;
  if (!c.metastatic) return 'not-metastatic';
  return c.priorEndocrineTherapy ? 'met' : 'metastatic-no-prior';
}

function antiHer2Status(i: Interpretation): StatusKey {
  const c = i.context;
  if (c.metastatic) return c.priorAntiHer2 ? 'metastatic-prior-anti-her2' : 'metastatic';
  return c.neoadjuvantTherapy ? 'early-neoadjuvant' : 'early';
}

function statusFor(code: EligibilityCode, i: Interpretation): StatusKey {
  switch (code) {
    case 'anti-her2':
      return antiHer2Status(i);
    case 't-dxd-her2-low':
      return tdxdLowStatus(i);
    case 't-dxd-her2-ultralow':
      return tdxdUltralowStatus(i);
    case 'endocrine':
      return i.context.metastatic ? 'metastatic' : 'early';
  }
}

function contextUnavailableText(problems: readonly DataProblem[]): string | undefined {
  const roles = contextProblems(problems);
  if (roles.length === 0) return undefined;
  const what = roles.map((r) => CONTEXT_WORDS[r] ?? r).join(' and ');
  return SUMMARY.contextUnavailable.replace('{what}', what);
}

function eligibilityCard(
  kind: string,
  entry: EligibilityEntry,
  status: StatusKey,
  i: Interpretation,
  problems: readonly DataProblem[],
  newId: () => string,
): Card {
  const unchecked = contextUnavailableText(problems);
  const statusText = unchecked ?? entry.status[status]?.replace('{orEndocrine}', isHrPositive(i) ? ' or endocrine therapy' : '');
  const summary = unchecked ? entry.summary : (entry.statusSummary?.[status] ?? entry.summary);
  return contentCard(
    {
      kind,
      summary,
      indicator: 'info',
      intro: entry.intro,
      claims: entry.claims.filter((c) => allHold(c.when, i)),
      after: statusText ? [`**${statusText}**`] : [],
    },
    newId,
  );
}

const ORDER: EligibilityCode[] = ['anti-her2', 't-dxd-her2-low', 't-dxd-her2-ultralow', 'endocrine'];

export function eligibilityCards(i: Interpretation, problems: readonly DataProblem[], newId: () => string): Card[] {
  const cards = ORDER.filter((code) => i.eligibility.includes(code)).map((code) =>
    eligibilityCard(code, ELIGIBILITY.codes[code], statusFor(code, i), i, problems, newId),
  );
  if (i.subtype === 'HR+/HER2-' || i.subtype === 'triple-negative') {
    const entry = ELIGIBILITY['trop2-adc'];
    if (entry.claims.some((c) => allHold(c.when, i))) {
      const status = i.context.metastatic ? 'metastatic' : 'not-metastatic';
      cards.push(eligibilityCard('trop2-adc', entry, status, i, problems, newId));
    }
  }
  return cards;
}
