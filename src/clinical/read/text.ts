/**
 * Free-text reader: a small, tested set of patterns for what labs write in valueString, code.text, note
 * and interpretation text. It only extracts what the text states (scores, percentages, ratios, the lab's
 * own words); it never turns numbers into a category — the classifier does that (GUIDELINES §10.2).
 * Several different values of one kind in one text are reported as ambiguous, never picked from.
 */
import type {
  AllredScore,
  Her2IhcScore,
  Her2StainingPattern,
  LabCall,
  Marker,
  ReportedNumber,
  ReportedRange,
} from '../types.js';
import { boundedText } from './json.js';

export interface TextFacts {
  labCall?: LabCall;
  /** "Present" / "detected" with no other call: a positive for ER/PR, not a HER2 category. */
  presence?: boolean;
  notEvaluable?: boolean;
  ihcScore?: Her2IhcScore;
  stainingPattern?: Her2StainingPattern;
  percent?: ReportedNumber | ReportedRange;
  intensity?: 'weak' | 'moderate' | 'strong';
  allred?: AllredScore;
  hScore?: number;
  ishRatio?: ReportedNumber;
  her2Copies?: ReportedNumber;
  cep17Copies?: ReportedNumber;
  /** The whole text is one number ("greater than 2.2", "3"): its meaning depends on the code. */
  bareNumber?: ReportedNumber;
  heterogeneous?: boolean;
  noInternalControls?: boolean;
  singleProbe?: boolean;
  /** Why the text could not be read unambiguously. */
  ambiguous: string[];
  /** Which fact each ambiguity is about (message by fact), so a note's ambiguous numbers can give way to
   *  the Observation's own value for that fact. Absent when nothing was ambiguous. */
  ambiguousFacts?: Partial<Record<TextFactKey, string>>;
}

/** The facts of TextFacts an ambiguity can be about. */
export type TextFactKey = 'ihcScore' | 'percent' | 'allred' | 'hScore' | 'ishRatio' | 'her2Copies' | 'cep17Copies' | 'intensity';

const CMP = String.raw`(<=|>=|≤|≥|=<|=>|<|>|less than|greater than|more than|at least|under|over|above|below)?`;
const NUM = String.raw`(\d{1,4}(?:\.\d{1,4})?)`;

const COMPARATORS: Readonly<Record<string, ReportedNumber['comparator']>> = {
  '<': '<',
  '>': '>',
  '<=': '<=',
  '=<': '<=',
  '≤': '<=',
  '>=': '>=',
  '=>': '>=',
  '≥': '>=',
  'less than': '<',
  under: '<',
  below: '<',
  'greater than': '>',
  'more than': '>',
  over: '>',
  above: '>',
  'at least': '>=',
};

function reported(cmp: string | undefined, value: string): ReportedNumber {
  const n = Number(value);
  const comparator = cmp ? COMPARATORS[cmp.toLowerCase()] : undefined;
  return comparator ? { value: n, comparator } : { value: n };
}

/** Working copy of the text: matched phrases are blanked so later patterns do not reread them
 *  (e.g. the "17" of "HER2/CEP17 ratio 2.3" must not become a CEP17 count). */
class Cursor {
  text: string;
  constructor(text: string) {
    this.text = text;
  }
  /** All matches of a global regex, blanking each. The regexes are shared module constants: lastIndex is
   *  reset before use and is back at 0 when exec runs out of matches. */
  take(re: RegExp): readonly RegExpExecArray[] {
    const text = this.text;
    re.lastIndex = 0;
    let m = re.exec(text);
    if (m === null) return NONE;
    const found: RegExpExecArray[] = [];
    let out = '';
    let from = 0;
    while (m !== null) {
      found.push(m);
      const start = m.index;
      const len = m[0].length;
      // Same stepping as matchAll on an empty match (none of the patterns can match empty).
      if (len === 0) re.lastIndex = start + 1;
      // Matches of one global regex never overlap, so the blanked text is built in one pass.
      out += text.slice(from, start) + ' '.repeat(len);
      from = start + len;
      m = re.exec(text);
    }
    this.text = out + text.slice(from);
    return found;
  }
  has(re: RegExp): boolean {
    return re.test(this.text);
  }
}

/** Shared empty result of take(): callers only read it. */
const NONE: readonly RegExpExecArray[] = [];

function single<T>(values: T[], what: string, facts: TextFacts, key: TextFactKey): T | undefined {
  if (values.length < 2) return values[0];
  const distinct = [...new Map(values.map((v) => [JSON.stringify(v), v])).values()];
  if (distinct.length > 1) {
    flag(facts, `several ${what} in one text`, key);
    return undefined;
  }
  return distinct[0];
}

function flag(facts: TextFacts, message: string, key: TextFactKey): void {
  facts.ambiguous.push(message);
  (facts.ambiguousFacts ??= {})[key] = message;
}

/** A category's own band restated next to it ("ER Low Positive (1-10%)") is the definition of the category,
 *  not a measured range (ASCO-CAP-ERPR-2020 R2 band 1-10 %): blanked so it neither counts as a second
 *  percentage nor as a range. The category words stay and are read as the lab's call. */
const BAND_RESTATEMENT = /(low[- ]?positive|\bER[- ]low\b)(\s*[(:,–-]?\s*)(1\s*%?\s*(?:-|–|to)\s*10\s*%)/gi;

function blankBands(text: string): string {
  return text.replace(BAND_RESTATEMENT, (_m, words: string, sep: string, band: string) => words + sep + ' '.repeat(band.length));
}

// Patterns are compiled once. Those with the g flag are used by Cursor.take only.
const BARE = new RegExp(String.raw`^${CMP}\s*${NUM}$`, 'i');
const NOT_EVALUABLE = /not evaluable|non-?evaluable|unevaluable|cannot be (determined|evaluated|assessed)|indeterminate|insufficient|inadequate|unsatisfactory|not assessable|fail(ed|ure)/i;
const HETEROGENEOUS = /heterogene/i;
const SINGLE_PROBE = /single[- ]probe/i;
const NO_INTERNAL_CONTROLS = /no internal controls?|internal controls? (are |were )?(absent|not present)|without internal controls?/i;
const RATIO = new RegExp(String.raw`(?:HER-?2\s*\/\s*CEP-?17\s*)?ratio\s*(?:of|is|was|=|:)?\s*${CMP}\s*${NUM}`, 'gi');
const HER2_CEP17 = new RegExp(String.raw`HER-?2\s*\/\s*CEP-?17\s*(?:of|is|was|=|:)?\s*${CMP}\s*${NUM}`, 'gi');
const CEP17_COUNT = new RegExp(String.raw`(?:mean|average)?\s*(?:CEP-?17|chromosome 17)\s*(?:copy number|copies|signals)?(?:\s*(?:\/|per)\s*(?:cell|nucleus))?\s*(?:of|is|was|=|:)?\s*${CMP}\s*${NUM}`, 'gi');
const CEP17_COUNT_AFTER = new RegExp(String.raw`${CMP}\s*${NUM}\s*CEP-?17\s*(?:signals|copies)\s*(?:\/|per)\s*(?:cell|nucleus)`, 'gi');
const HER2_COUNT = new RegExp(String.raw`(?:mean|average)?\s*(?:HER-?2\s*)?(?:gene\s*)?(?:copy number|copies|signals)(?:\s*(?:\/|per)\s*(?:cell|nucleus))?\s*(?:of|is|was|=|:)?\s*${CMP}\s*${NUM}`, 'gi');
const HER2_COUNT_AFTER = new RegExp(String.raw`${CMP}\s*${NUM}\s*(?:HER-?2\s*)?(?:signals|copies)\s*(?:\/|per)\s*(?:cell|nucleus)`, 'gi');
const ALLRED = /allred(?:\s*score)?\s*(?:of|is|=|:)?\s*(\d)(?:\s*\/\s*8)?(?:\s*\(([^)]*)\))?/gi;
// Case-sensitive abbreviations: "PR is 5%" must not read as an intensity score.
const PROPORTION_SCORE = /\b(?:PS|[Pp]roportion score)\s*(?:=|:|of)?\s*(\d)/g;
const INTENSITY_SCORE = /\b(?:IS|[Ii]ntensity score)\s*(?:=|:|of)?\s*(\d)/g;
const PROPORTION_INNER = /\b(?:PS|proportion(?: score)?)\s*(?:=|:|of)?\s*(\d)/i;
const INTENSITY_INNER = /\b(?:IS|intensity(?: score)?)\s*(?:=|:|of)?\s*(\d)/i;
const H_SCORE = /\bH-?\s?score\s*(?:of|is|=|:)?\s*(\d{1,3})/gi;
const PERCENT_RANGE = new RegExp(String.raw`${NUM}\s*%?\s*(?:-|–|to)\s*${NUM}\s*%`, 'gi');
const PERCENT = new RegExp(String.raw`${CMP}\s*${NUM}\s*%`, 'gi');
const ULTRALOW_NOTATION = />\s*0\s*(?:,|and|but)?\s*(?:<|less than)\s*1\s*\+/gi;
const ZERO_WITH = /\b0\s*(?:\(\s*)?(?:with|showing)\s+(?:faint|weak|barely perceptible)[^.;]*?staining/gi;
const ZERO_WITH_MEMBRANE = /\b0\s*(?:\(\s*)?with\s+membrane\s+staining/gi;
const ZERO_WITHOUT = /\b0\s*(?:\(\s*)?(?:with no|without)\s+(?:membrane\s+)?staining|\bno (?:membrane )?staining|\bnull\b/gi;
const HER2_PLUS = /\b([0-3])\s*\+/g;
const HER2_ZERO = /(?:score|IHC|HER-?2)\s*(?:of|is|was|=|:)?\s*\(?\s*0(?![.\d%+])/gi;
const FAINT_INCOMPLETE = /(?:faint|barely perceptible)[^.;]*incomplete/i;
const MODERATE_INTENSE_INCOMPLETE = /(?:moderate|intense|strong)[^.;]*(?:incomplete|basolateral|lateral|U-shaped)/i;
const WEAK_MODERATE_COMPLETE = /weak(?:-| to )moderate[^.;]*complete/i;
const INTENSE_COMPLETE = /(?:intense|strong)[^.;]*complete|complete[^.;]*(?:intense|strong)/i;
const INTENSITY_RANGE = /\b(?:weak|moderate|strong|intense)(?:ly)?\s*(?:-|–|\/|to)\s*(?:weak|moderate|strong|intense)\b/gi;
const RECEPTOR_PLUS = /\b([1-3])\s*\+/g;
const INTENSITY_WORD = /\b(weak|moderate|strong|intense)(?:ly)?\b/gi;
const CALL_EQUIVOCAL = /equivocal|borderline/gi;
const CALL_ULTRALOW = /ultra-?\s?low/gi;
const CALL_LOW_POSITIVE = /low[- ]?positive|positive[, ]*\(?low\)?|\bER[- ]low\b/gi;
const CALL_HER2_LOW = /HER-?2[- ]?low\b/gi;
const CALL_HER2_ZERO = /HER-?2[- ](?:0|zero)\b/gi;
const CALL_NEGATIVE = /negative|not amplified|non-?amplified|no amplification|not detected|\babsent\b|\bneg\b/gi;
const CALL_POSITIVE = /positive|amplified|amplification|\bpos\b/gi;
const CALL_PRESENT = /\bpresent\b|\bdetected\b/gi;
const TRAILING_PUNCTUATION = /[.;,]$/;
const WHITESPACE = /\s+/g;
/** Every number pattern needs an ASCII digit: a text without one skips them (they could not match). */
const DIGIT = /\d/;

/** Reads one text for one marker ('er+pr' for combined receptor text). */
export function parseText(input: string, marker: Marker | 'er+pr'): TextFacts {
  const facts: TextFacts = { ambiguous: [] };
  const text = boundedText(input).replace(WHITESPACE, ' ').trim();
  if (text === '') return facts;
  const digits = DIGIT.test(text);
  const c = new Cursor(marker === 'her2' || !digits ? text : blankBands(text));

  // Bare number, e.g. Synthea's FISH valueString "less than 1.8" / "greater than 2.2" or a bare "3".
  const bare = digits ? BARE.exec(text.replace(TRAILING_PUNCTUATION, '')) : null;
  if (bare && bare[2] !== undefined) facts.bareNumber = reported(bare[1], bare[2]);

  if (c.has(NOT_EVALUABLE)) {
    facts.notEvaluable = true;
    facts.labCall = 'indeterminate';
  }
  if (c.has(HETEROGENEOUS)) facts.heterogeneous = true;
  if (c.has(SINGLE_PROBE)) facts.singleProbe = true;
  if (c.has(NO_INTERNAL_CONTROLS)) facts.noInternalControls = true;

  // ISH numbers: ratio first (it contains "CEP17"), then CEP17 and HER2 signals per cell.
  const ratios = digits ? [...c.take(RATIO), ...c.take(HER2_CEP17)] : NONE;
  facts.ishRatio = single(ratios.map((m) => reported(m[1], m[2] ?? '')), 'ISH ratios', facts, 'ishRatio');
  const cep = digits ? [...c.take(CEP17_COUNT), ...c.take(CEP17_COUNT_AFTER)] : NONE;
  facts.cep17Copies = single(cep.map((m) => reported(m[1], m[2] ?? '')), 'CEP17 counts', facts, 'cep17Copies');
  const copies = digits ? [...c.take(HER2_COUNT), ...c.take(HER2_COUNT_AFTER)] : NONE;
  facts.her2Copies = single(copies.map((m) => reported(m[1], m[2] ?? '')), 'HER2 copy numbers', facts, 'her2Copies');

  // Allred: "Allred 7/8", "Allred score 5 (PS 3, IS 2)".
  const allred = digits ? c.take(ALLRED) : NONE;
  const ps = digits ? c.take(PROPORTION_SCORE) : NONE;
  const is = digits ? c.take(INTENSITY_SCORE) : NONE;
  if (allred.length > 0 || ps.length > 0) {
    const score: AllredScore = {};
    const total = single(allred.map((m) => Number(m[1])), 'Allred scores', facts, 'allred');
    const inner = allred[0]?.[2] ?? '';
    const psInner = PROPORTION_INNER.exec(inner)?.[1];
    const isInner = INTENSITY_INNER.exec(inner)?.[1];
    const proportion = single([...ps.map((m) => Number(m[1])), ...(psInner ? [Number(psInner)] : [])], 'Allred proportion scores', facts, 'allred');
    const intensity = single([...is.map((m) => Number(m[1])), ...(isInner ? [Number(isInner)] : [])], 'Allred intensity scores', facts, 'allred');
    if (total !== undefined) score.total = total;
    if (proportion !== undefined) score.proportion = proportion;
    if (intensity !== undefined) score.intensity = intensity;
    const valid =
      (score.total === undefined || score.total <= 8) &&
      (score.proportion === undefined || score.proportion <= 5) &&
      (score.intensity === undefined || score.intensity <= 3);
    if (valid) facts.allred = score;
    else flag(facts, 'Allred score out of range', 'allred');
  }
  const h = digits ? c.take(H_SCORE) : NONE;
  const hScore = single(h.map((m) => Number(m[1])), 'H-scores', facts, 'hScore');
  if (hScore !== undefined) {
    if (hScore <= 300) facts.hScore = hScore;
    else flag(facts, 'H-score out of range (0-300)', 'hScore');
  }

  // Percentages: ranges ("1-5%") before single values ("<1%", "95%").
  const ranges = digits ? c.take(PERCENT_RANGE) : NONE;
  const pcts = digits ? c.take(PERCENT) : NONE;
  const percentValues: Array<ReportedNumber | ReportedRange> = [
    ...ranges.map((m) => ({ low: Number(m[1]), high: Number(m[2]) })),
    ...pcts.map((m) => reported(m[1], m[2] ?? '')),
  ];
  const percent = single(percentValues, 'percentages', facts, 'percent');
  if (percent !== undefined) {
    const bad = 'low' in percent ? percent.low > percent.high || percent.high > 100 : percent.value > 100;
    if (bad) flag(facts, 'percentage out of range', 'percent');
    else facts.percent = percent;
  }

  readScoresAndPatterns(c, marker, facts, digits);
  readCall(c, marker, facts, digits);
  return facts;
}

function readScoresAndPatterns(c: Cursor, marker: Marker | 'er+pr', facts: TextFacts, digits: boolean): void {
  if (marker === 'her2') {
    // "0 with faint incomplete membrane staining" = IHC 0 with membrane staining (ASCO-CAP-HER2-2018 Fig. 1).
    // ">0 <1+" is the ultralow notation (GUIDELINES H4): taken first so its "1+" is not read as a score.
    const ultralowNotation = digits ? c.take(ULTRALOW_NOTATION) : NONE;
    const zeroWith = digits ? c.take(ZERO_WITH) : NONE;
    // "0 with membrane staining" is the label's own wording for ultralow (H4; LABEL-ENHERTU); it names no pattern.
    const zeroWithMembrane = digits ? c.take(ZERO_WITH_MEMBRANE) : NONE;
    const zeroWithout = c.take(ZERO_WITHOUT);
    const plus = digits ? c.take(HER2_PLUS) : NONE;
    const zero = digits ? c.take(HER2_ZERO) : NONE;
    const scores: Her2IhcScore[] = [
      ...[...ultralowNotation, ...zeroWithMembrane].map((): Her2IhcScore => '0-with-staining'),
      ...zeroWith.map((): Her2IhcScore => '0-with-staining'),
      ...zeroWithout.map((): Her2IhcScore => '0'),
      ...plus.map((m) => (m[1] === '0' ? '0' : `${m[1]}+`) as Her2IhcScore),
      ...zero.map((): Her2IhcScore => '0'),
    ];
    // '0' and '0-with-staining' in one text agree ("IHC 0 ... 0 with faint staining"): keep the specific one.
    const merged = scores.includes('0-with-staining') ? scores.filter((s) => s !== '0') : scores;
    facts.ihcScore = single(merged, 'IHC scores', facts, 'ihcScore');
    if (zeroWith.length > 0) facts.stainingPattern = 'faint-incomplete';
    else if (zeroWithout.length > 0) facts.stainingPattern = 'none';
    else if (c.has(FAINT_INCOMPLETE)) facts.stainingPattern = 'faint-incomplete';
    else if (c.has(MODERATE_INTENSE_INCOMPLETE)) facts.stainingPattern = 'moderate-intense-incomplete';
    else if (c.has(WEAK_MODERATE_COMPLETE)) facts.stainingPattern = 'weak-moderate-complete';
    else if (c.has(INTENSE_COMPLETE)) facts.stainingPattern = 'intense-complete';
    return;
  }
  // ER/PR: "1+/2+/3+" and words describe staining intensity, not a score. An intensity range
  // ("weak-moderate", "weak to strong") is normal in reports and plays no part in R1-R5: taken and left
  // unset, so its two words are not read as two contradictory intensities.
  c.take(INTENSITY_RANGE);
  const plus = (digits ? c.take(RECEPTOR_PLUS) : NONE).map((m) => (m[1] === '1' ? 'weak' : m[1] === '2' ? 'moderate' : 'strong'));
  const words = c.take(INTENSITY_WORD).map((m) => {
    const w = (m[1] ?? '').toLowerCase();
    return w === 'intense' ? 'strong' : w;
  });
  const intensity = single([...plus, ...words], 'intensities', facts, 'intensity');
  if (intensity === 'weak' || intensity === 'moderate' || intensity === 'strong') facts.intensity = intensity;
}

function readCall(c: Cursor, marker: Marker | 'er+pr', facts: TextFacts, digits: boolean): void {
  const calls: LabCall[] = [];
  if (facts.labCall === 'indeterminate') calls.push('indeterminate');
  if (c.take(CALL_EQUIVOCAL).length > 0) calls.push('equivocal');
  if (c.take(CALL_ULTRALOW).length > 0) calls.push('ultralow');
  if (c.take(CALL_LOW_POSITIVE).length > 0) calls.push('low-positive');
  if (marker === 'her2' && digits && c.take(CALL_HER2_LOW).length > 0) calls.push('low');
  if (marker === 'her2' && digits && c.take(CALL_HER2_ZERO).length > 0) calls.push('zero');
  if (c.take(CALL_NEGATIVE).length > 0) calls.push('negative');
  if (c.take(CALL_POSITIVE).length > 0) calls.push('positive');
  if (c.take(CALL_PRESENT).length > 0 && !calls.includes('positive') && !calls.includes('negative')) facts.presence = true;
  const call = reduceCalls(calls);
  if (call === 'conflict') facts.ambiguous.push(`text states contradictory calls (${calls.join(', ')})`);
  else if (call !== undefined) facts.labCall = call;
}

/** Calls that refine each other merge to the most specific ("negative" + "ultralow" → ultralow);
 *  anything else is a contradiction. */
export function reduceCalls(calls: LabCall[]): LabCall | 'conflict' | undefined {
  const distinct = [...new Set(calls)];
  if (distinct.length <= 1) return distinct[0];
  const negatives: LabCall[] = ['negative', 'zero', 'ultralow', 'low'];
  const positives: LabCall[] = ['positive', 'low-positive'];
  const specific = (family: LabCall[], general: LabCall): LabCall | undefined => {
    if (!distinct.every((x) => family.includes(x))) return undefined;
    const narrow = distinct.filter((x) => x !== general);
    return narrow.length === 1 ? narrow[0] : undefined;
  };
  return specific(negatives, 'negative') ?? specific(positives, 'positive') ?? 'conflict';
}

const MARKER_NAME = /\b(HER-?2(?:\/neu)?|ERBB-?2|ER|o?estrogen receptor|PR|PgR|progesterone receptor)\b/gi;

/** Where each marker is named in a text, to split "ER 95%, PR 10%" into one segment per marker. */
export function splitByMarker(text: string): Array<{ marker: Marker; text: string }> {
  const hits: Array<{ marker: Marker; index: number }> = [];
  for (const m of boundedText(text).matchAll(MARKER_NAME)) {
    const word = (m[1] ?? '').toLowerCase();
    const marker: Marker = word.startsWith('her') || word.startsWith('erbb') ? 'her2' : word.startsWith('p') ? 'pr' : 'er';
    // "HER2/CEP17" and the like stay in one segment; only a change of marker opens a new one.
    if (hits.length === 0 || hits[hits.length - 1]?.marker !== marker) hits.push({ marker, index: m.index ?? 0 });
  }
  return hits.map((h, i) => ({ marker: h.marker, text: text.slice(h.index, hits[i + 1]?.index ?? text.length) }));
}
