/** Public API of the pure card builder (used by protocol/ for patient-view and by orders/ for the
 *  order hooks, which reuse the summary card, the sources and the escaping). */
export type { PatientViewCardInput } from './build.js';
export { buildPatientViewCards } from './build.js';
export type { SummaryCardInput } from './summary.js';
export { buildSummaryCard, INTERPRETATION_EXTENSION_KEY, her2Phrase, subtypePhrase, summaryText } from './summary.js';
export type { SourceEntry } from './sources.js';
export { sourceFor, cardSource, sourcesMarkdown, sourceAnchor, linkUnlinkedSources } from './sources.js';
export { effectiveInterpretation, guardInterpretation, biomarkersUnavailable } from './guard.js';
export { escapeMarkdown, fitSummary, MAX_SUMMARY_LENGTH } from './markdown.js';
export { OVERRIDE_REASON_SYSTEM, overrideReasonsFor } from './override-reasons.js';
export { REFLEX_ISH_CODING, reflexIshSuggestion } from './reflex-ish.js';
export { contentCard } from './card.js';
export type { ContentCardSpec } from './card.js';
export type { Claim } from './content.js';
