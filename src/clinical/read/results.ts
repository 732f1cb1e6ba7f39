/**
 * Partial readings → BiomarkerResult / CombinedReceptorResult. HER2 ISH parts of one panel or specimen
 * (ratio, HER2 copies, CEP17 copies as separate Observations or components) become ONE result, so the
 * classifier sees the numbers of one test together (ref and specimen of the panel when there is one).
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
  const facts = new Facts('her2');
  for (const { partial } of group) {
    const f = partial.facts;
    facts.labCalls.push(...f.labCalls);
    facts.presence ||= f.presence;
    facts.notEvaluable ||= f.notEvaluable;
    facts.conflicts.push(...f.conflicts);
    facts.problems.push(...f.problems);
    facts.texts.push(...f.texts);
    for (const [k, v] of Object.entries(f.her2)) facts.setHer2(k as keyof typeof f.her2, v as never);
  }
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
  const sourceText = f.texts.length > 0 ? [...new Set(f.texts)].join(' | ').slice(0, MAX_SOURCE_TEXT) : undefined;

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
