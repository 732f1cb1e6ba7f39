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

/** A pattern and the words every match of it contains (lower case, without spaces), and whether a match
 *  needs an ASCII digit: a text lacking them is not searched, as the pattern could not match it. Words
 *  hold no spaces because blanking (Cursor.take) can turn characters into spaces, never into letters. */
export interface Pattern {
  re: RegExp;
  words: readonly string[];
  digit: boolean;
}

function pattern(re: RegExp, words: readonly string[], digit = false): Pattern {
  if (words.length === 0) throw new Error('a pattern needs the words its matches contain');
  return { re, words, digit };
}

/** Working copy of the text: matched phrases are blanked so later patterns do not reread them
 *  (e.g. the "17" of "HER2/CEP17 ratio 2.3" must not become a CEP17 count). */
class Cursor {
  text: string;
  /** The text before any blanking, lower case: blanking only removes, so what it lacks the text lacks. */
  private readonly lower: string;
  readonly digits: boolean;
  constructor(text: string) {
    this.text = text;
    this.lower = text.toLowerCase();
    this.digits = DIGIT.test(text);
  }
  /** Can the pattern match at all? */
  private may(p: Pattern): boolean {
    if (p.digit && !this.digits) return false;
    const { words } = p;
    for (let i = 0; i < words.length; i++) if (this.lower.includes(words[i] as string)) return true;
    return false;
  }
  /** All matches of a global pattern, blanking each. The regexes are shared module constants: lastIndex
   *  is reset before use and is back at 0 when exec runs out of matches. */
  take(p: Pattern): readonly RegExpExecArray[] {
    if (!this.may(p)) return NONE;
    const { re } = p;
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
  has(p: Pattern): boolean {
    return this.may(p) && p.re.test(this.text);
  }
  /** A category's own band restated next to it ("ER Low Positive (1-10%)") is the definition of the
   *  category, not a measured range (ASCO-CAP-ERPR-2020 R2 band 1-10 %): blanked so it neither counts as a
   *  second percentage nor as a range. The category words stay and are read as the lab's call. */
  blankBands(): void {
    if (!this.may(BAND_RESTATEMENT)) return;
    this.text = this.text.replace(BAND_RESTATEMENT.re, (_m, words: string, sep: string, band: string) => words + sep + ' '.repeat(band.length));
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

/** The one number two patterns found (comparator in group 1, value in group 2), as single(). */
function singleNumber(a: readonly RegExpExecArray[], b: readonly RegExpExecArray[], what: string, facts: TextFacts, key: TextFactKey): ReportedNumber | undefined {
  if (a.length + b.length === 0) return undefined;
  return single([...a, ...b].map((m) => reported(m[1], m[2] ?? '')), what, facts, key);
}

function flag(facts: TextFacts, message: string, key: TextFactKey): void {
  facts.ambiguous.push(message);
  (facts.ambiguousFacts ??= {})[key] = message;
}

// Patterns are compiled once. Those with the g flag are used by Cursor.take only.
const DIGIT = /\d/;
const BAND_RESTATEMENT = pattern(/(low[- ]?positive|\bER[- ]low\b)(\s*[(:,–-]?\s*)(1\s*%?\s*(?:-|–|to)\s*10\s*%)/gi, ['low'], true);
const BARE = new RegExp(String.raw`^${CMP}\s*${NUM}$`, 'i');
const NOT_EVALUABLE = pattern(
  /not evaluable|non-?evaluable|unevaluable|cannot be (determined|evaluated|assessed)|indeterminate|insufficient|inadequate|unsatisfactory|not assessable|fail(ed|ure)/i,
  ['evaluable', 'cannot', 'indeterminate', 'insufficient', 'inadequate', 'unsatisfactory', 'assessable', 'fail'],
);
const HETEROGENEOUS = pattern(/heterogene/i, ['heterogene']);
const SINGLE_PROBE = pattern(/single[- ]probe/i, ['probe']);
const NO_INTERNAL_CONTROLS = pattern(/no internal controls?|internal controls? (are |were )?(absent|not present)|without internal controls?/i, ['control']);
const RATIO = pattern(new RegExp(String.raw`(?:HER-?2\s*\/\s*CEP-?17\s*)?ratio\s*(?:of|is|was|=|:)?\s*${CMP}\s*${NUM}`, 'gi'), ['ratio'], true);
const HER2_CEP17 = pattern(new RegExp(String.raw`HER-?2\s*\/\s*CEP-?17\s*(?:of|is|was|=|:)?\s*${CMP}\s*${NUM}`, 'gi'), ['cep'], true);
const CEP17_COUNT = pattern(
  new RegExp(String.raw`(?:mean|average)?\s*(?:CEP-?17|chromosome 17)\s*(?:copy number|copies|signals)?(?:\s*(?:\/|per)\s*(?:cell|nucleus))?\s*(?:of|is|was|=|:)?\s*${CMP}\s*${NUM}`, 'gi'),
  ['cep', 'chromosome'],
  true,
);
const CEP17_COUNT_AFTER = pattern(new RegExp(String.raw`${CMP}\s*${NUM}\s*CEP-?17\s*(?:signals|copies)\s*(?:\/|per)\s*(?:cell|nucleus)`, 'gi'), ['cep'], true);
const HER2_COUNT = pattern(
  new RegExp(String.raw`(?:mean|average)?\s*(?:HER-?2\s*)?(?:gene\s*)?(?:copy number|copies|signals)(?:\s*(?:\/|per)\s*(?:cell|nucleus))?\s*(?:of|is|was|=|:)?\s*${CMP}\s*${NUM}`, 'gi'),
  ['cop', 'signals'],
  true,
);
const HER2_COUNT_AFTER = pattern(new RegExp(String.raw`${CMP}\s*${NUM}\s*(?:HER-?2\s*)?(?:signals|copies)\s*(?:\/|per)\s*(?:cell|nucleus)`, 'gi'), ['signals', 'copies'], true);
const ALLRED = pattern(/allred(?:\s*score)?\s*(?:of|is|=|:)?\s*(\d)(?:\s*\/\s*8)?(?:\s*\(([^)]*)\))?/gi, ['allred'], true);
// Case-sensitive abbreviations: "PR is 5%" must not read as an intensity score.
const PROPORTION_SCORE = pattern(/\b(?:PS|[Pp]roportion score)\s*(?:=|:|of)?\s*(\d)/g, ['ps', 'roportion'], true);
const INTENSITY_SCORE = pattern(/\b(?:IS|[Ii]ntensity score)\s*(?:=|:|of)?\s*(\d)/g, ['is', 'ntensity'], true);
const PROPORTION_INNER = /\b(?:PS|proportion(?: score)?)\s*(?:=|:|of)?\s*(\d)/i;
const INTENSITY_INNER = /\b(?:IS|intensity(?: score)?)\s*(?:=|:|of)?\s*(\d)/i;
const H_SCORE = pattern(/\bH-?\s?score\s*(?:of|is|=|:)?\s*(\d{1,3})/gi, ['score'], true);
const PERCENT_RANGE = pattern(new RegExp(String.raw`${NUM}\s*%?\s*(?:-|–|to)\s*${NUM}\s*%`, 'gi'), ['%'], true);
const PERCENT = pattern(new RegExp(String.raw`${CMP}\s*${NUM}\s*%`, 'gi'), ['%'], true);
const ULTRALOW_NOTATION = pattern(/>\s*0\s*(?:,|and|but)?\s*(?:<|less than)\s*1\s*\+/gi, ['>'], true);
const ZERO_WITH = pattern(/\b0\s*(?:\(\s*)?(?:with|showing)\s+(?:faint|weak|barely perceptible)[^.;]*?staining/gi, ['staining'], true);
const ZERO_WITH_MEMBRANE = pattern(/\b0\s*(?:\(\s*)?with\s+membrane\s+staining/gi, ['staining'], true);
const ZERO_WITHOUT = pattern(/\b0\s*(?:\(\s*)?(?:with no|without)\s+(?:membrane\s+)?staining|\bno (?:membrane )?staining|\bnull\b/gi, ['staining', 'null']);
const HER2_PLUS = pattern(/\b([0-3])\s*\+/g, ['+'], true);
const HER2_ZERO = pattern(/(?:score|IHC|HER-?2)\s*(?:of|is|was|=|:)?\s*\(?\s*0(?![.\d%+])/gi, ['score', 'ihc', 'her'], true);
const FAINT_INCOMPLETE = pattern(/(?:faint|barely perceptible)[^.;]*incomplete/i, ['incomplete']);
const MODERATE_INTENSE_INCOMPLETE = pattern(/(?:moderate|intense|strong)[^.;]*(?:incomplete|basolateral|lateral|U-shaped)/i, ['moderate', 'intense', 'strong']);
const WEAK_MODERATE_COMPLETE = pattern(/weak(?:-| to )moderate[^.;]*complete/i, ['weak']);
const INTENSE_COMPLETE = pattern(/(?:intense|strong)[^.;]*complete|complete[^.;]*(?:intense|strong)/i, ['complete']);
const INTENSITIES = ['weak', 'moderate', 'strong', 'intense'];
const INTENSITY_RANGE = pattern(/\b(?:weak|moderate|strong|intense)(?:ly)?\s*(?:-|–|\/|to)\s*(?:weak|moderate|strong|intense)\b/gi, INTENSITIES);
const RECEPTOR_PLUS = pattern(/\b([1-3])\s*\+/g, ['+'], true);
const INTENSITY_WORD = pattern(/\b(weak|moderate|strong|intense)(?:ly)?\b/gi, INTENSITIES);
const CALL_EQUIVOCAL = pattern(/equivocal|borderline/gi, ['equivocal', 'borderline']);
const CALL_ULTRALOW = pattern(/ultra-?\s?low/gi, ['ultra']);
const CALL_LOW_POSITIVE = pattern(/low[- ]?positive|positive[, ]*\(?low\)?|\bER[- ]low\b/gi, ['low']);
const CALL_HER2_LOW = pattern(/HER-?2[- ]?low\b/gi, ['low'], true);
const CALL_HER2_ZERO = pattern(/HER-?2[- ](?:0|zero)\b/gi, ['her'], true);
const CALL_NEGATIVE = pattern(/negative|not amplified|non-?amplified|no amplification|not detected|\babsent\b|\bneg\b/gi, ['neg', 'amplif', 'detected', 'absent']);
const CALL_POSITIVE = pattern(/positive|amplified|amplification|\bpos\b/gi, ['pos', 'amplif']);
const CALL_PRESENT = pattern(/\bpresent\b|\bdetected\b/gi, ['present', 'detected']);
/** Every pattern with its words, for the test that the words and digit flags hold for every match. */
export const GATED_PATTERNS: Readonly<Record<string, Pattern>> = {
  BAND_RESTATEMENT,
  NOT_EVALUABLE,
  HETEROGENEOUS,
  SINGLE_PROBE,
  NO_INTERNAL_CONTROLS,
  RATIO,
  HER2_CEP17,
  CEP17_COUNT,
  CEP17_COUNT_AFTER,
  HER2_COUNT,
  HER2_COUNT_AFTER,
  ALLRED,
  PROPORTION_SCORE,
  INTENSITY_SCORE,
  H_SCORE,
  PERCENT_RANGE,
  PERCENT,
  ULTRALOW_NOTATION,
  ZERO_WITH,
  ZERO_WITH_MEMBRANE,
  ZERO_WITHOUT,
  HER2_PLUS,
  HER2_ZERO,
  FAINT_INCOMPLETE,
  MODERATE_INTENSE_INCOMPLETE,
  WEAK_MODERATE_COMPLETE,
  INTENSE_COMPLETE,
  INTENSITY_RANGE,
  RECEPTOR_PLUS,
  INTENSITY_WORD,
  CALL_EQUIVOCAL,
  CALL_ULTRALOW,
  CALL_LOW_POSITIVE,
  CALL_HER2_LOW,
  CALL_HER2_ZERO,
  CALL_NEGATIVE,
  CALL_POSITIVE,
  CALL_PRESENT,
};
const TRAILING_PUNCTUATION = /[.;,]$/;
const WHITESPACE = /\s+/g;

/** Texts read so far in the current withTextMemo scope, by marker and text. */
let memo: Map<string, TextFacts> | undefined;

/** Runs `read` with parseText remembering what it read: a chart repeats the same displays and values
 *  ("Positive", "Negative") on many Observations. Every parseText call still returns its own copy. */
export function withTextMemo<T>(read: () => T): T {
  const outer = memo;
  memo = new Map();
  try {
    return read();
  } finally {
    memo = outer;
  }
}

/** Reads one text for one marker ('er+pr' for combined receptor text). */
export function parseText(input: string, marker: Marker | 'er+pr'): TextFacts {
  const bounded = boundedText(input);
  if (memo === undefined) return readText(bounded, marker);
  const key = `${marker}|${bounded}`;
  let facts = memo.get(key);
  if (facts === undefined) {
    facts = readText(bounded, marker);
    memo.set(key, facts);
  }
  return copyFacts(facts);
}

/** A copy sharing nothing with the original (TextFacts nests objects and arrays one level deep). Keys keep
 *  their order, including those set to undefined. */
function copyFacts(facts: TextFacts): TextFacts {
  const out: Record<string, unknown> = { ...facts };
  for (const key in out) {
    const value = out[key];
    if (typeof value === 'object' && value !== null) out[key] = Array.isArray(value) ? value.slice() : { ...value };
  }
  return out as unknown as TextFacts;
}

function readText(bounded: string, marker: Marker | 'er+pr'): TextFacts {
  const facts: TextFacts = { ambiguous: [] };
  const text = bounded.replace(WHITESPACE, ' ').trim();
  if (text === '') return facts;
  const c = new Cursor(text);
  if (marker !== 'her2') c.blankBands();

  // Bare number, e.g. Synthea's FISH valueString "less than 1.8" / "greater than 2.2" or a bare "3".
  const bare = c.digits ? BARE.exec(text.replace(TRAILING_PUNCTUATION, '')) : null;
  if (bare && bare[2] !== undefined) facts.bareNumber = reported(bare[1], bare[2]);

  if (c.has(NOT_EVALUABLE)) {
    facts.notEvaluable = true;
    facts.labCall = 'indeterminate';
  }
  if (c.has(HETEROGENEOUS)) facts.heterogeneous = true;
  if (c.has(SINGLE_PROBE)) facts.singleProbe = true;
  if (c.has(NO_INTERNAL_CONTROLS)) facts.noInternalControls = true;

  // ISH numbers: ratio first (it contains "CEP17"), then CEP17 and HER2 signals per cell.
  facts.ishRatio = singleNumber(c.take(RATIO), c.take(HER2_CEP17), 'ISH ratios', facts, 'ishRatio');
  facts.cep17Copies = singleNumber(c.take(CEP17_COUNT), c.take(CEP17_COUNT_AFTER), 'CEP17 counts', facts, 'cep17Copies');
  facts.her2Copies = singleNumber(c.take(HER2_COUNT), c.take(HER2_COUNT_AFTER), 'HER2 copy numbers', facts, 'her2Copies');

  // Allred: "Allred 7/8", "Allred score 5 (PS 3, IS 2)".
  const allred = c.take(ALLRED);
  const ps = c.take(PROPORTION_SCORE);
  const is = c.take(INTENSITY_SCORE);
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
  const h = c.take(H_SCORE);
  const hScore = h.length === 0 ? undefined : single(h.map((m) => Number(m[1])), 'H-scores', facts, 'hScore');
  if (hScore !== undefined) {
    if (hScore <= 300) facts.hScore = hScore;
    else flag(facts, 'H-score out of range (0-300)', 'hScore');
  }

  // Percentages: ranges ("1-5%") before single values ("<1%", "95%").
  const ranges = c.take(PERCENT_RANGE);
  const pcts = c.take(PERCENT);
  const percent =
    ranges.length + pcts.length === 0
      ? undefined
      : single<ReportedNumber | ReportedRange>(
          [...ranges.map((m) => ({ low: Number(m[1]), high: Number(m[2]) })), ...pcts.map((m) => reported(m[1], m[2] ?? ''))],
          'percentages',
          facts,
          'percent',
        );
  if (percent !== undefined) {
    const bad = 'low' in percent ? percent.low > percent.high || percent.high > 100 : percent.value > 100;
    if (bad) flag(facts, 'percentage out of range', 'percent');
    else facts.percent = percent;
  }

  readScoresAndPatterns(c, marker, facts);
  readCall(c, marker, facts);
  return facts;
}

function readScoresAndPatterns(c: Cursor, marker: Marker | 'er+pr', facts: TextFacts): void {
  if (marker === 'her2') {
    // "0 with faint incomplete membrane staining" = IHC 0 with membrane staining (ASCO-CAP-HER2-2018 Fig. 1).
    // ">0 <1+" is the ultralow notation (GUIDELINES H4): taken first so its "1+" is not read as a score.
    const ultralowNotation = c.take(ULTRALOW_NOTATION);
    const zeroWith = c.take(ZERO_WITH);
    // "0 with membrane staining" is the label's own wording for ultralow (H4; LABEL-ENHERTU); it names no pattern.
    const zeroWithMembrane = c.take(ZERO_WITH_MEMBRANE);
    const zeroWithout = c.take(ZERO_WITHOUT);
    const plus = c.take(HER2_PLUS);
    const zero = c.take(HER2_ZERO);
    const scores: Her2IhcScore[] = [];
    for (let i = ultralowNotation.length + zeroWithMembrane.length + zeroWith.length; i > 0; i--) scores.push('0-with-staining');
    for (let i = zeroWithout.length; i > 0; i--) scores.push('0');
    for (const m of plus) scores.push(m[1] === '0' ? '0' : (`${m[1]}+` as Her2IhcScore));
    for (let i = zero.length; i > 0; i--) scores.push('0');
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
  const plus = c.take(RECEPTOR_PLUS).map((m) => (m[1] === '1' ? 'weak' : m[1] === '2' ? 'moderate' : 'strong'));
  const words = c.take(INTENSITY_WORD).map((m) => {
    const w = (m[1] ?? '').toLowerCase();
    return w === 'intense' ? 'strong' : w;
  });
  const intensity = single([...plus, ...words], 'intensities', facts, 'intensity');
  if (intensity === 'weak' || intensity === 'moderate' || intensity === 'strong') facts.intensity = intensity;
}

function readCall(c: Cursor, marker: Marker | 'er+pr', facts: TextFacts): void {
  const calls: LabCall[] = [];
  if (facts.labCall === 'indeterminate') calls.push('indeterminate');
  if (c.take(CALL_EQUIVOCAL).length > 0) calls.push('equivocal');
  if (c.take(CALL_ULTRALOW).length > 0) calls.push('ultralow');
  if (c.take(CALL_LOW_POSITIVE).length > 0) calls.push('low-positive');
  if (marker === 'her2' && c.take(CALL_HER2_LOW).length > 0) calls.push('low');
  if (marker === 'her2' && c.take(CALL_HER2_ZERO).length > 0) calls.push('zero');
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
