/**
 * Accumulates what the sources of one Observation say about one marker (coded value, quantity, text,
 * interpretation, components, notes). Two sources giving different values for the same fact are a
 * contradiction: recorded, and the result becomes unreadable — never resolved by picking one.
 */
import type { Her2Facts, LabCall, Marker, ReceptorFacts } from '../types.js';
import { reduceCalls, type TextFacts } from './text.js';
import type { Aspect, Method } from './codes.js';

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

  constructor(marker: Marker | 'er+pr') {
    this.marker = marker;
  }

  setHer2<K extends keyof Her2Facts>(key: K, value: Her2Facts[K] | undefined): void {
    if (value === undefined) return;
    const old = this.her2[key];
    if (old === undefined || same(old, value)) {
      this.her2[key] = value;
      return;
    }
    // '0' and '0-with-staining' agree; the specific one is kept.
    const pair: unknown[] = [old, value];
    if (key === 'ihcScore' && pair.includes('0') && pair.includes('0-with-staining')) {
      this.her2.ihcScore = '0-with-staining';
      return;
    }
    this.conflicts.push(`different ${key} values`);
  }

  setReceptor<K extends keyof ReceptorFacts>(key: K, value: ReceptorFacts[K] | undefined): void {
    if (value === undefined) return;
    const old = this.receptor[key];
    if (old === undefined || same(old, value)) this.receptor[key] = value;
    else this.conflicts.push(`different ${key} values`);
  }

  /** The lab's call from all sources, or 'conflict'. */
  labCall(): LabCall | 'conflict' | undefined {
    return reduceCalls(this.labCalls);
  }

  hasFacts(): boolean {
    return Object.keys(this.her2).length > 0 || Object.keys(this.receptor).length > 0;
  }

  /** Applies text facts read for this marker; `aspect`/`method` say what a bare number means. */
  applyText(t: TextFacts, aspect: Aspect, method: Method): void {
    if (t.labCall !== undefined && aspect !== 'intensity') this.labCalls.push(t.labCall);
    if (t.presence && aspect !== 'intensity') this.presence = true;
    if (t.notEvaluable) this.notEvaluable = true;
    for (const a of t.ambiguous) this.conflicts.push(a);
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
  applyBareHer2(n: { value: number; comparator?: '<' | '<=' | '>' | '>=' }, aspect: Aspect, method: Method): void {
    if (aspect === 'ishRatio' || (aspect === 'status' && method === 'ish')) this.setHer2('ishRatio', n);
    else if (aspect === 'her2Copies') this.setHer2('her2CopiesPerCell', n);
    else if (aspect === 'cep17Copies') this.setHer2('cep17CopiesPerCell', n);
    else if (aspect === 'status' && n.comparator === undefined && [0, 1, 2, 3].includes(n.value)) {
      this.setHer2('ihcScore', n.value === 0 ? '0' : (`${n.value}+` as '1+' | '2+' | '3+'));
    } else this.problems.push('a number whose meaning the code does not say');
  }

  applyBareReceptor(n: { value: number; comparator?: '<' | '<=' | '>' | '>=' }, aspect: Aspect): void {
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

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
