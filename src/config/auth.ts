import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { TrustedIssuer } from '../auth/types.js';

/** Asymmetric JWS algorithms we may accept. `none` and HS* are never in this list: the spec forbids them. */
export const SUPPORTED_ALGORITHMS = ['ES384', 'RS384', 'ES256', 'RS256'] as const;
export type JwsAlgorithm = (typeof SUPPORTED_ALGORITHMS)[number];

export interface AuthConfig {
  /** `disabled` only for local experiments (refused when NODE_ENV=production). */
  mode: 'enabled' | 'disabled';
  issuers: TrustedIssuer[];
  algorithms: JwsAlgorithm[];
  /** Largest accepted `exp - iat` (the Sandbox sends exactly 300). */
  maxTokenLifetimeSeconds: number;
  clockSkewSeconds: number;
  /** Allowed browser origins; `*` = any origin (never with credentials, which we never allow). Empty = none. */
  corsOrigins: string[];
  /** Time budget for fetching one JWK Set. */
  jwksTimeoutMs: number;
  /** The externally visible base URL: every `aud` is computed from it, never from the Host header. */
  publicBaseUrl: string;
}

/** Documented defaults (docs/trust-config.md). */
export const AUTH_DEFAULTS = {
  algorithms: ['ES384', 'RS384'] as JwsAlgorithm[],
  maxTokenLifetimeSeconds: 300,
  clockSkewSeconds: 5,
  jwksTimeoutMs: 2000,
} as const;

/** Loopback names and literals: plain http is accepted for a jku only there (local tests, a local EHR). */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

// Members that only a private key has: a pinned key set holding one is a configuration mistake that leaks a key.
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

const httpUrl = z.string().refine((s) => {
  try {
    const u = new URL(s);
    return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password && !u.search && !u.hash;
  } catch {
    return false;
  }
}, 'must be an absolute http(s) URL without credentials, query or fragment');

const jkuUrl = httpUrl.refine((s) => {
  const u = new URL(s);
  return u.protocol === 'https:' || LOOPBACK_HOSTS.has(u.hostname);
}, 'must use https (plain http only on localhost)');

const publicJwk = z
  .object({ kty: z.enum(['EC', 'RSA']), kid: z.string().min(1) })
  .passthrough()
  .superRefine((jwk, ctx) => {
    const priv = PRIVATE_JWK_MEMBERS.filter((m) => m in jwk);
    if (priv.length > 0) {
      ctx.addIssue({ code: 'custom', message: `key "${jwk.kid}" holds private members (${priv.join(', ')}): pin public keys only` });
      return;
    }
    try {
      createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    } catch {
      ctx.addIssue({ code: 'custom', message: `key "${jwk.kid}" is not a valid public ${jwk.kty} key` });
    }
  });

const issuerSchema = z
  .object({
    iss: z.string().min(1),
    jku: z.array(jkuUrl).default([]),
    jwks: z.object({ keys: z.array(publicJwk).min(1) }).optional(),
    fhirServers: z.array(httpUrl).default([]),
    tenant: z.string().min(1).optional(),
    services: z.array(z.string().min(1)).optional(),
  })
  .strict()
  .refine((i) => i.jku.length > 0 || i.jwks !== undefined, {
    message: 'needs "jku" (allowed JWK Set URLs) or "jwks" (a pinned JWK Set): otherwise no key can verify its tokens',
  });

const trustFileSchema = z.array(issuerSchema).superRefine((issuers, ctx) => {
  const seen = new Set<string>();
  issuers.forEach((i, index) => {
    if (seen.has(i.iss)) ctx.addIssue({ code: 'custom', path: [index, 'iss'], message: `duplicate issuer "${i.iss}"` });
    seen.add(i.iss);
  });
});

/** Reads the auth settings from the environment. Throws an Error naming the variable and the fault. */
export function parseAuthConfig(env: NodeJS.ProcessEnv): AuthConfig {
  const mode = parseMode(env);
  return {
    mode,
    issuers: parseTrustedIssuers(env.CDS_TRUSTED_ISSUERS),
    algorithms: parseAlgorithms(env.CDS_ALGORITHMS),
    maxTokenLifetimeSeconds: parseInteger(env, 'CDS_MAX_TOKEN_LIFETIME_SECONDS', AUTH_DEFAULTS.maxTokenLifetimeSeconds, 30, 86_400),
    clockSkewSeconds: parseInteger(env, 'CDS_CLOCK_SKEW_SECONDS', AUTH_DEFAULTS.clockSkewSeconds, 0, 60),
    corsOrigins: parseCorsOrigins(env.CORS_ORIGINS),
    jwksTimeoutMs: parseInteger(env, 'CDS_JWKS_TIMEOUT_MS', AUTH_DEFAULTS.jwksTimeoutMs, 100, 10_000),
    publicBaseUrl: parsePublicBaseUrl(env),
  };
}

function parseMode(env: NodeJS.ProcessEnv): AuthConfig['mode'] {
  const value = (env.CDS_AUTH ?? 'enabled').trim().toLowerCase();
  if (value !== 'enabled' && value !== 'disabled') {
    throw new Error(`CDS_AUTH: must be "enabled" or "disabled", got "${value}"`);
  }
  if (value === 'disabled' && env.NODE_ENV === 'production') {
    throw new Error('CDS_AUTH: "disabled" is refused when NODE_ENV=production (it turns every JWT check off)');
  }
  return value;
}

/** CDS_TRUSTED_ISSUERS: inline JSON array, or `@path/to/file.json` (relative to the working directory). */
export function parseTrustedIssuers(raw: string | undefined): TrustedIssuer[] {
  const source = raw?.trim() ?? '';
  if (source === '') return [];
  let text = source;
  let where = 'CDS_TRUSTED_ISSUERS';
  if (source.startsWith('@')) {
    const file = path.resolve(source.slice(1));
    where = `CDS_TRUSTED_ISSUERS (${file})`;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new Error(`${where}: cannot read the trust file (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${where}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = trustFileSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${where}: ${z.prettifyError(parsed.error)}`);
  return parsed.data.map((i) => ({
    iss: i.iss,
    jku: i.jku,
    fhirServers: i.fhirServers.map(stripTrailingSlash),
    ...(i.jwks ? { jwks: i.jwks as TrustedIssuer['jwks'] } : {}),
    ...(i.tenant ? { tenant: i.tenant } : {}),
    ...(i.services ? { services: i.services } : {}),
  }));
}

function parseAlgorithms(raw: string | undefined): JwsAlgorithm[] {
  if (raw === undefined || raw.trim() === '') return [...AUTH_DEFAULTS.algorithms];
  const names = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const name of names) {
    if (!(SUPPORTED_ALGORITHMS as readonly string[]).includes(name)) {
      const why = /^(none|HS\d+)$/i.test(name) ? 'forbidden by CDS Hooks (unsigned or symmetric)' : 'not supported';
      throw new Error(`CDS_ALGORITHMS: "${name}" is ${why}; allowed: ${SUPPORTED_ALGORITHMS.join(', ')}`);
    }
  }
  if (names.length === 0) throw new Error('CDS_ALGORITHMS: empty list');
  return [...new Set(names)] as JwsAlgorithm[];
}

function parseInteger(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name}: must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function parseCorsOrigins(raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === '') return [];
  const origins = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const origin of origins) {
    if (origin === '*') continue;
    let ok = false;
    try {
      const u = new URL(origin);
      ok = (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === origin;
    } catch {
      ok = false;
    }
    if (!ok) throw new Error(`CORS_ORIGINS: "${origin}" is not an origin (scheme://host[:port], no path or trailing slash)`);
  }
  return origins;
}

function parsePublicBaseUrl(env: NodeJS.ProcessEnv): string {
  const raw = env.PUBLIC_BASE_URL?.trim();
  if (!raw) return `http://localhost:${env.PORT?.trim() || '3000'}`;
  const result = httpUrl.safeParse(raw);
  if (!result.success) throw new Error(`PUBLIC_BASE_URL: "${raw}" must be an absolute http(s) URL without query or fragment`);
  return stripTrailingSlash(new URL(raw).href);
}

function stripTrailingSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}
