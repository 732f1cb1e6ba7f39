/**
 * The summary card: exactly one per response, first. An oncologist reads it in seconds: the HER2
 * classification in words, the subtype and what it means for treatment. It carries the whole
 * interpretation in extension["biomarker-interpretation"] (the contract), lists every result with date
 * and specimen, pending and unreadable results, the data that could not be read, and, once per
 * response, that the cards support and do not replace clinical judgement.
 */
import type { Interpretation } from '../clinical/types.js';
import { CARD_KIND_EXTENSION_KEY, type Card, type DataProblem, type Indicator } from './types.js';
import { CAVEATS, SUMMARY } from './content.js';
import { isHrNegative, isHrPositive } from './conditions.js';
import { biomarkersUnavailable, effectiveInterpretation } from './guard.js';
import { blocks, bulletList, claimsMarkdown, escapeMarkdown, fitSummary, heading } from './markdown.js';
import { overrideReasonsFor } from './override-reasons.js';
import { categoryWords, displayDate, resultLine } from './results.js';
import { cardSource, primarySourceKey, sourceKeys, sourcesMarkdown } from './sources.js';

export interface SummaryCardInput {
  interpretation: Interpretation;
  /** What could not be read for this call (empty when everything was read). */
  problems: DataProblem[];
  newId: () => string;
}

/** The key of the contract object in the summary card's extension. */
export const INTERPRETATION_EXTENSION_KEY = 'biomarker-interpretation';

/** The sources of the classification itself. */
const CLASSIFICATION_SOURCES = ['ASCO-CAP-HER2-2018', 'ASCO-CAP-HER2-2023', 'ASCO-CAP-ERPR-2020'];

/** HER2 classification in words, e.g. "HER2-low (IHC 2+, ISH not amplified)". Never "negative" while unresolved. */
export function her2Phrase(i: Interpretation): string {
  const h = i.her2;
  const words = SUMMARY.her2Words[h.category] ?? SUMMARY.her2Words['unknown'] ?? 'HER2';
  const ihc = h.ihcScore ? SUMMARY.ihcWords[h.ihcScore] : undefined;
  const group = h.ishGroup ?? null;
  const ish = SUMMARY.ishWords;
  const groupWords = (g: number): string => ish.group.replace('{group}', String(g));
  const parts: string[] = [];
  switch (h.category) {
    case 'positive':
      if (ihc) parts.push(ihc);
      if (group === 1 || (group === null && h.ihcScore === '2+')) parts.push(ish.amplified);
      else if (group !== null) parts.push(groupWords(group));
      break;
    case 'low':
    case 'ultralow':
    case 'zero':
      if (ihc) parts.push(ihc);
      if (group === 5 || (group === null && h.ihcScore === '2+')) parts.push(ish.notAmplified);
      else if (group !== null) parts.push(groupWords(group));
      break;
    case 'equivocal':
      if (i.caveats.includes('ish-needs-ihc-review') && group !== null) {
        parts.push(groupWords(group), ish.needsIhc);
      } else if (i.caveats.includes('her2-equivocal-pending-ish') || (h.ihcScore === '2+' && group === null)) {
        parts.push(ihc ?? SUMMARY.ihcWords['2+'] ?? 'IHC 2+', ish.pending);
      } else if (ihc) {
        parts.push(ihc);
      }
      break;
    default:
      break;
  }
  return parts.length > 0 ? `${words} (${parts.join(', ')})` : words;
}

/** Subtype in words; ER-low is named because it changes what HR+ means. */
export function subtypePhrase(i: Interpretation): string {
  const words = SUMMARY.subtypeWords[i.subtype] ?? SUMMARY.subtypeWords['undetermined'] ?? i.subtype;
  if (i.subtype === 'undetermined') {
    if (isHrPositive(i)) return SUMMARY.subtypeWords['undeterminedHrPositive'] ?? words;
    if (isHrNegative(i)) return SUMMARY.subtypeWords['undeterminedHrNegative'] ?? words;
    return words;
  }
  const erLowOnly = i.er.category === 'low-positive' && i.pr.category !== 'positive';
  if (erLowOnly && i.subtype.startsWith('HR+')) return words.replace('HR+', `HR+${SUMMARY.subtypeWords.erLowSuffix}`);
  return words;
}

/** What the result means for treatment, most important first; each part is conditional wording. */
export function meaningParts(i: Interpretation): string[] {
  const m = SUMMARY.meaning;
  const endocrine = i.eligibility.includes('endocrine');
  const withEndocrine = (first: string | undefined): string[] =>
    [first, endocrine ? m['endocrine-short'] : undefined].filter((p): p is string => !!p);
  switch (i.her2.category) {
    case 'equivocal':
      if (i.caveats.includes('her2-equivocal-pending-ish')) return withEndocrine(m['pending-ish']);
      if (i.caveats.includes('ish-needs-ihc-review')) return withEndocrine(m['needs-ihc']);
      return withEndocrine(m['equivocal-other']);
    case 'unknown':
      return withEndocrine(m['unknown']);
    case 'indeterminate':
      return withEndocrine(m['indeterminate']);
    default:
      break;
  }
  const parts: string[] = [];
  if (i.eligibility.includes('anti-her2') && m['anti-her2']) parts.push(m['anti-her2']);
  if (endocrine) {
    const e = parts.length > 0 || hasTdxd(i) ? m['endocrine-short'] : m['endocrine'];
    if (e) parts.push(e);
  }
  if (hasTdxd(i)) {
    const t = i.context.metastatic ? m['t-dxd-metastatic'] : m['t-dxd-if-metastatic'];
    if (t) parts.push(t);
  }
  if (parts.length === 0) {
    const fallback = i.subtype === 'triple-negative' ? m['triple-negative'] : m['none'];
    if (fallback) parts.push(fallback);
  }
  return parts;
}

function hasTdxd(i: Interpretation): boolean {
  return i.eligibility.includes('t-dxd-her2-low') || i.eligibility.includes('t-dxd-her2-ultralow');
}

/** Caveats whose content says 'warning', except the missing-* ones (warning only in a breast cancer chart). */
function isWarningCaveat(code: string, i: Interpretation): boolean {
  if (code.startsWith('missing-')) return i.context.breastCancer;
  return CAVEATS[code]?.indicator === 'warning';
}

/** warning when something is unresolved, discordant, unreadable, not read, or missing in a breast cancer chart. */
export function summaryIndicator(i: Interpretation): Indicator {
  if (i.caveats.some((c) => isWarningCaveat(c, i))) return 'warning';
  if (i.her2.category === 'equivocal' || i.her2.category === 'indeterminate') return 'warning';
  if (i.unreadable.length > 0) return 'warning';
  const anyUnknown = [i.her2, i.er, i.pr].some((m) => m.category === 'unknown');
  return anyUnknown && i.context.breastCancer ? 'warning' : 'info';
}

/** No result of any kind (valid, pending, failed or unreadable) for any marker. */
export function noBiomarkersAtAll(i: Interpretation): boolean {
  return (
    [i.her2, i.er, i.pr].every((m) => m.category === 'unknown' && m.results.length === 0) &&
    i.pending.length === 0 &&
    i.unreadable.length === 0
  );
}

export function summaryText(i: Interpretation): string {
  if (i.caveats.includes('data-unavailable')) return fitSummary([SUMMARY.dataUnavailable.summary]);
  if (noBiomarkersAtAll(i) && !i.context.breastCancer) return fitSummary([SUMMARY.noBiomarkers.summary]);
  const her2 = her2Phrase(i);
  const subtype = subtypePhrase(i);
  const meaning = meaningParts(i);
  return fitSummary([
    [her2, subtype, meaning.join('; ')].filter(Boolean).join(' · '),
    [her2, subtype, meaning[0]].filter(Boolean).join(' · '),
    `${her2} · ${subtype}`,
    her2,
  ]);
}

function receptorLine(label: string, r: Interpretation['er']): string {
  const pct = typeof r.percentPositive === 'number' ? ` (${r.percentPositive} %)` : '';
  return `**${label}:** ${categoryWords(label === 'ER' ? 'er' : 'pr', r.category)}${pct}`;
}

function classificationMarkdown(i: Interpretation): string {
  const her2Date = i.her2.effectiveDate ? ` — result of ${displayDate(i.her2.effectiveDate)}` : '';
  const meaning = meaningParts(i).join('; ');
  return [
    heading(SUMMARY.headings.classification),
    `**HER2:** ${her2Phrase(i)}${her2Date}  `,
    `${receptorLine('ER', i.er)} · ${receptorLine('PR', i.pr)}  `,
    `**Subtype:** ${subtypePhrase(i)}${meaning ? ` — ${meaning}` : ''}`,
  ].join('\n');
}

function resultsMarkdown(i: Interpretation): string | undefined {
  const lines = [
    ...i.her2.results.map((r) => resultLine('her2', r)),
    ...i.er.results.map((r) => resultLine('er', r)),
    ...i.pr.results.map((r) => resultLine('pr', r)),
  ];
  return lines.length > 0 ? `${heading(SUMMARY.headings.results)}\n${bulletList(lines)}` : undefined;
}

function pendingMarkdown(i: Interpretation): string | undefined {
  if (i.pending.length === 0) return undefined;
  return `${heading(SUMMARY.headings.pending)}\n${bulletList(i.pending.map((r) => resultLine(undefined, r)))}`;
}

function unreadableMarkdown(i: Interpretation): string | undefined {
  if (i.unreadable.length === 0) return undefined;
  const lines = i.unreadable.map((u) => `${escapeMarkdown(u.ref)}: ${escapeMarkdown(u.reason)}`);
  return `${heading(SUMMARY.headings.unreadable)}\n${bulletList(lines)}`;
}

function problemsMarkdown(problems: readonly DataProblem[]): string | undefined {
  if (problems.length === 0) return undefined;
  const lines = problems.map((p) => `${escapeMarkdown(p.role)} (${escapeMarkdown(p.key)}): ${escapeMarkdown(p.detail)}`);
  return `${heading(SUMMARY.headings.problems)}\n${bulletList(lines)}`;
}

function judgementMarkdown(): string {
  return `_${SUMMARY.judgement}_`;
}

/** The summary card (see the module comment). Pure. */
export function buildSummaryCard(input: SummaryCardInput): Card {
  const i = effectiveInterpretation(input.interpretation, input.problems);
  const unavailable = biomarkersUnavailable(input.problems);
  const claims = unavailable ? SUMMARY.dataUnavailable.claims : [];
  const keys = sourceKeys(claims, unavailable ? [] : CLASSIFICATION_SOURCES);
  const indicator = summaryIndicator(i);
  const detail = blocks(
    unavailable ? claimsMarkdown(claims) : classificationMarkdown(i),
    !unavailable && resultsMarkdown(i),
    !unavailable && pendingMarkdown(i),
    !unavailable && unreadableMarkdown(i),
    problemsMarkdown(input.problems),
    judgementMarkdown(),
    sourcesMarkdown(keys),
  );
  const primary = primarySourceKey(keys, 'ASCO-CAP-HER2-2018');
  const card: Card = {
    uuid: input.newId(),
    summary: summaryText(i),
    indicator,
    detail,
    source: cardSource(primary),
    extension: { [INTERPRETATION_EXTENSION_KEY]: i, [CARD_KIND_EXTENSION_KEY]: 'summary' },
  };
  if (indicator === 'warning') card.overrideReasons = overrideReasonsFor(unavailable ? 'data-unavailable' : 'default');
  return card;
}
