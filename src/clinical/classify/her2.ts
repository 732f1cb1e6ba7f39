import { rulesOf, type HerCall, type IhcClass } from '../rules/table.js';
import type { BiomarkerResult, Her2Category, Her2IhcScore, Her2Interpretation, LabCall, ResultSummary } from '../types.js';
import { describeNumber, exactValue, overlaps, toInterval } from './interval.js';
import {
  HER2_NEGATIVE,
  HER2_RANK,
  canonicalOrder,
  day,
  latest,
  sortSummaries,
  summary,
  uniqueSorted,
  varies,
  type MarkerFlag,
  type MarkerOutcome,
} from './outcome.js';

/** HER2 outcome: the contract fields plus display values of the result the category rests on. */
export interface Her2Outcome extends MarkerOutcome<Her2Category> {
  ihcScore: Her2IhcScore | null;
  ishGroup: 1 | 2 | 3 | 4 | 5 | null;
  ishRatio: number | null;
  her2CopiesPerCell: number | null;
}

/**
 * Classifies a patient's HER2 results (ASCO/CAP 2018, affirmed 2023; GUIDELINES §2–§3, §10).
 * Results are grouped by specimen so ISH groups 2–4 get their final call from the IHC on the same tissue;
 * each specimen gets one category, and the highest specimen category wins (10.1).
 *
 * @example classifyHer2([{ ref: 'Observation/1', marker: 'her2', method: 'ihc', status: 'valid',
 *   specimen: 'primary', her2: { ihcScore: '1+' } }]).category // 'low'
 */
export function classifyHer2(input: readonly BiomarkerResult[]): Her2Outcome {
  const rules = new Set<string>();
  const flags = new Set<MarkerFlag>();
  const all = input.filter((r) => r.marker === 'her2' && r.unreadable === undefined && r.status !== 'pending');
  all.sort(canonicalOrder);

  const specimens: SpecimenCall[] = [];
  const failed: SpecimenCall[] = [];
  for (const [, members] of groupBySpecimen(all.filter((r) => r.status === 'valid'), rules)) {
    specimens.push(callSpecimen(members, rules, flags));
  }
  for (const r of all.filter((x) => x.status === 'failed')) {
    rules.add('H7');
    flags.add('indeterminate');
    failed.push({ category: 'indeterminate', members: [r], descriptions: new Map([[r, describe(r)]]), ihc: null, ish: null });
  }

  const evaluated = specimens.filter((s) => s.category !== 'indeterminate');
  for (const s of specimens) if (s.category === 'indeterminate') flags.add('indeterminate');
  const summaries: ResultSummary[] = [];
  for (const s of [...specimens, ...failed]) for (const r of s.members) summaries.push(summary(r, s.category, s.descriptions.get(r) ?? ''));
  const results = sortSummaries(summaries, HER2_RANK);

  if (evaluated.length === 0) {
    const category: Her2Category = specimens.length + failed.length > 0 ? 'indeterminate' : 'unknown';
    const basisResults = membersOf([...specimens, ...failed]);
    return {
      category,
      basis: uniqueSorted(basisResults.map((r) => r.ref)),
      effectiveDate: latest(basisResults.map((r) => r.effectiveDate)),
      results,
      rules: [...rules],
      flags,
      ihcScore: null,
      ishGroup: null,
      ishRatio: null,
      her2CopiesPerCell: null,
    };
  }

  const best = evaluated.reduce((a, b) => (HER2_RANK.indexOf(b.category) < HER2_RANK.indexOf(a.category) ? b : a));
  const category = best.category;
  rules.add('10.1');
  if (varies(evaluated, (s) => s.category)) {
    flags.add('discordant');
    rules.add('T2');
    const pre = evaluated.some((s) => s.category === 'positive' && s.members.some((r) => r.specimen === 'pre-neoadjuvant'));
    const post = evaluated.some((s) => HER2_NEGATIVE.has(s.category) && s.members.some((r) => r.specimen === 'post-neoadjuvant'));
    if (pre && post) rules.add('T4');
  }
  if (all.some((r) => r.status === 'valid' && r.her2?.heterogeneous === true)) {
    flags.add('heterogeneous');
    rules.add('T6');
  }

  const winners = evaluated.filter((s) => s.category === category);
  // The newest winning specimen supplies the display values (score, group, ratio, copies).
  const shown = winners.reduce((a, b) =>
    (latest(b.members.map((r) => r.effectiveDate)) ?? '') > (latest(a.members.map((r) => r.effectiveDate)) ?? '') ? b : a,
  );
  if (category === 'equivocal') {
    for (const s of winners) {
      if (s.pendingIsh) flags.add('pending-ish');
      if (s.needsIhcReview) flags.add('ish-needs-ihc-review');
    }
  }
  const basisResults = membersOf(winners);
  return {
    category,
    basis: uniqueSorted(basisResults.map((r) => r.ref)),
    effectiveDate: latest(basisResults.map((r) => r.effectiveDate)),
    results,
    rules: [...rules],
    flags,
    ihcScore: shown.ihc,
    ishGroup: shown.ish?.group ?? null,
    ishRatio: shown.ish?.ratio ?? null,
    her2CopiesPerCell: shown.ish?.copies ?? null,
  };
}

/** The contract object for HER2. */
export function her2Interpretation(o: Her2Outcome): Her2Interpretation {
  return {
    category: o.category,
    ihcScore: o.ihcScore,
    ishGroup: o.ishGroup,
    ishRatio: o.ishRatio,
    her2CopiesPerCell: o.her2CopiesPerCell,
    effectiveDate: o.effectiveDate,
    basis: o.basis,
    results: o.results,
  };
}

// ---------------------------------------------------------------------------------------------------

interface SpecimenCall {
  category: Her2Category;
  members: BiomarkerResult[];
  descriptions: Map<BiomarkerResult, string>;
  /** IHC score of the specimen when one is known. */
  ihc: Her2IhcScore | null;
  ish: { group: 1 | 2 | 3 | 4 | 5 | null; ratio: number | null; copies: number | null } | null;
  pendingIsh?: boolean;
  needsIhcReview?: boolean;
}

function membersOf(specimens: SpecimenCall[]): BiomarkerResult[] {
  const out: BiomarkerResult[] = [];
  for (const s of specimens) for (const r of s.members) out.push(r);
  return out;
}

/** Specimen key; results with none recorded are grouped per day (rule SPECIMEN-DAY), else stand alone. */
function groupBySpecimen(results: BiomarkerResult[], rules: Set<string>): Map<string, BiomarkerResult[]> {
  const groups = new Map<string, BiomarkerResult[]>();
  for (const r of results) {
    let key: string;
    if (r.specimenKey !== undefined) key = `s:${r.specimenKey}`;
    else if (r.effectiveDate !== undefined) key = `d:${day(r.effectiveDate)}`;
    else key = `r:${r.ref}`;
    const list = groups.get(key);
    if (list) list.push(r);
    else groups.set(key, [r]);
  }
  for (const [key, list] of groups) if (key.startsWith('d:') && list.length > 1) rules.add('SPECIMEN-DAY');
  return groups;
}

const hasIhc = (r: BiomarkerResult): boolean =>
  r.her2?.ihcScore !== undefined || r.her2?.stainingPattern !== undefined || r.method === 'ihc';
const hasIsh = (r: BiomarkerResult): boolean =>
  r.her2?.ishRatio !== undefined ||
  r.her2?.her2CopiesPerCell !== undefined ||
  r.her2?.cep17CopiesPerCell !== undefined ||
  r.her2?.ishProbe !== undefined ||
  r.method === 'ish';

const SCORE_ROWS = rulesOf('her2-ihc-score');
const PATTERN_ROWS = rulesOf('her2-ihc-pattern');
const GROUP_ROWS = rulesOf('ish-group');
const FINAL_ROWS = rulesOf('ish-final');
const SINGLE_ROWS = rulesOf('single-probe');
/** Copy-number band of each single-probe row, as a key (rows of one band share it). */
const SINGLE_BAND = new Map(SINGLE_ROWS.map((row) => [row, JSON.stringify(row.copies)]));
const NEG_ROWS = rulesOf('her2-negative-by-ihc');
/** ish-final rows by group and IHC class (the first row of each pair, as a search of the table finds). */
const FINAL_BY_GROUP = new Map<number, Map<IhcClass, (typeof FINAL_ROWS)[number]>>();
for (const row of FINAL_ROWS) {
  const byIhc = FINAL_BY_GROUP.get(row.group) ?? new Map<IhcClass, (typeof FINAL_ROWS)[number]>();
  if (!byIhc.has(row.ihc)) byIhc.set(row.ihc, row);
  FINAL_BY_GROUP.set(row.group, byIhc);
}

/** What a lab call on an IHC result says about the score when no score is reported. */
const IHC_FROM_CALL: Partial<Record<LabCall, Her2IhcScore[]>> = {
  positive: ['3+'],
  equivocal: ['2+'],
  low: ['1+'],
  ultralow: ['0-with-staining'],
  zero: ['0'],
  negative: ['0', '0-with-staining', '1+'],
};

/** Category a lab call alone gives (rule LAB). */
const CATEGORY_FROM_CALL: Partial<Record<LabCall, Her2Category>> = {
  positive: 'positive',
  equivocal: 'equivocal',
  low: 'low',
  ultralow: 'ultralow',
  zero: 'zero',
  negative: 'negative-unspecified',
  indeterminate: 'indeterminate',
};

/** Is the lab's call compatible with a category (10.2)? "negative" covers every HER2-negative code. */
function callAgrees(call: LabCall, category: Her2Category): boolean {
  if (call === 'negative') return HER2_NEGATIVE.has(category);
  return CATEGORY_FROM_CALL[call] === category;
}

interface IhcReading {
  scores: Her2IhcScore[];
  /** the reported score and the described staining pattern disagree */
  contradiction: boolean;
  indeterminate: boolean;
}

/** IHC score(s) a result supports: staining pattern + % (H1–H6, N3) decides, else the reported score,
 *  else the lab call. */
function readIhc(r: BiomarkerResult, rules: Set<string>): IhcReading {
  const h = r.her2;
  let derived: Her2IhcScore | undefined;
  if (h?.stainingPattern !== undefined) {
    const pct = h.stainingPercent === undefined ? undefined : toInterval(h.stainingPercent);
    const rows = PATTERN_ROWS.filter((row) => row.pattern === h.stainingPattern && (pct === undefined || overlaps(pct, row.percent)));
    const scores = new Set(rows.map((row) => row.score));
    if (scores.size === 1 && rows[0] !== undefined) {
      derived = rows[0].score;
      for (const row of rows) rules.add(row.id);
      rules.add('N3');
    }
  }
  const reported = h?.ihcScore;
  if (derived !== undefined) {
    // '0' reported without saying whether staining was seen is refined, not contradicted, by the pattern.
    const agrees = reported === undefined || reported === derived || (reported === '0' && derived === '0-with-staining');
    return { scores: [derived], contradiction: !agrees, indeterminate: false };
  }
  if (reported !== undefined) return { scores: [reported], contradiction: false, indeterminate: false };
  if (r.labCall === 'indeterminate') return { scores: [], contradiction: false, indeterminate: true };
  const fromCall = r.labCall === undefined ? undefined : IHC_FROM_CALL[r.labCall];
  if (fromCall !== undefined) rules.add('LAB');
  return { scores: fromCall ?? [], contradiction: false, indeterminate: fromCall === undefined };
}

function ihcCategory(score: Her2IhcScore, rules: Set<string>): Her2Category {
  const row = SCORE_ROWS.find((x) => x.score === score);
  if (row === undefined) return 'indeterminate';
  rules.add(row.id);
  return row.category;
}

function ihcClass(score: Her2IhcScore | 'none'): IhcClass {
  if (score === 'none') return 'none';
  if (score === '3+' || score === '2+') return score;
  return '0-1+';
}

/** One (ISH group or single-probe band) × (IHC score) combination → category, with the rule ids used. */
function finalCategory(call: HerCall, score: Her2IhcScore | 'none', ids: string[]): Her2Category {
  if (call === 'positive') return 'positive';
  if (call === 'equivocal') return 'equivocal';
  const neg = NEG_ROWS.find((x) => x.ihc === score);
  if (neg === undefined) return 'indeterminate';
  ids.push(neg.id);
  return neg.category;
}

interface IshReading {
  category: Her2Category;
  group: 1 | 2 | 3 | 4 | 5 | null;
  needsIhcReview: boolean;
  uncertain: boolean;
  discordant: boolean;
}

/** Final call of one ISH result with the concurrent IHC scores of its specimen (§3a–3c). */
function readIsh(r: BiomarkerResult, ihcScores: Her2IhcScore[], rules: Set<string>): IshReading {
  const h = r.her2 ?? {};
  const ihcOptions: Array<Her2IhcScore | 'none'> = ihcScores.length > 0 ? ihcScores : ['none'];
  const single = h.ishProbe === 'single' || (h.ishRatio === undefined && h.cep17CopiesPerCell === undefined && h.ishProbe !== 'dual' && h.her2CopiesPerCell !== undefined);
  const copies = h.her2CopiesPerCell === undefined ? undefined : toInterval(h.her2CopiesPerCell);
  const ratio = h.ishRatio === undefined ? undefined : toInterval(h.ishRatio);
  if (h.ishRatio?.comparator !== undefined || h.her2CopiesPerCell?.comparator !== undefined) rules.add('N6');

  const outcomes: Array<{ category: Her2Category; ids: string[]; group: 1 | 2 | 3 | 4 | 5 | null; noIhc: boolean; discordant: boolean }> = [];
  if (single) {
    for (const score of ihcOptions) {
      const cls = ihcClass(score);
      const candidates = SINGLE_ROWS.filter(
        (x) => (copies === undefined || overlaps(copies, x.copies)) && (x.ihc === cls || x.ihc === 'any'),
      );
      // A copy-number band may match a specific and an 'any' row (S6+IHC3 before S6): the first, more
      // specific row of each band applies.
      const perBand = new Map<string | undefined, (typeof candidates)[number]>();
      for (const c of candidates) {
        const band = SINGLE_BAND.get(c);
        if (!perBand.has(band)) perBand.set(band, c);
      }
      for (const c of perBand.values()) {
        const ids = [c.id];
        outcomes.push({ category: finalCategory(c.call, score, ids), ids, group: null, noIhc: c.ihc === 'none', discordant: c.discordant === true });
      }
    }
  } else {
    const groups = GROUP_ROWS.filter(
      (g) => (ratio === undefined || overlaps(ratio, g.ratio)) && (copies === undefined || overlaps(copies, g.copies)),
    );
    for (const g of groups) {
      for (const score of ihcOptions) {
        const ids = [g.id];
        let call: HerCall | undefined = g.call;
        let noIhc = false;
        let discordant = false;
        const fin = FINAL_BY_GROUP.get(g.group)?.get(ihcClass(score));
        if (fin !== undefined) {
          ids.push(fin.id);
          call = fin.call;
          noIhc = fin.ihc === 'none';
          discordant = fin.discordant === true;
        }
        if (call === undefined) continue;
        outcomes.push({ category: finalCategory(call, score, ids), ids, group: g.group, noIhc, discordant });
      }
    }
    rules.add('N2');
  }

  const categories = new Set(outcomes.map((o) => o.category));
  const groupsSeen = new Set(outcomes.map((o) => o.group));
  const group = groupsSeen.size === 1 ? ([...groupsSeen][0] ?? null) : null;
  if (groupsSeen.size > 1) rules.add('ISH-INCOMPLETE');
  const call = r.labCall;
  let category: Her2Category;
  let uncertain = false;
  let discordant = false;
  let used = outcomes;
  if (categories.size === 1) {
    category = [...categories][0] ?? 'indeterminate';
  } else if ([...categories].every((c) => HER2_NEGATIVE.has(c))) {
    category = 'negative-unspecified';
    rules.add('HER2-NEG-UNSPEC');
  } else {
    // The numbers fit several final calls (incomplete ISH numbers): the lab call decides when it is one
    // of them, otherwise equivocal, never negative (GUIDELINES §7 prohibition 4).
    rules.add('ISH-INCOMPLETE');
    const agreeing = call === undefined ? [] : outcomes.filter((o) => callAgrees(call, o.category));
    if (agreeing.length > 0 && call !== undefined) {
      rules.add('LAB');
      const cats = new Set(agreeing.map((o) => o.category));
      category = cats.size === 1 ? ([...cats][0] ?? 'indeterminate') : 'negative-unspecified';
      used = agreeing;
    } else {
      category = 'equivocal';
      uncertain = true;
      if (call !== undefined && call !== 'equivocal') discordant = true;
    }
  }
  const matching = used.filter((o) => o.category === category);
  for (const o of matching.length > 0 ? matching : used) for (const id of o.ids) rules.add(id);
  // G5/S6 with IHC 3+ is a discordance only when the numbers place the result there, not when it is one
  // possibility among several.
  if (matching.length > 0 && matching.every((o) => o.discordant)) discordant = true;
  if (categories.size === 1 && call !== undefined && !callAgrees(call, category)) {
    discordant = true;
    rules.add('10.2');
  }
  if (call === 'equivocal') rules.add('ISH-EQ-WORDING');
  // ish-needs-ihc-review only when the numbers place the result in group 2, 3 or 4 (contract).
  const needsIhcReview = category === 'equivocal' && !single && group !== null && group >= 2 && group <= 4 && used.some((o) => o.noIhc);
  return { category, group, needsIhcReview, uncertain, discordant };
}

function callSpecimen(members: BiomarkerResult[], rules: Set<string>, flags: Set<MarkerFlag>): SpecimenCall {
  const descriptions = new Map<BiomarkerResult, string>();
  for (const r of members) descriptions.set(r, describe(r));

  // IHC of the specimen: the highest IHC-only category among its IHC results.
  let ihc: { scores: Her2IhcScore[]; category: Her2Category } | null = null;
  const ownIhcCategory = new Map<BiomarkerResult, Her2Category>();
  for (const r of members.filter(hasIhc)) {
    const reading = readIhc(r, rules);
    if (reading.contradiction) {
      flags.add('discordant');
      rules.add('10.2');
    }
    if (reading.indeterminate || reading.scores.length === 0) continue;
    const cats = new Set(reading.scores.map((s) => ihcCategory(s, rules)));
    const cat: Her2Category = cats.size === 1 ? ([...cats][0] ?? 'indeterminate') : 'negative-unspecified';
    if (cats.size > 1) rules.add('HER2-NEG-UNSPEC');
    ownIhcCategory.set(r, cat);
    if (ihc === null || HER2_RANK.indexOf(cat) < HER2_RANK.indexOf(ihc.category)) ihc = { scores: reading.scores, category: cat };
  }
  if (varies(ownIhcCategory.values(), (c) => c)) {
    flags.add('discordant');
    rules.add('T2');
  }

  const ishResults = members.filter(hasIsh);
  let category: Her2Category;
  let ish: SpecimenCall['ish'] = null;
  let needsIhcReview = false;
  let pendingIsh = false;
  if (ishResults.length > 0) {
    const readings = ishResults.map((r) => ({ r, reading: readIsh(r, ihc?.scores ?? [], rules) }));
    const top = readings.reduce((a, b) =>
      HER2_RANK.indexOf(b.reading.category) < HER2_RANK.indexOf(a.reading.category) ? b : a,
    );
    category = top.reading.category;
    if (varies(readings, (x) => x.reading.category)) {
      flags.add('discordant');
      rules.add('T2');
    }
    for (const { reading } of readings) {
      if (reading.uncertain) flags.add('uncertain');
      if (reading.discordant) flags.add('discordant');
      if (reading.needsIhcReview) needsIhcReview = true;
    }
    const h = top.r.her2;
    ish = { group: top.reading.group, ratio: exactValue(h?.ishRatio), copies: exactValue(h?.her2CopiesPerCell) };
  } else if (ihc !== null) {
    category = ihc.category;
    pendingIsh = ihc.scores.length === 1 && ihc.scores[0] === '2+';
  } else {
    // Interpretation-only results (no score, no numbers): the lab call decides (LAB).
    const cats = members
      .map((r) => (r.labCall === undefined ? undefined : CATEGORY_FROM_CALL[r.labCall]))
      .filter((c): c is Her2Category => c !== undefined);
    if (cats.length > 0) rules.add('LAB');
    if (varies(cats, (c) => c)) {
      flags.add('discordant');
      rules.add('T2');
    }
    category = cats.reduce<Her2Category>((a, b) => (HER2_RANK.indexOf(b) < HER2_RANK.indexOf(a) ? b : a), 'indeterminate');
    if (category === 'equivocal') pendingIsh = true;
  }
  if (category === 'indeterminate') rules.add('H7');

  // 10.2 for IHC and interpretation-only results (ISH results are checked in readIsh): a lab call that
  // fits neither the result's own IHC reading nor the specimen's final call contradicts the numbers.
  for (const r of members) {
    if (r.labCall === undefined || hasIsh(r) || callAgrees(r.labCall, category)) continue;
    const own = ownIhcCategory.get(r);
    if (own !== undefined && callAgrees(r.labCall, own)) continue;
    flags.add('discordant');
    rules.add('10.2');
  }

  const score = ihc !== null && ihc.scores.length === 1 ? (ihc.scores[0] ?? null) : null;
  return { category, members, descriptions, ihc: score, ish, pendingIsh, needsIhcReview };
}

/** Short human description of what the result itself reports. */
function describe(r: BiomarkerResult): string {
  const h = r.her2;
  const parts: string[] = [];
  if (h?.ihcScore !== undefined) parts.push(`IHC ${h.ihcScore === '0-with-staining' ? '0 with membrane staining' : h.ihcScore}`);
  if (h?.stainingPattern !== undefined) {
    parts.push(`${h.stainingPattern} staining${h.stainingPercent ? ` in ${describeNumber(h.stainingPercent)} % of cells` : ''}`);
  }
  if (h?.ishRatio !== undefined) parts.push(`ISH ratio ${describeNumber(h.ishRatio)}`);
  if (h?.her2CopiesPerCell !== undefined) parts.push(`${describeNumber(h.her2CopiesPerCell)} HER2 copies/cell`);
  if (h?.cep17CopiesPerCell !== undefined) parts.push(`${describeNumber(h.cep17CopiesPerCell)} CEP17 copies/cell`);
  if (h?.ishProbe === 'single') parts.push('single-probe');
  if (h?.heterogeneous === true) parts.push('heterogeneous');
  if (r.labCall !== undefined) parts.push(`lab: ${r.labCall}`);
  if (r.status === 'failed') parts.push('not evaluable');
  if (parts.length === 0) parts.push(r.method === 'unspecified' ? 'HER2 result' : `HER2 ${r.method.toUpperCase()}`);
  return parts.join(', ');
}
