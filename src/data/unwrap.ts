import type { Resource } from 'fhir/r4.js';

/**
 * Edge validation of what arrives for one prefetch key (from the client or from the FHIR server). Nothing in a
 * prefetch can be trusted to have any shape: anything that is not an object with a string `resourceType` is
 * junk, dropped and counted. Bundles (any type: searchset, collection, …) are unwrapped to their entries'
 * resources. OperationOutcomes are never data: at the top level they mean "the fetch failed"; inside a Bundle
 * an error/fatal one means the search did not complete (so the list cannot be trusted), while
 * warning/information ones (e.g. "unknown parameter ignored") are dropped.
 */
export interface Unwrapped {
  resources: Resource[];
  /** Bundle entries without a usable resource (including nested Bundles, which no query we send returns). */
  junk: number;
  /** The value itself is an OperationOutcome: the client's (or server's) failed fetch. */
  isOutcome: boolean;
  /** OperationOutcome entries inside a Bundle that report an error or fatal issue. */
  outcomeErrors: number;
  /** The Bundle's `next` link, when it has one (a further page exists). */
  next?: string;
}

export function isResource(value: unknown): value is Resource {
  return typeof value === 'object' && value !== null && !Array.isArray(value) &&
    typeof (value as { resourceType?: unknown }).resourceType === 'string';
}

export function unwrap(value: Resource): Unwrapped {
  if (value.resourceType === 'OperationOutcome') return { resources: [], junk: 0, isOutcome: true, outcomeErrors: 0 };
  if (value.resourceType !== 'Bundle') return { resources: [value], junk: 0, isOutcome: false, outcomeErrors: 0 };

  const bundle = value as { entry?: unknown; link?: unknown };
  const entries = Array.isArray(bundle.entry) ? (bundle.entry as unknown[]) : [];
  const result: Unwrapped = { resources: [], junk: bundle.entry !== undefined && !Array.isArray(bundle.entry) ? 1 : 0, isOutcome: false, outcomeErrors: 0 };
  for (const entry of entries) {
    const resource = typeof entry === 'object' && entry !== null ? (entry as { resource?: unknown }).resource : undefined;
    if (!isResource(resource) || resource.resourceType === 'Bundle') {
      result.junk++;
    } else if (resource.resourceType === 'OperationOutcome') {
      if (reportsError(resource)) result.outcomeErrors++;
    } else {
      result.resources.push(resource);
    }
  }
  const next = nextLink(bundle.link);
  if (next !== undefined) result.next = next;
  return result;
}

/** An OperationOutcome without readable issues counts as an error: we cannot tell that it is harmless. */
function reportsError(outcome: Resource): boolean {
  const issues = (outcome as { issue?: unknown }).issue;
  if (!Array.isArray(issues) || issues.length === 0) return true;
  return issues.some((issue: unknown) => {
    const severity = typeof issue === 'object' && issue !== null ? (issue as { severity?: unknown }).severity : undefined;
    return severity !== 'warning' && severity !== 'information';
  });
}

function nextLink(links: unknown): string | undefined {
  if (!Array.isArray(links)) return undefined;
  for (const link of links as unknown[]) {
    if (typeof link !== 'object' || link === null) continue;
    const { relation, url } = link as { relation?: unknown; url?: unknown };
    if (relation === 'next' && typeof url === 'string' && url !== '') return url;
  }
  return undefined;
}

/**
 * True when a resource clearly belongs to a patient other than `patientId`: a Patient with another id, or a
 * `subject`/`patient` reference to Patient/<another id> (relative, absolute or versioned). References to
 * anything else (Group, urn:uuid, identifier-only) are kept: not clearly someone else's.
 */
export function belongsToOtherPatient(resource: Resource, patientId: string): boolean {
  if (resource.resourceType === 'Patient') return resource.id !== undefined && resource.id !== patientId;
  const holder = resource as { subject?: unknown; patient?: unknown };
  for (const ref of [holder.subject, holder.patient]) {
    const id = patientIdOf(ref);
    if (id !== undefined && id !== patientId) return true;
  }
  return false;
}

function patientIdOf(ref: unknown): string | undefined {
  if (typeof ref !== 'object' || ref === null) return undefined;
  const reference = (ref as { reference?: unknown }).reference;
  if (typeof reference !== 'string') return undefined;
  const match = /(?:^|\/)Patient\/([^/?#]+)(?:\/_history\/[^/?#]+)?$/.exec(reference);
  return match?.[1];
}
