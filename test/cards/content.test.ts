/**
 * The card content in cards/ as data: every claim has a source that resolves, every url is a verified
 * DOI/PubMed/PMC link, no unverified identifier is written anywhere, every summary fits, every figure is
 * one GUIDELINES.md allows, and every caveat code has its entry.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { allClaims, CAVEATS, ELIGIBILITY, OVERRIDE, PROGNOSIS, SOURCES, SUMMARY } from '../../src/cards/content.js';
import { OVERRIDE_REASON_SYSTEM, sourceFor } from '../../src/cards/index.js';
import type { CaveatCode } from '../../src/clinical/types.js';
import { UNVERIFIED_IDENTIFIERS, unknownFigures } from './checks.js';

const CARD_FILES = ['sources', 'summary', 'prognosis', 'eligibility', 'caveats', 'override-reasons'].map((f) =>
  path.resolve(__dirname, '../../cards', `${f}.json`),
);

/** Every CaveatCode of src/clinical/types.ts: the contract's list plus our own. */
const CAVEAT_CODES: CaveatCode[] = [
  'her2-equivocal-pending-ish', 'ish-needs-ihc-review', 'her2-low', 'her2-ultralow', 'her2-zero-rereview',
  'er-low-positive', 'er-negative-pr-positive', 'discordant-results', 'retest-on-recurrence', 'missing-her2',
  'missing-er', 'missing-pr', 'indeterminate-result', 'pam50-her2-enriched', 'cardiac-monitoring',
  'brain-metastases-risk', 'small-tumor-t1ab', 'unreadable-result', 'pending-result', 'her2-heterogeneous',
  'no-internal-controls', 'data-unavailable',
];

function allSummaryTemplates(): string[] {
  return [
    SUMMARY.dataUnavailable.summary,
    SUMMARY.noBiomarkers.summary,
    ...Object.values(PROGNOSIS.subtypes).map((e) => e.summary),
    ...[...Object.values(ELIGIBILITY.codes), ELIGIBILITY['trop2-adc']].flatMap((e) => [e.summary, ...Object.values(e.statusSummary ?? {})]),
    ...Object.values(CAVEATS).flatMap((e) => [e.summary, ...Object.values(e.summaries ?? {})]),
  ];
}

describe('cards/ content', () => {
  test('every claim cites at least one source key that resolves in cards/sources.json', () => {
    const claims = allClaims();
    expect(claims.length).toBeGreaterThan(50);
    for (const claim of claims) {
      expect(claim.sources.length).toBeGreaterThan(0);
      for (const key of claim.sources) expect(() => sourceFor(key)).not.toThrow();
    }
  });

  test('claim ids are unique except the shared treatment-era answer', () => {
    const ids = allClaims().map((c) => c.id);
    const repeated = ids.filter((id, n) => ids.indexOf(id) !== n);
    expect(repeated).toEqual([]);
  });

  test('a source url is a DOI or PubMed/PMC link and is present exactly when the identifier is verified', () => {
    for (const [key, entry] of Object.entries(SOURCES)) {
      if (entry.url) {
        expect({ key, url: entry.url }).toEqual({ key, url: expect.stringMatching(/^https:\/\/(doi\.org\/10\.|pubmed\.ncbi\.nlm\.nih\.gov\/\d+\/?$|pmc\.ncbi\.nlm\.nih\.gov\/articles\/PMC\d+$)/) });
        expect(entry.verified).toBe(true);
      } else {
        expect(entry.verified).toBe(false);
      }
    }
  });

  test.each(UNVERIFIED_IDENTIFIERS)('unverified identifier %s is written in no cards/ file', (id) => {
    for (const file of CARD_FILES) expect(readFileSync(file, 'utf8')).not.toContain(id);
  });

  test('every summary template is under 140 characters', () => {
    const tooLong = allSummaryTemplates().filter((s) => s.length >= 140);
    expect(tooLong).toEqual([]);
  });

  test('every figure in the content is on the GUIDELINES.md allow-list', () => {
    const texts = [...allClaims().map((c) => c.text), ...allSummaryTemplates()];
    const unknown = texts.flatMap((t) => unknownFigures(t).map((f) => `${f} in "${t.slice(0, 60)}…"`));
    expect(unknown).toEqual([]);
  });

  test('the seed overstatements are not repeated', () => {
    const text = allClaims().map((c) => c.text).join('\n') + allSummaryTemplates().join('\n');
    expect(text).not.toMatch(/superior|6\.5 ?%|approximately 50|~50/i);
    // Row 7: brain metastases only as "up to about half" of patients with metastatic disease.
    expect(CAVEATS['brain-metastases-risk']?.claims[0]?.text).toMatch(/up to about half of patients with HER2-positive metastatic/i);
  });

  test.each(CAVEAT_CODES)('caveat code %s has one entry with a summary and sourced claims', (code) => {
    const entry = CAVEATS[code];
    expect(entry).toBeDefined();
    expect(entry!.claims.length).toBeGreaterThan(0);
  });

  test('one override-reason code system, defined once', () => {
    expect(OVERRIDE_REASON_SYSTEM).toBe(OVERRIDE.system);
    expect(OVERRIDE_REASON_SYSTEM).toMatch(/^http:\/\/her2-cds\.local\/CodeSystem\//);
    for (const file of CARD_FILES) {
      const occurrences = readFileSync(file, 'utf8').split('her2-cds.local').length - 1;
      expect(occurrences).toBe(file.endsWith('override-reasons.json') ? 1 : 0);
    }
  });
});
