import type { Resource } from 'fhir/r4.js';
import type { DataProblem } from '../cards/types.js';
import { fhirGet, isUnderBase, urlUnderBase, type FhirGetOptions } from './fhir-http.js';
import { REQUIRED_ROLES, isReadTemplate, roleOfTemplate, type DataRole } from './roles.js';
import { fillTemplate } from './template.js';
import { belongsToOtherPatient, isResource, unwrap } from './unwrap.js';

export type { DataRole } from './roles.js';

export interface ResolveInput {
  service: { id: string; hook: string; prefetch?: Record<string, string> };
  context: Record<string, unknown>;
  /** Untrusted: anything may be in there. */
  prefetch?: Record<string, unknown>;
  fhirServer?: string;
  /** Bearer for fhirServer; absent → no Authorization header (the Sandbox sends none). */
  accessToken?: string;
  /** One budget for the whole call, every request included. */
  budgetMs: number;
  /** Bound on `next` links followed per key. */
  maxPages: number;
  /** Cap on one response body; default 10 MB. */
  maxResponseBytes?: number;
}

export interface ResolveCounts {
  /** Keys the service's templates ask for. */
  keys: number;
  /** Keys satisfied from the prefetch as sent. */
  prefetched: number;
  /** Keys sent as null ("no data"). */
  nullKeys: number;
  /** Keys (re)fetched from the FHIR server. */
  fetched: number;
  /** Prefetch keys the service did not ask for (ignored). */
  ignoredKeys: number;
  /** Bundle entries or values that were not FHIR resources. */
  junkDropped: number;
  /** Resources of a patient other than context.patientId. */
  otherPatientDropped: number;
}

export interface ResolvedData {
  byRole: Record<DataRole, Resource[]>;
  /** Everything, flattened and de-duplicated (Bundles unwrapped). */
  resources: Resource[];
  /** What could not be read (the cards say so instead of concluding from partial data). */
  problems: DataProblem[];
  /** How many HTTP requests we made. */
  fhirCalls: number;
  /** Required data neither prefetched nor fetchable → the route answers 412. */
  unavailable?: { reason: string; keys: string[] };
  counts: ResolveCounts;
}

const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

/**
 * Completes the prefetch for one hook call (CDS Hooks 2.0 "Prefetch Template"; ../shared/cds-hooks/NOTES.md §3):
 *   - a key with a usable value is taken as sent (validated, Bundles unwrapped);
 *   - a null key means "no data" and is never fetched;
 *   - an absent key, an OperationOutcome (alone, or as an error entry in a Bundle) or a value that is not a FHIR
 *     resource is the client's failed fetch: fetched from fhirServer (Bearer token when given);
 *   - a prefetched Bundle with a `next` link is completed from fhirServer, or reported as partial;
 *   - all fetches run in parallel under one AbortController armed for budgetMs; on return nothing is pending.
 * When a required key (biomarkers) cannot be had because there is no fhirServer or its template cannot be
 * filled, `unavailable` is set and nothing is fetched (→ 412). When the server exists but fails, there is no
 * 412: the key gets a DataProblem and *none* of its resources (never half a list).
 */
export async function resolvePrefetch(input: ResolveInput): Promise<ResolvedData> {
  const context = isPlainObject(input.context) ? input.context : {};
  const out = new Collector(context);
  const templates = input.service.prefetch ?? {};
  const prefetch = isPlainObject(input.prefetch) ? input.prefetch : {};
  const base = parseBase(input.fhirServer);
  out.counts.ignoredKeys = Object.keys(prefetch).filter((key) => !Object.hasOwn(templates, key)).length;

  const jobs: KeyJob[] = [];
  const unavailableKeys: string[] = [];
  let unavailableReason = '';

  for (const [key, template] of Object.entries(templates)) {
    out.counts.keys++;
    const role = roleOfTemplate(template);
    const given = Object.hasOwn(prefetch, key) ? prefetch[key] : undefined;
    const sent = Object.hasOwn(prefetch, key);

    if (sent && given === null) {
      out.counts.nullKeys++;
      continue;
    }
    let why: 'absent' | 'client-error' = sent ? 'client-error' : 'absent';
    if (isResource(given)) {
      const value = unwrap(given);
      out.counts.junkDropped += value.junk;
      if (!value.isOutcome && value.outcomeErrors === 0) {
        out.counts.prefetched++;
        if (value.next === undefined) {
          out.add(role, value.resources);
          continue;
        }
        const next = base ? safeUrl(value.next, base) : undefined;
        if (base && next && isUnderBase(next, base)) {
          jobs.push({ key, role, isRead: false, url: next, firstPage: value.resources });
        } else {
          out.problem(key, role, 'partial', base
            ? 'only the first page was sent and the next page is outside the FHIR server'
            : 'only the first page was sent and there is no FHIR server to read the rest from');
        }
        continue;
      }
      why = 'client-error';
    } else if (sent) {
      out.counts.junkDropped++;
    }

    const relative = fillTemplate(template, context);
    const url = base && relative !== undefined ? urlUnderBase(base, relative) : undefined;
    if (url) {
      jobs.push({ key, role, isRead: isReadTemplate(template), url });
      continue;
    }
    const reason = !base
      ? `${why === 'absent' ? 'not prefetched' : 'the EHR could not read it'} and no FHIR server was given`
      : 'its query needs a context value the request does not have';
    if (REQUIRED_ROLES.has(role)) {
      unavailableKeys.push(key);
      unavailableReason ||= `required data ${reason}`;
    } else {
      out.problem(key, role, why === 'absent' ? 'fetch-failed' : 'client-error', reason);
    }
  }

  if (unavailableKeys.length > 0) return out.result({ reason: unavailableReason, keys: unavailableKeys });
  if (jobs.length === 0 || !base) return out.result();

  // One budget for the whole call. Aborting after the work also cancels anything a failed path left open.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), Math.max(0, input.budgetMs));
  const http: FhirGetOptions = {
    base,
    signal: controller.signal,
    maxBytes: input.maxResponseBytes ?? DEFAULT_MAX_BYTES,
    onRequest: () => out.fhirCalls++,
    ...(input.accessToken ? { accessToken: input.accessToken } : {}),
  };
  try {
    out.counts.fetched = jobs.filter((job) => job.firstPage === undefined).length;
    const results = await Promise.all(jobs.map((job) => runJob(job, http, input.maxPages, out).catch(() => {
      // A bug of ours must not turn into a 500 for the whole hook: the key is reported as unread.
      out.problem(job.key, job.role, 'fetch-failed', 'the answer could not be processed');
      return undefined;
    })));
    // Added in template order, not in order of arrival, so the same data always gives the same lists.
    jobs.forEach((job, i) => {
      const resources = results[i];
      if (resources) out.add(job.role, resources);
    });
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return out.result();
}

/** Counts only (no ids, no content): what the protocol layer may log about data access. */
export function resolveCounts(data: ResolvedData): ResolveCounts & { fhirCalls: number; problems: number; resources: number } {
  return { ...data.counts, fhirCalls: data.fhirCalls, problems: data.problems.length, resources: data.resources.length };
}

interface KeyJob {
  key: string;
  role: DataRole;
  isRead: boolean;
  /** First URL to GET: the filled template, or the `next` link of a prefetched first page. */
  url: URL;
  /** Resources already in hand when the job completes a prefetched first page. */
  firstPage?: Resource[];
}

/** Reads one key page by page: its resources when every page was read, undefined (and a problem) otherwise. */
async function runJob(job: KeyJob, http: FhirGetOptions, maxPages: number, out: Collector): Promise<Resource[] | undefined> {
  const collected = [...(job.firstPage ?? [])];
  let pagesRead = job.firstPage ? 1 : 0;
  let followed = pagesRead; // a prefetched page's `next` link is a link followed
  let url = job.url;
  for (;;) {
    const answer = await fhirGet(url, http);
    if (!answer.ok) {
      if (answer.kind === 'not-found' && job.isRead) return []; // a read that found nothing: no data
      const kind = pagesRead > 0 ? 'partial' : answer.kind === 'not-found' ? 'fetch-failed' : answer.kind;
      out.problem(job.key, job.role, kind, pagesRead > 0 ? `page ${pagesRead + 1}: ${answer.detail}` : answer.detail);
      return undefined;
    }
    if (!isResource(answer.body)) {
      out.problem(job.key, job.role, pagesRead > 0 ? 'partial' : 'invalid-response', 'answer was not a FHIR resource');
      return undefined;
    }
    const page = unwrap(answer.body);
    out.counts.junkDropped += page.junk;
    if (page.isOutcome || page.outcomeErrors > 0) {
      out.problem(job.key, job.role, pagesRead > 0 || page.outcomeErrors > 0 ? 'partial' : 'fetch-failed',
        'FHIR server reported an error (OperationOutcome)');
      return undefined;
    }
    collected.push(...page.resources);
    pagesRead++;
    if (page.next === undefined) break;
    if (followed >= maxPages) {
      out.problem(job.key, job.role, 'partial', `more than ${maxPages + 1} pages; the rest was not read`);
      return undefined;
    }
    const next = safeUrl(page.next, http.base);
    if (!next || !isUnderBase(next, http.base)) {
      out.problem(job.key, job.role, 'partial', 'the next page is outside the FHIR server; not followed');
      return undefined;
    }
    followed++;
    url = next;
  }
  return collected;
}

/** Accumulates resources per role (patient filter, de-duplication), problems and counts. */
class Collector {
  readonly counts: ResolveCounts = {
    keys: 0, prefetched: 0, nullKeys: 0, fetched: 0, ignoredKeys: 0, junkDropped: 0, otherPatientDropped: 0,
  };
  fhirCalls = 0;
  private readonly byRole: Record<DataRole, Resource[]> = {
    patient: [], biomarkers: [], conditions: [], medications: [], lvef: [], other: [],
  };
  private readonly problems: DataProblem[] = [];
  private readonly all: Resource[] = [];
  private readonly seen = new Set<string>();
  private readonly seenInRole = new Set<string>();
  private readonly patientId: string | undefined;

  constructor(context: Record<string, unknown>) {
    this.patientId = typeof context.patientId === 'string' && context.patientId !== '' ? context.patientId : undefined;
  }

  add(role: DataRole, resources: Resource[]): void {
    for (const resource of resources) {
      if (this.patientId !== undefined && belongsToOtherPatient(resource, this.patientId)) {
        this.counts.otherPatientDropped++;
        continue;
      }
      const id = typeof resource.id === 'string' ? `${resource.resourceType}/${resource.id}` : undefined;
      if (id === undefined || !this.seenInRole.has(`${role} ${id}`)) this.byRole[role].push(resource);
      if (id === undefined || !this.seen.has(id)) this.all.push(resource);
      if (id !== undefined) {
        this.seenInRole.add(`${role} ${id}`);
        this.seen.add(id);
      }
    }
  }

  problem(key: string, role: DataRole, kind: DataProblem['kind'], detail: string): void {
    this.problems.push({ key, role, kind, detail });
  }

  result(unavailable?: { reason: string; keys: string[] }): ResolvedData {
    return {
      byRole: this.byRole,
      resources: this.all,
      problems: this.problems,
      fhirCalls: this.fhirCalls,
      counts: this.counts,
      ...(unavailable ? { unavailable } : {}),
    };
  }
}

function parseBase(fhirServer: string | undefined): URL | undefined {
  const url = fhirServer ? safeUrl(fhirServer) : undefined;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) return undefined;
  url.search = '';
  url.hash = '';
  return url;
}

/** Parses a URL; a relative `next` link is resolved against the fhirServer base. */
function safeUrl(value: string, base?: URL): URL | undefined {
  try {
    return new URL(value, base && base.href.replace(/\/*$/, '/'));
  } catch {
    return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
