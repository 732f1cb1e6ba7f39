/**
 * What the card tests look for in card text: the never-list (issue 5 section 4; GUIDELINES.md section 7
 * prohibitions), the figures allowed on cards (GUIDELINES.md, with the row each comes from), and the
 * identifiers still unverified (M/U in GUIDELINES.md and CODES.md section 4).
 */
import type { Card } from '../../src/cards/types.js';
import type { Interpretation } from '../../src/clinical/types.js';

/** All text a clinician can see on a card (summary, detail, source, suggestion labels). */
export function cardText(card: Card): string {
  return [
    card.summary,
    card.detail ?? '',
    card.source.label,
    card.source.url ?? '',
    ...(card.suggestions ?? []).map((s) => s.label),
    ...(card.overrideReasons ?? []).map((r) => r.display),
  ].join('\n');
}

export function allText(cards: Card[]): string {
  return cards.map(cardText).join('\n');
}

/** Card text without the data sections (classification, results, pending, unreadable, data problems, the
 *  discordant result list) and without the Sources list: what remains are the claims of cards/. */
export function claimText(cards: Card[]): string {
  return cards
    .map((c) => {
      const detail = (c.detail ?? '')
        .split(/\n(?=#### )/)
        .filter((block) => !/^#### (Classification|Results on file|Pending|Could not be read|Data that could not be read|Sources)/.test(block))
        .join('\n')
        .split('\n')
        .filter((line) => !/^- (HER2|ER|PR|Result) · /.test(line)) // result lines (data)
        .join('\n');
      return `${c.summary}\n${detail}`;
    })
    .join('\n');
}

// ---- never-list ----

export interface Forbidden {
  rule: string;
  pattern: RegExp;
}

/** Prohibition 1: anti-HER2 drugs (T-DXd excepted, it is allowed for low/ultralow). */
const ANTI_HER2: Forbidden = {
  rule: 'P1 no anti-HER2 therapy unless HER2-positive',
  pattern: /\btrastuzumab\b(?! deruxtecan)|\bpertuzumab|\bT-DM1\b|emtansine|tucatinib|lapatinib|neratinib|\bTHP\b|Herceptin|anti-HER2 therapy candidate/i,
};
/** Prohibitions 2 and 3: any T-DXd statement. */
const TDXD: Forbidden = {
  rule: 'P2/P3 no T-DXd statement for 0, unspecified, unknown, equivocal, indeterminate, or ultralow when not HR+',
  pattern: /\bT-DXd\b|trastuzumab deruxtecan|Enhertu|DESTINY-Breast0[46]/i,
};
/** Prohibition 4: "negative" for an unresolved HER2. */
const HER2_NEGATIVE_WORDING: Forbidden = {
  rule: 'P4 no HER2-negative wording while HER2 is unresolved',
  pattern: /HER2[- ]negative|HER2-(?![A-Za-z0-9])|HER2−|not amplified|HER2-0\b/i,
};
/** Prohibition 5. */
const ENDOCRINE: Forbidden = {
  rule: 'P5 no endocrine therapy when ER and PR are both negative',
  pattern: /endocrine therap/i,
};

export function forbiddenFor(i: Interpretation): Forbidden[] {
  const h = i.her2.category;
  // HR+ per GUIDELINES section 5; with ER and PR both unknown, an HR+ subtype can only come from a combined
  // ER+PR result (LOINC 10480-2), which does establish HR+.
  const receptorPositive = i.er.category === 'positive' || i.er.category === 'low-positive' || i.pr.category === 'positive';
  const combinedHrPositive = i.subtype.startsWith('HR+') && i.er.category === 'unknown' && i.pr.category === 'unknown';
  const hrPositive = receptorPositive || combinedHrPositive;
  const out: Forbidden[] = [];
  if (h !== 'positive') out.push(ANTI_HER2); // also covers P6 (PAM50 HER2-enriched in a HER2-negative tumour)
  if (['zero', 'negative-unspecified', 'unknown', 'indeterminate', 'equivocal'].includes(h)) out.push(TDXD);
  if (h === 'ultralow' && !hrPositive) out.push(TDXD);
  if (h === 'equivocal') out.push(HER2_NEGATIVE_WORDING);
  if (i.er.category === 'negative' && i.pr.category === 'negative') out.push(ENDOCRINE);
  return out;
}

export function violations(cards: Card[], i: Interpretation): string[] {
  const text = allText(cards);
  return forbiddenFor(i)
    .filter((f) => f.pattern.test(text))
    .map((f) => `${f.rule}: "${text.match(f.pattern)?.[0]}"`);
}

// ---- figures ----

/** Every figure a card may print, with the GUIDELINES.md row it comes from. */
export const ALLOWED_FIGURES: Record<string, string> = {
  // section 9 (prognosis, seed claims checked)
  '63.4': '§9 row 1', '83.0': '§9 row 1', '2.49': '§9 row 1', '.001': '§9 row 1',
  '88.3': '§9 row 2 (also §7 KATHERINE)', '90.4': '§9 row 2', '1.24': '§9 row 2', '.17': '§9 row 2',
  '1.99': '§9 row 3', '.009': '§9 row 3',
  '5.1': '§9 row 4', '1.0': '§9 row 4', '25.7': '§9 row 4', '92': '§9 rows 4-5', '99': '§9 row 4', '150': '§9 row 4',
  '77.1': '§9 rows 4-5', '93.7': '§9 row 4', '2.68': '§9 row 4', '77': '§9 row 5',
  '79': '§9 row 6', '73': '§9 row 6', '52': '§9 row 6',
  '36.6': '§9 row 8', '65.4': '§9 row 8', '3689': '§9 row 8',
  // section 7 (eligibility settings and trial figures), with CODES.md section 5 as cited there
  '67.3': '§7 DB-11', '56.3': '§7 DB-11',
  '77.0': '§7 KATHERINE', '0.50': '§7 KATHERINE',
  '92.4': '§7 DB-05', '83.7': '§7 DB-05', '0.47': '§7 DB-05',
  '40.7': '§7 DB-09', '26.9': '§7 DB-09', '0.56': '§7 DB-09',
  '13.2': '§7 DB-06', '8.1': '§7 DB-06', '0.62': '§7 DB-06', '153': '§7 DB-06 ultralow subgroup',
  '12.1': '§7 ASCENT', '6.7': '§7 ASCENT', '0.48': '§7 ASCENT',
  '6.9': '§7 Dato-DXd', '4.9': '§7 Dato-DXd', '0.63': '§7 Dato-DXd',
  '6': '§7 "6 months" (DB-04, DB-03, DB-09 settings); §8 C3',
  // section 5 (ER-low, Choong 2025)
  '7018': '§5 ER-low', '1.23': '§5 ER-low', '1.04': '§5 ER-low', '1.46': '§5 ER-low',
  // sections 1, 2 and 4 (thresholds) and 8 (cardiac monitoring)
  '1': '§1 N4 / §4 R2 (1 %)', '10': '§1 N3-N4 / §4 R2 (10 %)', '0': '§4 R6 (0-10 %)',
  '3': '§8 C2 (every 3 months)', '16': '§8 C4 (16 % drop)',
  '95': '§5 and §9 row 4 (95 % CI)',
};

const YEAR = /^(19|20)\d{2}$/;

/** Figures in text: percentages, decimals (HR, P, CI), month counts and counts ≥ 100 (not years). */
export function figuresIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)\s*%/g)) out.push(m[1]!);
  for (const m of text.matchAll(/(?<![\d.])(\d*\.\d+)/g)) out.push(m[1]!);
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)\s*(?:months|mo)\b/g)) out.push(m[1]!);
  for (const m of text.matchAll(/(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d{3,})(?![\d.])/g)) {
    const n = m[1]!.replace(/,/g, '');
    if (!YEAR.test(n)) out.push(n);
  }
  return [...new Set(out)];
}

export function unknownFigures(text: string): string[] {
  return figuresIn(text).filter((f) => !(f in ALLOWED_FIGURES));
}

// ---- identifiers not verified (GUIDELINES.md M, CODES.md section 4 U/P) ----

export const UNVERIFIED_IDENTIFIERS = [
  '10.5858/arpa.2018-0902-SA', // ASCO-CAP-HER2-2018 APLM DOI (U)
  '10.1200/JCO.2015.61.1459', // ASCO-MBC-BIOMARKERS-2015 DOI (P)
  '19884553', // CURIGLIANO-2009 PMID (U)
  '10.1200/JCO.2009.22.0962', // CURIGLIANO-2009 DOI (PMID/DOI not seen)
  '19884543', // GONZALEZ-ANGULO-2009 PMID (U)
  '10.1200/JCO.2009.23.2025', // GONZALEZ-ANGULO-2009 DOI (next to an M PMID; not re-seen)
  '28215665', // HERA-2017 PMID (U)
];
