import http from 'node:http';
import { hookResponseSchema } from '../../src/protocol/response-schema.js';
import type { FuzzRequest } from './arbitraries.js';

/** Sends fuzz requests over real HTTP (a fresh connection each, so a dropped connection shows) and judges them. */

export interface FuzzAnswer {
  status: number;
  contentType: string;
  body: string;
  ms: number;
}

export interface Verdict {
  ok: boolean;
  why?: string;
}

/** Audience of a path, for the fresh token (aud = PUBLIC_BASE_URL + path without query). */
export type TokenFor = (path: string) => string;

export function send(base: string, r: FuzzRequest, tokenFor: TokenFor, timeoutMs = 10_000): Promise<FuzzAnswer> {
  const headers: Record<string, string> = { ...r.headers };
  if (r.withToken) headers.authorization = `Bearer ${tokenFor(r.path.split('?')[0] ?? r.path)}`;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${r.path}`, { method: r.method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString(), ms: performance.now() - started }),
      );
      res.on('error', reject);
    });
    req.on('error', (err) => reject(new Error(`connection failed or dropped: ${(err as NodeJS.ErrnoException).code ?? err.message}`)));
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer in ${timeoutMs} ms (hang)`)));
    req.end(r.body);
  });
}

/** A 200 with a valid cards array (hook calls), another 2xx/3xx elsewhere, or a 4xx with a JSON body. Never 5xx. */
export function judge(r: FuzzRequest, a: FuzzAnswer): Verdict {
  if (a.status >= 500) return { ok: false, why: `status ${a.status}: ${a.body.slice(0, 200)}` };
  const isHookCall = r.method === 'POST' && /^\/cds-services\/[^/?]+$/.test(r.path);
  if (a.status === 200 && isHookCall) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(a.body);
    } catch {
      return { ok: false, why: '200 to a hook call without a JSON body' };
    }
    if (!hookResponseSchema.safeParse(parsed).success) return { ok: false, why: '200 to a hook call whose body is not a valid cards response' };
    return { ok: true };
  }
  if (a.status >= 400 && r.method !== 'HEAD') {
    if (!/json/.test(a.contentType)) return { ok: false, why: `status ${a.status} without a JSON content type (${a.contentType || 'none'})` };
    try {
      JSON.parse(a.body);
    } catch {
      return { ok: false, why: `status ${a.status} whose body is not JSON` };
    }
  }
  return { ok: true };
}

/** Status histogram and failures of a run. */
export class FuzzTally {
  readonly statuses = new Map<number, number>();
  readonly kinds = new Map<string, number>();
  readonly failures: Array<{ request: FuzzRequest; why: string }> = [];
  tried = 0;
  slowestMs = 0;

  record(r: FuzzRequest, a: FuzzAnswer | Error): Verdict {
    this.tried++;
    this.kinds.set(r.kind, (this.kinds.get(r.kind) ?? 0) + 1);
    const verdict = a instanceof Error ? { ok: false, why: a.message } : judge(r, a);
    if (!(a instanceof Error)) {
      this.statuses.set(a.status, (this.statuses.get(a.status) ?? 0) + 1);
      this.slowestMs = Math.max(this.slowestMs, a.ms);
    } else {
      this.statuses.set(0, (this.statuses.get(0) ?? 0) + 1);
    }
    if (!verdict.ok) this.failures.push({ request: r, why: verdict.why ?? '' });
    return verdict;
  }

  summary(): string {
    const hist = [...this.statuses].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s === 0 ? 'no answer' : s}: ${n}`).join(', ');
    const kinds = [...this.kinds].map(([k, n]) => `${k} ${n}`).join(', ');
    return `fuzz: ${this.tried} requests tried (${kinds}); statuses {${hist}}; failures ${this.failures.length}; slowest ${this.slowestMs.toFixed(0)} ms`;
  }
}

/** Cards of a response with the per-call uuids removed, for "same answer before and after". */
export function stableCards(body: string): string {
  return body.replace(/"uuid":"[^"]*"/g, '"uuid":"-"').replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '-');
}
