import type { DataProblem } from '../cards/types.js';

/**
 * One GET against the EHR's FHIR server, with the guarantees the hook needs and that fhir-kit-client 2 cannot
 * give (it reads every body whole with response.text(), so no size cap; its `debug` logging writes response
 * bodies, i.e. patient data, to stderr when DEBUG is set, outside our allow-list logger):
 *   - the bearer token only ever goes to URLs on the fhirServer's origin and under its base path;
 *   - redirects are never followed by fetch (`redirect: 'manual'`): we follow one ourselves only when its
 *     target is under the base too, so a redirect cannot carry the token to another server;
 *   - the caller's AbortSignal (the one budget of the hook call) bounds connect, headers and body;
 *   - the body is read with a byte cap and cancelled when over it or when it is not wanted (error statuses),
 *     so no socket is left open;
 *   - failures come back as values (a problem kind and a PHI-free detail), never as exceptions, and no detail
 *     contains the URL (it holds the patient id).
 */

export type FetchOutcome =
  | { ok: true; body: unknown }
  | { ok: false; kind: DataProblem['kind'] | 'not-found'; detail: string };

export interface FhirGetOptions {
  /** The fhirServer base, already parsed. */
  base: URL;
  accessToken?: string;
  signal: AbortSignal;
  maxBytes: number;
  /** Called once per HTTP request actually sent (redirect hops included). */
  onRequest: () => void;
}

const MAX_REDIRECTS = 3;

/** True when `url` is on the base's origin and under its path (segment-wise: /fhir does not cover /fhirevil). */
export function isUnderBase(url: URL, base: URL): boolean {
  if (url.origin !== base.origin) return false;
  const basePath = base.pathname.replace(/\/+$/, '');
  return basePath === '' || url.pathname === basePath || url.pathname.startsWith(`${basePath}/`);
}

/** Absolute URL of a relative FHIR path under the base (`https://h/fhir` + `Patient/1`). */
export function urlUnderBase(base: URL, relative: string): URL | undefined {
  try {
    const url = new URL(base.href.replace(/\/*$/, '/') + relative.replace(/^\/+/, ''));
    return isUnderBase(url, base) ? url : undefined;
  } catch {
    return undefined;
  }
}

export async function fhirGet(start: URL, options: FhirGetOptions): Promise<FetchOutcome> {
  let url = start;
  for (let hop = 0; ; hop++) {
    if (!isUnderBase(url, options.base)) {
      return { ok: false, kind: 'fetch-failed', detail: 'a URL outside the FHIR server was not followed' };
    }
    let response: Response;
    try {
      options.onRequest();
      response = await fetch(url, {
        method: 'GET',
        headers: requestHeaders(options.accessToken),
        redirect: 'manual',
        signal: options.signal,
      });
    } catch {
      return failure(options.signal, 'fetch-failed', 'FHIR server could not be reached');
    }

    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get('location');
      await discard(response);
      const target = location === null ? undefined : safeUrl(location, url);
      if (target === undefined || hop >= MAX_REDIRECTS || !isUnderBase(target, options.base)) {
        return { ok: false, kind: 'fetch-failed', detail: `FHIR server redirected (${response.status}); not followed` };
      }
      url = target;
      continue;
    }
    if (!response.ok) {
      await discard(response);
      return statusFailure(response.status);
    }
    return readJson(response, options);
  }
}

function requestHeaders(accessToken: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/fhir+json, application/json;q=0.9' };
  if (accessToken) headers.authorization = `Bearer ${accessToken}`;
  return headers;
}

function statusFailure(status: number): FetchOutcome {
  if (status === 401 || status === 403) {
    return { ok: false, kind: 'unauthorized', detail: `FHIR server refused access (${status})` };
  }
  if (status === 404 || status === 410) return { ok: false, kind: 'not-found', detail: `FHIR server answered ${status}` };
  return { ok: false, kind: 'fetch-failed', detail: `FHIR server answered ${status}` };
}

async function readJson(response: Response, options: FhirGetOptions): Promise<FetchOutcome> {
  const type = (response.headers.get('content-type') ?? 'no content type').split(';')[0]?.trim();
  let text: string | undefined;
  try {
    text = await readCapped(response, options.maxBytes);
  } catch {
    return failure(options.signal, 'fetch-failed', 'the answer broke off while being read');
  }
  if (text === undefined) {
    return { ok: false, kind: 'invalid-response', detail: `answer larger than ${options.maxBytes} bytes` };
  }
  try {
    return { ok: true, body: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, kind: 'invalid-response', detail: `answer was not valid JSON (${type})` };
  }
}

/** The body as text, or undefined when it exceeds maxBytes (the rest is cancelled, not downloaded). */
async function readCapped(response: Response, maxBytes: number): Promise<string | undefined> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    await discard(response);
    return undefined;
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** Cancel an unwanted body so the connection is released now, not when the garbage collector gets to it. */
async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

function failure(signal: AbortSignal, kind: DataProblem['kind'], detail: string): FetchOutcome {
  if (signal.aborted) return { ok: false, kind: 'timeout', detail: 'FHIR server did not answer within the time budget' };
  return { ok: false, kind, detail };
}

function safeUrl(value: string, relativeTo: URL): URL | undefined {
  try {
    return new URL(value, relativeTo);
  } catch {
    return undefined;
  }
}
