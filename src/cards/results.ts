/**
 * One line per result for the card detail: marker, date, specimen, what was reported, and its category.
 * Everything that comes from FHIR is escaped here (see markdown.ts).
 */
import type { Marker, ResultSummary } from '../clinical/types.js';
import { SUMMARY } from './content.js';
import { escapeMarkdown } from './markdown.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

/** FHIR date/dateTime → YYYY-MM-DD for display (the day is what the clinician compares). */
export function displayDate(date: string | null | undefined): string {
  if (!date) return SUMMARY.noDate;
  const m = ISO_DATE.exec(date);
  return m ? m[0] : escapeMarkdown(date);
}

/** Category code of a result → words (HER2 and receptor codes), escaped when unknown to us. */
export function categoryWords(marker: Marker | undefined, category: string): string {
  const words = marker === 'her2' ? SUMMARY.her2Words[category] : marker ? SUMMARY.receptorWords[category] : undefined;
  return words ?? escapeMarkdown(category);
}

/** `marker` defaults to the result's own; a result of unknown marker is shown as "Result". */
export function resultLine(marker: Marker | undefined, r: ResultSummary): string {
  const m = marker ?? r.marker;
  const specimen = SUMMARY.specimenWords[r.specimen] ?? escapeMarkdown(r.specimen);
  const label = r.specimenLabel ? ` (${escapeMarkdown(r.specimenLabel)})` : '';
  const status = r.status === 'valid' ? '' : ` [${SUMMARY.statusWords[r.status] ?? escapeMarkdown(r.status)}]`;
  const description = escapeMarkdown(r.description);
  const markerWord = m ? SUMMARY.markerWords[m] : 'Result';
  return `${markerWord} · ${displayDate(r.effectiveDate)} · ${specimen}${label} · ${description} → ${categoryWords(m, r.category)}${status}`;
}
