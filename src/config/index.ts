import path from 'node:path';
import type { DiscoveryDocument } from '../protocol/discovery-schema.js';
import { parseAuthConfig, type AuthConfig } from './auth.js';
import { ConfigError } from './error.js';
import { parseEmbeddedSettings, type EmbeddedSettings } from './embedded.js';
import { repoRoot } from './repo-root.js';
import { loadServicesFile } from './services.js';

export { ConfigError } from './error.js';

/** Everything the service is configured with. Only this folder reads process.env (README "Configuration"). */
export interface Config {
  /** PORT: TCP port to listen on (0 = any free port). */
  port: number;
  /** HOST: interface to bind. */
  host: string;
  /** PUBLIC_BASE_URL: the URL EHRs call us at; JWT audiences and links are built from it, never from Host. */
  publicBaseUrl: string;
  /** FHIR_TIME_BUDGET_MS: total time for all FHIR requests of one hook call. */
  fhirTimeBudgetMs: number;
  /** FHIR_MAX_PAGES: `next` links followed per prefetch key. */
  fhirMaxPages: number;
  /** LOG_LEVEL. */
  logLevel: LogLevel;
  /** BODY_LIMIT: largest accepted request body ("1mb", "500kb" or bytes). */
  bodyLimit: string;
  /** SHUTDOWN_TIMEOUT_MS: how long in-flight calls may take to finish after SIGTERM. */
  shutdownTimeoutMs: number;
  /** MAX_CONCURRENT_HOOKS: hook and feedback calls in progress at once; more get 503 + Retry-After, never a queue. */
  maxConcurrentHooks: number;
  /** RETRY_AFTER_SECONDS: the Retry-After of that 503. */
  retryAfterSeconds: number;
  /** KEEP_ALIVE_TIMEOUT_MS: idle keep-alive time; must exceed the load balancer's idle timeout (60 s on AWS ALB). */
  keepAliveTimeoutMs: number;
  /** CDS_SERVICES_FILE: the discovery document, validated. */
  servicesFile: string;
  services: DiscoveryDocument;
  /** Order checks (order-select / order-sign). */
  orders: {
    /** CDS_QUIET_WHEN_CONSISTENT: no card when a draft order agrees with the biomarkers. */
    quietWhenConsistent: boolean;
    /** LVEF_WINDOW_DAYS: an LVEF older than this does not count as a current baseline. */
    lvefWindowDays: number;
  };
  /** JWT, trusted issuers and CORS (src/config/auth.ts, README "Security and trust"). */
  auth: AuthConfig;
  /** Feedback, suppression and the database (issue 9; README "Feedback and storage"). */
  storage: StorageConfig;
  /** EMBEDDED, PREVIEW_FHIR_SERVERS: the embedded FHIR server, demo issuer and preview page (development default). */
  embedded: EmbeddedSettings;
}

export interface StorageConfig {
  /** DATABASE_URL: postgres://… → a real PostgreSQL server (pooled; shared by every instance). Absent → embedded. */
  databaseUrl?: string;
  /** DATA_DIR: the embedded PostgreSQL (PGlite) data directory, or "memory://" for a throw-away database. */
  dataDir: string;
  /** PATIENT_HASH_KEY: the secret of the patient pseudonym (HMAC). Required when NODE_ENV=production; otherwise,
   *  when absent, one is generated and kept in DATA_DIR/patient-hash.key (mode 0600), or per process for memory://. */
  patientHashKey?: string;
  /** SUPPRESSION_DAYS: how long a card overridden as "done / not applicable" stays hidden for that patient. */
  suppressionDays: number;
  /** FEEDBACK_STORE_COMMENTS: keep the clinician's free-text override comment (cut to FEEDBACK_COMMENT_MAX). */
  storeComments: boolean;
  /** FEEDBACK_COMMENT_MAX: characters kept of a comment when comments are stored. */
  commentMax: number;
  /** FEEDBACK_RETENTION_DAYS: issued cards, feedback and seen JWT ids older than this are purged. */
  retentionDays: number;
  /** ADMIN_TOKEN: bearer token of GET /admin/feedback/summary; absent → the admin endpoints are off (404). */
  adminToken?: string;
  /** NODE_ENV=production: no generated secrets. */
  production: boolean;
}

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Defaults, as documented in the README's table. */
export const DEFAULTS = {
  port: 8080,
  host: '0.0.0.0',
  fhirTimeBudgetMs: 2500,
  fhirMaxPages: 5,
  logLevel: 'info' as LogLevel,
  bodyLimit: '1mb',
  shutdownTimeoutMs: 10_000,
  maxConcurrentHooks: 64,
  retryAfterSeconds: 2,
  keepAliveTimeoutMs: 65_000,
  quietWhenConsistent: false,
  // LABEL-TRASTUZUMAB §5.1 (GUIDELINES C2): LVEF every 3 months on treatment, so an older value is not current.
  lvefWindowDays: 90,
  dataDir: './.data/pglite',
  suppressionDays: 30,
  storeComments: false,
  commentMax: 200,
  retentionDays: 365,
} as const;

/** Reads the configuration from the environment. Throws a ConfigError naming the variable and the fault. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const port = integer(env, 'PORT', DEFAULTS.port, 0, 65_535);
  const publicBaseUrl = baseUrl(env.PUBLIC_BASE_URL, port);
  const servicesFile = path.resolve(text(env, 'CDS_SERVICES_FILE') ?? path.join(repoRoot(), 'cds-services.json'));
  return {
    port,
    host: text(env, 'HOST') ?? DEFAULTS.host,
    publicBaseUrl,
    fhirTimeBudgetMs: integer(env, 'FHIR_TIME_BUDGET_MS', DEFAULTS.fhirTimeBudgetMs, 50, 60_000),
    fhirMaxPages: integer(env, 'FHIR_MAX_PAGES', DEFAULTS.fhirMaxPages, 1, 50),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, DEFAULTS.logLevel),
    bodyLimit: size(env, 'BODY_LIMIT', DEFAULTS.bodyLimit),
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', DEFAULTS.shutdownTimeoutMs, 0, 600_000),
    maxConcurrentHooks: integer(env, 'MAX_CONCURRENT_HOOKS', DEFAULTS.maxConcurrentHooks, 1, 10_000),
    retryAfterSeconds: integer(env, 'RETRY_AFTER_SECONDS', DEFAULTS.retryAfterSeconds, 0, 3600),
    keepAliveTimeoutMs: integer(env, 'KEEP_ALIVE_TIMEOUT_MS', DEFAULTS.keepAliveTimeoutMs, 1000, 600_000),
    servicesFile,
    services: loadServicesFile(servicesFile),
    orders: {
      quietWhenConsistent: boolean(env, 'CDS_QUIET_WHEN_CONSISTENT', DEFAULTS.quietWhenConsistent),
      lvefWindowDays: integer(env, 'LVEF_WINDOW_DAYS', DEFAULTS.lvefWindowDays, 1, 3650),
    },
    auth: authConfig(env, publicBaseUrl),
    storage: storageConfig(env),
    embedded: rethrowAsConfigError(() => parseEmbeddedSettings(env)),
  };
}

function storageConfig(env: NodeJS.ProcessEnv): StorageConfig {
  const production = env.NODE_ENV === 'production';
  const databaseUrl = text(env, 'DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'must be a postgres:// or postgresql:// URL');
  }
  const patientHashKey = text(env, 'PATIENT_HASH_KEY');
  if (patientHashKey !== undefined && patientHashKey.length < 32) {
    throw new ConfigError('PATIENT_HASH_KEY', 'must be at least 32 characters (e.g. openssl rand -base64 32)');
  }
  if (patientHashKey === undefined && production) {
    throw new ConfigError('PATIENT_HASH_KEY', 'is required when NODE_ENV=production (the secret of the patient pseudonym)');
  }
  const adminToken = text(env, 'ADMIN_TOKEN');
  if (adminToken !== undefined && adminToken.length < 16) {
    throw new ConfigError('ADMIN_TOKEN', 'must be at least 16 characters');
  }
  const dataDir = text(env, 'DATA_DIR') ?? DEFAULTS.dataDir;
  return {
    ...(databaseUrl !== undefined ? { databaseUrl } : {}),
    dataDir: dataDir.startsWith('memory://') ? dataDir : path.resolve(dataDir),
    ...(patientHashKey !== undefined ? { patientHashKey } : {}),
    suppressionDays: integer(env, 'SUPPRESSION_DAYS', DEFAULTS.suppressionDays, 0, 3650),
    storeComments: boolean(env, 'FEEDBACK_STORE_COMMENTS', DEFAULTS.storeComments),
    commentMax: integer(env, 'FEEDBACK_COMMENT_MAX', DEFAULTS.commentMax, 1, 2000),
    retentionDays: integer(env, 'FEEDBACK_RETENTION_DAYS', DEFAULTS.retentionDays, 1, 36_500),
    ...(adminToken !== undefined ? { adminToken } : {}),
    production,
  };
}

/** The auth settings see the same PUBLIC_BASE_URL (with our PORT default) as everything else. */
function authConfig(env: NodeJS.ProcessEnv, publicBaseUrl: string): AuthConfig {
  return rethrowAsConfigError(() => parseAuthConfig({ ...env, PUBLIC_BASE_URL: publicBaseUrl }));
}

/** The auth and embedded parsers throw "NAME: fault"; start-up reports it as a ConfigError naming NAME. */
function rethrowAsConfigError<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    const message = (err as Error).message;
    const colon = message.indexOf(': ');
    if (colon > 0 && /^[A-Z_]+( \(.*\))?$/.test(message.slice(0, colon))) {
      throw new ConfigError(message.slice(0, colon), message.slice(colon + 2));
    }
    throw new ConfigError('auth settings', message);
  }
}

function text(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function boolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = text(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(name, `must be "true" or "false", got "${raw}"`);
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[], fallback: T): T {
  const raw = text(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

/** A body size as express.json understands it: bytes, or a number with b/kb/mb. */
function size(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = text(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  const match = /^(\d+)(b|kb|mb)?$/.exec(raw);
  const bytes = match ? Number(match[1]) * (match[2] === 'mb' ? 1024 * 1024 : match[2] === 'kb' ? 1024 : 1) : 0;
  if (!match || bytes < 1024 || bytes > 50 * 1024 * 1024) {
    throw new ConfigError(name, `must be a size from 1kb to 50mb such as "1mb", "500kb" or a number of bytes, got "${raw}"`);
  }
  return match[2] ? raw : `${raw}b`;
}

function baseUrl(raw: string | undefined, port: number): string {
  const value = raw?.trim();
  if (!value) return `http://localhost:${port === 0 ? DEFAULTS.port : port}`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('PUBLIC_BASE_URL', `"${value}" is not an absolute URL`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash || url.username || url.password) {
    throw new ConfigError('PUBLIC_BASE_URL', `"${value}" must be an http(s) URL without credentials, query or fragment`);
  }
  return url.href.replace(/\/+$/, '');
}
