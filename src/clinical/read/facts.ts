/**
 * Accumulates what the sources of one Observation say about one marker (coded value, quantity, text,
 * interpretation, components, notes). Two sources giving different values for the same fact are a
 * contradiction: recorded, and the result becomes unreadable — never resolved by picking one.
 *
 * One exception, by precedence rather than by picking: numbers in supplementary texts (notes, interpretation
 * text, secondary displays) are kept apart ("noted") and used only for facts the Observation's own values
 * (value[x], components, the value text) leave open — the structured value wins over a number in a note
 * (settle()). Lab calls from notes still count and still conflict.
 */
import type { Her2Facts, LabCall, Marker, ReceptorFacts } from '../types.js';
import { reduceCalls, type TextFactKey, type TextFacts } from './text.js';
import type { Aspect, Method } from './codes.js';

type Num = { value: number; comparator?: '<' | '<=' | '>' | '>=' };

/** TextFacts key → the Her2Facts / ReceptorFacts key it fills (for matching a note's ambiguity to a fact). */
const HER2_KEY: Partial<Record<TextFactKey, keyof Her2Facts>> = {
  ihcScore: 'ihcScore',
  percent: 'stainingPercent',
  ishRatio: 'ishRatio',
  her2Copies: 'her2CopiesPerCell',
  cep17Copies: 'cep17CopiesPerCell',
};
const RECEPTOR_KEY: Partial<Record<TextFactKey, keyof ReceptorFacts>> = {
  percent: 'percent',
  allred: 'allred',
  hScore: 'hScore',
  intensity: 'intensity',
};

export class Facts {
  readonly marker: Marker | 'er+pr';
  labCalls: LabCall[] = [];
  presence = false;
  notEvaluable = false;
  her2: Her2Facts = {};
  receptor: ReceptorFacts = {};
  conflicts: string[] = [];
  /** Something was read that is not a fact of its own (e.g. a recognised but unusable value). */
  problems: string[] = [];
  texts: string[] = [];
  /** Values and ambiguities from supplementary texts, merged by settle(). */
  noted: { her2: Her2Facts; receptor: ReceptorFacts; conflicts: Array<{ fact?: string; reason: string }> } = { her2: {}, receptor: {}, conflicts: [] };
  /** While true, set* calls write to `noted` (see applyText). */
  private notedMode = false;

  constructor(marker: Marker | 'er+pr') {
    this.marker = marker;
  }

  setHer2<K extends keyof Her2Facts>(key: K, value: Her2Facts[K] | undefined): void {
    if (value === undefined) return;
    const target = this.notedMode ? this.noted.her2 : this.her2;
    const old = target[key];
    if (old === undefined || same(old, value)) {
      target[key] = value;
      return;
    }
    // '0' and '0-with-staining' agree; the specific one is kept.
    const pair: unknown[] = [old, value];
    if (key === 'ihcScore' && pair.includes('0') && pair.includes('0-with-staining')) {
      target.ihcScore = '0-with-staining';
      return;
    }
    this.conflict(key, `different ${key} values`);
  }

  setReceptor<K extends keyof ReceptorFacts>(key: K, value: ReceptorFacts[K] | undefined): void {
    if (value === undefined) return;
    const target = this.notedMode ? this.noted.receptor : this.receptor;
    const old = target[key];
    if (old === undefined || same(old, value)) target[key] = value;
    else this.conflict(key, `different ${key} values`);
  }

  private conflict(fact: string | undefined, reason: string): void {
    if (this.notedMode) this.noted.conflicts.push(fact === undefined ? { reason } : { fact, reason });
    else this.conflicts.push(reason);
  }

  /** Uses what supplementary texts said for the facts nothing else gave; their ambiguity about a fact the
   *  Observation's own values settle is dropped (a note "1-10 %, 5 %" next to a structured 5 %). */
  settle(): void {
    const { her2, receptor, conflicts } = this.noted;
    this.noted = { her2: {}, receptor: {}, conflicts: [] };
    for (const [k, v] of Object.entries(her2)) if (this.her2[k as keyof Her2Facts] === undefined) this.setHer2(k as keyof Her2Facts, v as never);
    for (const [k, v] of Object.entries(receptor)) if (this.receptor[k as keyof ReceptorFacts] === undefined) this.setReceptor(k as keyof ReceptorFacts, v as never);
    for (const c of conflicts) {
      const settled = c.fact !== undefined && (c.fact in this.her2 || c.fact in this.receptor);
      if (!settled) this.conflicts.push(c.reason);
    }
  }

  /** Takes in everything another Facts of the same test holds (parts of one result in several Observations). */
  absorb(other: Facts): void {
    this.labCalls.push(...other.labCalls);
    this.presence ||= other.presence;
    this.notEvaluable ||= other.notEvaluable;
    this.conflicts.push(...other.conflicts);
    this.problems.push(...other.problems);
    this.texts.push(...other.texts);
    for (const [k, v] of Object.entries(other.her2)) this.setHer2(k as keyof Her2Facts, v as never);
    for (const [k, v] of Object.entries(other.receptor)) this.setReceptor(k as keyof ReceptorFacts, v as never);
    this.notedMode = true;
    try {
      for (const [k, v] of Object.entries(other.noted.her2)) this.setHer2(k as keyof Her2Facts, v as never);
      for (const [k, v] of Object.entries(other.noted.receptor)) this.setReceptor(k as keyof ReceptorFacts, v as never);
    } finally {
      this.notedMode = false;
    }
    this.noted.conflicts.push(...other.noted.conflicts);
  }

  /** The lab's call from all sources, or 'conflict'. */
  labCall(): LabCall | 'conflict' | undefined {
    return reduceCalls(this.labCalls);
  }

  hasFacts(): boolean {
    const { her2, receptor } = this.noted;
    return keyCount(this.her2) > 0 || keyCount(this.receptor) > 0 || keyCount(her2) > 0 || keyCount(receptor) > 0;
  }

  /** Applies text facts read for this marker; `aspect`/`method` say what a bare number means.
   *  `supplementary` texts (notes, ...) give calls as usual but their numbers go to `noted`.
   *  Returns whether the text changed anything besides `texts` (a supplementary text that says nothing
   *  is not listed as a source). */
  applyText(t: TextFacts, aspect: Aspect, method: Method, supplementary = false): boolean {
    const before = this.extent();
    if (t.labCall !== undefined && aspect !== 'intensity') this.labCalls.push(t.labCall);
    if (t.presence && aspect !== 'intensity') this.presence = true;
    if (t.notEvaluable) this.notEvaluable = true;
    this.notedMode = supplementary;
    try {
      this.applyTextFacts(t, aspect, method);
    } finally {
      this.notedMode = false;
    }
    return this.extent() !== before;
  }

  /** A count that grows with every change applyText can make, so comparing it before and after tells
   *  whether anything changed without serialising the facts: within applyText lists only grow, flags only
   *  turn on, fact keys are only added, and the one value replaced in place is ihcScore '0' →
   *  '0-with-staining' (setHer2), counted by its own term. Not meaningful across settle(), which empties
   *  `noted`. */
  private extent(): number {
    const { her2, receptor, conflicts } = this.noted;
    return (
      this.labCalls.length +
      this.conflicts.length +
      this.problems.length +
      conflicts.length +
      (this.presence ? 1 : 0) +
      (this.notEvaluable ? 1 : 0) +
      keyCount(this.her2) +
      keyCount(this.receptor) +
      keyCount(her2) +
      keyCount(receptor) +
      (this.her2.ihcScore === '0-with-staining' ? 1 : 0) +
      (her2.ihcScore === '0-with-staining' ? 1 : 0)
    );
  }

  private applyTextFacts(t: TextFacts, aspect: Aspect, method: Method): void {
    const factOf = Object.entries(t.ambiguousFacts ?? {});
    const keys = this.marker === 'her2' ? HER2_KEY : RECEPTOR_KEY;
    for (const a of t.ambiguous) {
      const key = factOf.find(([, message]) => message === a)?.[0] as TextFactKey | undefined;
      this.conflict(key === undefined ? undefined : keys[key], a);
    }
    if (this.marker === 'her2') {
      this.setHer2('ihcScore', t.ihcScore);
      this.setHer2('stainingPattern', t.stainingPattern);
      if (t.percent !== undefined) {
        if ('low' in t.percent) this.problems.push('a range of stained cells cannot be used for HER2');
        else this.setHer2('stainingPercent', t.percent);
      }
      this.setHer2('ishRatio', t.ishRatio);
      this.setHer2('her2CopiesPerCell', t.her2Copies);
      this.setHer2('cep17CopiesPerCell', t.cep17Copies);
      if (t.heterogeneous) this.setHer2('heterogeneous', true);
      if (t.singleProbe) this.setHer2('ishProbe', 'single');
      if (t.bareNumber !== undefined) this.applyBareHer2(t.bareNumber, aspect, method);
    } else if (this.marker !== 'er+pr') {
      this.setReceptor('percent', t.percent);
      this.setReceptor('allred', t.allred);
      this.setReceptor('hScore', t.hScore);
      this.setReceptor('intensity', t.intensity);
      if (t.noInternalControls) this.setReceptor('noInternalControls', true);
      if (t.bareNumber !== undefined) this.applyBareReceptor(t.bareNumber, aspect);
    }
  }

  /** A number with no words: its meaning comes from the code. Synthea's FISH valueString "less than 1.8"
   *  / "greater than 2.2" (its source carries unit "ratio") reads as the HER2/CEP17 ratio. */
  applyBareHer2(n: Num, aspect: Aspect, method: Method): void {
    if (aspect === 'ishRatio' || (aspect === 'status' && method === 'ish')) this.setHer2('ishRatio', n);
    else if (aspect === 'her2Copies') this.setHer2('her2CopiesPerCell', n);
    else if (aspect === 'cep17Copies') this.setHer2('cep17CopiesPerCell', n);
    else if (aspect === 'status' && n.comparator === undefined && [0, 1, 2, 3].includes(n.value)) {
      this.setHer2('ihcScore', n.value === 0 ? '0' : (`${n.value}+` as '1+' | '2+' | '3+'));
    } else this.problems.push('a number whose meaning the code does not say');
  }

  applyBareReceptor(n: Num, aspect: Aspect): void {
    if (aspect === 'percent' && n.value >= 0 && n.value <= 100) this.setReceptor('percent', n);
    else if (aspect === 'allred' && n.comparator === undefined && Number.isInteger(n.value) && n.value <= 8) this.setReceptor('allred', { total: n.value });
    else if (aspect === 'hScore' && n.comparator === undefined && n.value <= 300) this.setReceptor('hScore', n.value);
    else this.problems.push('a number that could be a percentage, an Allred score or an H-score');
  }

  /** ISH probe type follows from what was reported: a ratio or CEP17 count means dual probe. */
  finishHer2(): void {
    if (this.marker !== 'her2') return;
    if (this.her2.ishProbe === undefined && (this.her2.ishRatio || this.her2.cep17CopiesPerCell)) this.her2.ishProbe = 'dual';
  }
}

/** Object.keys(o).length without building the array (called twice for every text read). */
function keyCount(o: object): number {
  let n = 0;
  for (const k in o) if (Object.prototype.hasOwnProperty.call(o, k)) n++;
  return n;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
