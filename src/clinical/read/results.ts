/**
 * Partial readings → BiomarkerResult / CombinedReceptorResult. HER2 ISH parts of one panel or specimen
 * (ratio, HER2 copies, CEP17 copies as separate Observations or components) become ONE result, so the
 * classifier sees the numbers of one test together (ref and specimen of the panel when there is one).
 *
 * Likewise an ER or PR stain reported as a status Observation (coded answer, e.g. 85337-4) plus separate
 * measurement Observations (% 85329-1, intensity, Allred, H-score) on the same specimen and date is ONE
 * result with the ref of the status Observation: the percentage then decides within the specimen and the
 * coded call is compared with it (GUIDELINES §10.2), instead of a coded "Positive" and a 5 % standing as
 * two results (positive + discordant) where R2 gives low-positive.
 */
import type { BiomarkerResult, CombinedReceptorResult, ResultStatus } from '../types.js';
import { Facts } from './facts.js';
import type { Partial } from './observation.js';
import type { SpecimenInfo } from './specimen.js';

export interface Located {
  partial: Partial;
  specimen: SpecimenInfo;
  /** Ref of the HER2 ISH panel this Observation belongs to, when the panel is in the input. */
  panelRef?: string;
}

export interface Finished {
  result?: BiomarkerResult;
  combined?: CombinedReceptorResult;
  unreadable?: { ref: string; reason: string };
}

const MAX_SOURCE_TEXT = 500;

/** Aspects that measure one facet of an ER/PR stain (attached to that stain's status Observation). */
const RECEPTOR_PARTS = new Set(['percent', 'intensity', 'allred', 'hScore']);

/** Groups HER2 ISH parts (groupIsh) and ER/PR measurement parts with their status Observation
 *  (groupReceptorParts); every other partial stands alone. */
export function groupResults(items: Located[]): Located[][] {
  return groupReceptorParts(groupIsh(items));
}

/** One ER/PR status partial and the measurement partials of the same marker, specimen and day form a group.
 *  With no status partial, or several (two stains of one marker on one specimen and day), nothing is
 *  grouped: which measurement belongs to which stain cannot be told. */
export function groupReceptorParts(groups: Located[][]): Located[][] {
  const keyOf = (g: Located[]): string | undefined => {
    const item = g.length === 1 ? g[0] : undefined;
    const p = item?.partial;
    if (!item || !p || (p.marker !== 'er' && p.marker !== 'pr') || p.container) return undefined;
    if (item.specimen.key === undefined || p.date === undefined) return undefined;
    return `${p.marker}|${item.specimen.key}|${p.date.slice(0, 10)}`;
  };
  const byKey = new Map<string, { status: Located[]; parts: Located[] }>();
  for (const g of groups) {
    const key = keyOf(g);
    const item = g[0];
    if (key === undefined || !item) continue;
    const entry = byKey.get(key) ?? { status: [], parts: [] };
    if (item.partial.aspect === 'status') entry.status.push(item);
    else if (RECEPTOR_PARTS.has(item.partial.aspect)) entry.parts.push(item);
    byKey.set(key, entry);
  }
  const absorbed = new Set<Located>();
  const leadOf = new Map<Located, Located[]>();
  for (const { status, parts } of byKey.values()) {
    const lead = status[0];
    if (status.length !== 1 || !lead || parts.length === 0) continue;
    leadOf.set(lead, [lead, ...parts]);
    for (const p of parts) absorbed.add(p);
  }
  const out: Located[][] = [];
  for (const g of groups) {
    const item = g[0];
    if (g.length === 1 && item && absorbed.has(item)) continue;
    out.push(g.length === 1 && item ? leadOf.get(item) ?? g : g);
  }
  return out;
}

/** Groups HER2 ISH partials by panel, else by specimen + date; every other partial stands alone. */
export function groupIsh(items: Located[]): Located[][] {
  const groups = new Map<string, Located[]>();
  const out: Located[][] = [];
  for (const item of items) {
    const p = item.partial;
    if (p.marker !== 'her2' || p.method !== 'ish') {
      out.push([item]);
      continue;
    }
    const key =
      item.panelRef ?? (item.specimen.key !== undefined && p.date !== undefined ? `${item.specimen.key}|${p.date.slice(0, 10)}` : p.ref);
    const g = groups.get(key);
    if (g) g.push(item);
    else {
      const fresh = [item];
      groups.set(key, fresh);
      out.push(fresh);
    }
  }
  return out;
}

/** pending beats failed beats valid: a panel with a preliminary part is not final. */
function mergeStatus(statuses: ResultStatus[]): ResultStatus {
  if (statuses.includes('pending')) return 'pending';
  if (statuses.includes('failed')) return 'failed';
  return 'valid';
}

export function finishGroup(group: Located[]): Finished {
  const lead = group.find((g) => g.panelRef === g.partial.ref) ?? group.find((g) => g.partial.container) ?? group[0];
  if (!lead) return {};
  if (group.length === 1) return finish(lead.partial, lead.specimen);
  const facts = new Facts(lead.partial.marker);
  for (const { partial } of group) facts.absorb(partial.facts);
  const merged: Partial = {
    ...lead.partial,
    facts,
    container: false,
    status: mergeStatus(group.filter((g) => !g.partial.container).map((g) => g.partial.status)),
  };
  merged.date ??= group.find((g) => g.partial.date !== undefined)?.partial.date;
  if (merged.date === undefined) delete merged.date;
  return finish(merged, lead.specimen);
}

export function finish(p: Partial, specimen: SpecimenInfo): Finished {
  if (p.container) return {};
  const f = p.facts;
  f.settle();
  f.finishHer2();
  const call = f.labCall();
  let unreadable: string | undefined = p.unusable;
  if (!unreadable && f.conflicts.length > 0) unreadable = `contradictory values (${[...new Set(f.conflicts)].join('; ')})`;
  if (!unreadable && call === 'conflict') unreadable = `contradictory lab calls (${[...new Set(f.labCalls)].join(', ')})`;
  const labCall = call === 'conflict' ? undefined : call ?? (f.presence && p.marker !== 'her2' ? 'positive' : undefined);
  const nothing = labCall === undefined && !f.hasFacts() && !f.notEvaluable;
  if (!unreadable && nothing) {
    if (f.presence) unreadable = '"Present" does not give a HER2 category (1+ staining is also present)';
    else unreadable = f.problems[0] ?? (f.texts.length > 0 ? 'text not understood' : 'no value');
  }
  let status: ResultStatus = p.status;
  if (status === 'valid' && (f.notEvaluable || labCall === 'indeterminate')) status = 'failed';
  const finalCall = labCall ?? (status === 'failed' ? 'indeterminate' : undefined);
  const sourceText = f.texts.length > 0 ? (f.texts.length === 1 ? (f.texts[0] as string) : [...new Set(f.texts)].join(' | ')).slice(0, MAX_SOURCE_TEXT) : undefined;

  if (p.marker === 'er+pr') {
    if (unreadable) return { unreadable: { ref: p.ref, reason: unreadable } };
    const combined: CombinedReceptorResult = { ref: p.ref, status };
    if (p.date !== undefined) combined.effectiveDate = p.date;
    if (finalCall !== undefined) combined.labCall = finalCall;
    return { combined };
  }

  let method = p.method;
  if (method === 'unspecified' && p.marker === 'her2') {
    if (f.her2.ishRatio || f.her2.her2CopiesPerCell || f.her2.cep17CopiesPerCell) method = 'ish';
    else if (f.her2.ihcScore) method = 'ihc';
  }
  const result: BiomarkerResult = { ref: p.ref, marker: p.marker, method, status, specimen: specimen.kind };
  if (p.date !== undefined) result.effectiveDate = p.date;
  if (specimen.label !== undefined) result.specimenLabel = specimen.label;
  if (specimen.key !== undefined) result.specimenKey = specimen.key;
  if (finalCall !== undefined && !unreadable) result.labCall = finalCall;
  if (!unreadable) {
    if (p.marker === 'her2' && Object.keys(f.her2).length > 0) result.her2 = { ...f.her2 };
    if (p.marker !== 'her2' && Object.keys(f.receptor).length > 0) result.receptor = { ...f.receptor };
  }
  if (unreadable) result.unreadable = unreadable;
  if (sourceText !== undefined) result.sourceText = sourceText;
  return unreadable ? { result, unreadable: { ref: p.ref, reason: unreadable } } : { result };
}
