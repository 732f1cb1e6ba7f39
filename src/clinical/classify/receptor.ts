import { rulesOf } from '../rules/table.js';
import type { BiomarkerResult, LabCall, ReceptorCategory, ReceptorInterpretation } from '../types.js';
import { describeNumber, exactValue, overlaps, toInterval, within } from './interval.js';
import {
  RECEPTOR_RANK,
  canonicalOrder,
  latest,
  sortSummaries,
  summary,
  uniqueSorted,
  varies,
  type MarkerFlag,
  type MarkerOutcome,
} from './outcome.js';

export interface ReceptorOutcome extends MarkerOutcome<ReceptorCategory> {
  percentPositive: number | null;
}

const PERCENT_ROWS = rulesOf('receptor-percent');
const CONTROL_ROWS = rulesOf('receptor-controls');
const PROPORTION_ROWS = rulesOf('allred-proportion');
const TOTAL_ROWS = rulesOf('allred-total');
const HSCORE_ROWS = rulesOf('h-score');

/** Category a lab call alone gives (rule LAB). PR has no low category (R4): "PR low" is positive. */
function fromCall(marker: 'er' | 'pr', call: LabCall): ReceptorCategory | undefined {
  switch (call) {
    case 'positive':
      return 'positive';
    case 'low-positive':
    case 'low':
      return marker === 'er' ? 'low-positive' : 'positive';
    case 'negative':
    case 'zero':
      return 'negative';
    case 'indeterminate':
    case 'equivocal':
      return 'indeterminate';
    default:
      return undefined;
  }
}

/** 10.2: ER low-positive is a positive category, so a lab "positive" does not contradict it. */
function callAgrees(marker: 'er' | 'pr', call: LabCall, category: ReceptorCategory): boolean {
  const c = fromCall(marker, call);
  return c === category || (c === 'positive' && category === 'low-positive');
}

interface Reading {
  category: ReceptorCategory;
  uncertain: boolean;
  discordant: boolean;
  noControls: boolean;
}

/** One ER or PR result → category (GUIDELINES §4, N4–N6). */
function readReceptor(marker: 'er' | 'pr', r: BiomarkerResult, rules: Set<string>): Reading {
  const f = r.receptor ?? {};
  const call = r.labCall;
  const result = (category: ReceptorCategory, uncertain = false): Reading => {
    let discordant = false;
    if (call !== undefined && category !== 'indeterminate' && !callAgrees(marker, call, category)) {
      discordant = true;
      rules.add('10.2');
    }
    return { category, uncertain, discordant, noControls };
  };
  let noControls = false;

  if (f.percent !== undefined) {
    // A percentage decides; Allred and H-score are then ignored (GUIDELINES §4).
    const i = toInterval(f.percent);
    if ('low' in f.percent) rules.add('N5');
    else if (f.percent.comparator !== undefined) rules.add('N6');
    else rules.add('N4');
    for (const row of CONTROL_ROWS) {
      if (f.noInternalControls === true && within(i, row.percent)) {
        noControls = true;
        rules.add(row.id);
      }
    }
    const rows = PERCENT_ROWS.filter((x) => x.marker === marker && overlaps(i, x.percent));
    const cats = new Set(rows.map((x) => x.category));
    if (cats.size === 1) {
      for (const x of rows) rules.add(x.id);
      return result([...cats][0] ?? 'indeterminate');
    }
    return decideStraddle(marker, cats, rows.map((x) => x.id), call, rules, result);
  }
  const allred = f.allred;
  if (allred?.proportion !== undefined) {
    const p = allred.proportion;
    const row = PROPORTION_ROWS.find((x) => x.marker === marker && within({ lo: p, loIncl: true, hi: p, hiIncl: true }, x.score));
    if (row !== undefined) {
      rules.add(row.id);
      return result(row.category);
    }
  } else if (allred?.total !== undefined) {
    const t = allred.total;
    const row = TOTAL_ROWS.find((x) => x.marker === marker && within({ lo: t, loIncl: true, hi: t, hiIncl: true }, x.score));
    if (row !== undefined) {
      rules.add(row.id);
      if (row.uncertain !== true) return result(row.category);
      // The total spans a cut-off: as for a range (N5), a lab call decides when present.
      const possible = new Set<ReceptorCategory>(row.category === 'indeterminate' ? ['negative', 'low-positive', 'positive'] : ['low-positive', 'positive']);
      if (marker === 'pr') possible.delete('low-positive');
      return decideStraddle(marker, possible, [row.id], call, rules, result);
    }
  } else if (f.hScore !== undefined) {
    const h = f.hScore;
    const row = HSCORE_ROWS.find((x) => within({ lo: h, loIncl: true, hi: h, hiIncl: true }, x.score));
    if (row !== undefined) {
      rules.add(row.id);
      if (row.category !== 'indeterminate') return result(row.category);
      const labCat = call === undefined ? undefined : fromCall(marker, call);
      if (labCat !== undefined && labCat !== 'negative' && labCat !== 'indeterminate') {
        rules.add('LAB');
        return result(labCat);
      }
      return { category: 'indeterminate', uncertain: true, discordant: false, noControls };
    }
  }
  if (r.status === 'failed') {
    rules.add('R7');
    return { category: 'indeterminate', uncertain: false, discordant: false, noControls };
  }
  const labCat = call === undefined ? undefined : fromCall(marker, call);
  if (labCat !== undefined) {
    rules.add(labCat === 'indeterminate' ? 'R7' : 'LAB');
    return { category: labCat, uncertain: false, discordant: false, noControls };
  }
  rules.add('R7');
  return { category: 'indeterminate', uncertain: false, discordant: false, noControls };
}

/** N5: a value spanning a cut-off. The lab call decides when it is one of the possible categories;
 *  otherwise ER between low-positive and positive is low-positive (at least 1 %, endocrine-eligible) and
 *  anything spanning 1 % is indeterminate — both with indeterminate-result. */
function decideStraddle(
  marker: 'er' | 'pr',
  possible: Set<ReceptorCategory>,
  ids: string[],
  call: LabCall | undefined,
  rules: Set<string>,
  result: (c: ReceptorCategory, uncertain?: boolean) => Reading,
): Reading {
  for (const id of ids) rules.add(id);
  const labCat = call === undefined ? undefined : fromCall(marker, call);
  if (labCat !== undefined && possible.has(labCat)) {
    rules.add('LAB');
    return result(labCat);
  }
  if (!possible.has('negative')) return result('low-positive', true);
  return { ...result('indeterminate', true), discordant: false };
}

/**
 * Classifies a patient's ER or PR results (ASCO/CAP 2020). The highest category among valid results
 * wins (10.1); different categories give `discordant`.
 */
export function classifyReceptor(marker: 'er' | 'pr', input: readonly BiomarkerResult[]): ReceptorOutcome {
  const rules = new Set<string>();
  const flags = new Set<MarkerFlag>();
  const list = input.filter((r) => r.marker === marker && r.unreadable === undefined && r.status !== 'pending');
  list.sort(canonicalOrder);

  const read = list.map((r) => {
    const reading = r.status === 'failed' ? { category: 'indeterminate' as const, uncertain: false, discordant: false, noControls: false } : readReceptor(marker, r, rules);
    if (r.status === 'failed') rules.add('R7');
    return { r, reading };
  });
  for (const { reading } of read) {
    if (reading.uncertain) flags.add('uncertain');
    if (reading.discordant) flags.add('discordant');
    if (reading.noControls) flags.add('no-internal-controls');
    if (reading.category === 'indeterminate') flags.add('indeterminate');
  }
  const results = sortSummaries(
    read.map(({ r, reading }) => summary(r, reading.category, describe(marker, r))),
    RECEPTOR_RANK,
  );
  const evaluated = read.filter((x) => x.reading.category !== 'indeterminate');
  if (evaluated.length === 0) {
    return {
      category: read.length > 0 ? 'indeterminate' : 'unknown',
      basis: uniqueSorted(read.map((x) => x.r.ref)),
      effectiveDate: latest(read.map((x) => x.r.effectiveDate)),
      results,
      rules: [...rules],
      flags,
      percentPositive: null,
    };
  }
  rules.add('10.1');
  const category = evaluated.reduce<ReceptorCategory>(
    (a, b) => (RECEPTOR_RANK.indexOf(b.reading.category) < RECEPTOR_RANK.indexOf(a) ? b.reading.category : a),
    'unknown',
  );
  if (varies(evaluated, (x) => x.reading.category)) {
    flags.add('discordant');
    rules.add('T2');
  }
  const winners = evaluated.filter((x) => x.reading.category === category).map((x) => x.r);
  const effectiveDate = latest(winners.map((r) => r.effectiveDate));
  // The percentage shown is the newest exact one among the results the category rests on (a coded
  // "positive" next to "95 %" from the same report should not hide the number).
  const withPercent = winners.filter((r) => exactValue(r.receptor?.percent) !== null);
  const newest = latest(withPercent.map((r) => r.effectiveDate));
  const shown = withPercent.find((r) => (r.effectiveDate ?? null) === newest) ?? withPercent[0];
  return {
    category,
    basis: uniqueSorted(winners.map((r) => r.ref)),
    effectiveDate,
    results,
    rules: [...rules],
    flags,
    percentPositive: exactValue(shown?.receptor?.percent),
  };
}

export function receptorInterpretation(o: ReceptorOutcome): ReceptorInterpretation {
  return {
    category: o.category,
    percentPositive: o.percentPositive,
    effectiveDate: o.effectiveDate,
    basis: o.basis,
    results: o.results,
  };
}

function describe(marker: 'er' | 'pr', r: BiomarkerResult): string {
  const f = r.receptor;
  const parts: string[] = [];
  if (f?.percent !== undefined) parts.push(`${describeNumber(f.percent)} % of nuclei`);
  if (f?.intensity !== undefined) parts.push(`${f.intensity} intensity`);
  if (f?.allred?.proportion !== undefined) parts.push(`Allred proportion ${f.allred.proportion}`);
  if (f?.allred?.total !== undefined) parts.push(`Allred total ${f.allred.total}`);
  if (f?.hScore !== undefined) parts.push(`H-score ${f.hScore}`);
  if (f?.noInternalControls === true) parts.push('no internal controls');
  if (r.labCall !== undefined) parts.push(`lab: ${r.labCall}`);
  if (r.status === 'failed') parts.push('not evaluable');
  if (parts.length === 0) parts.push(`${marker.toUpperCase()} result`);
  return parts.join(', ');
}
