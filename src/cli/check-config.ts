import { loadConfig, type StorageConfig } from '../config/index.js';
import { parseEmbeddedSettings } from '../config/embedded.js';
import { CliError } from './errors.js';

/**
 * `her2-cds check-config`: loads the configuration exactly as the server does and lists the effective settings.
 * Nothing secret is printed: issuers are shown by name, FHIR server prefixes and key source, never by key.
 */
export function checkConfig(env: NodeJS.ProcessEnv): string {
  let config;
  let embedded;
  try {
    config = loadConfig(env);
    embedded = parseEmbeddedSettings(env);
  } catch (err) {
    throw new CliError(`configuration error: ${(err as Error).message.replace(/\s*\n\s*/g, '; ')}`);
  }
  const a = config.auth;
  const lines = [
    'OK: the configuration is valid.',
    `PORT                 ${config.port}`,
    `HOST                 ${config.host}`,
    `PUBLIC_BASE_URL      ${config.publicBaseUrl}`,
    `CDS_SERVICES_FILE    ${config.servicesFile}`,
    ...config.services.services.map((s) => `  service            ${s.id} (${s.hook})`),
    `CDS_AUTH             ${a.mode}${a.mode === 'disabled' ? '  (WARNING: no JWT is checked; local experiments only)' : ''}`,
    `CDS_TRUSTED_ISSUERS  ${a.issuers.length} issuer${a.issuers.length === 1 ? '' : 's'}${a.issuers.length === 0 && !embedded.enabled ? '  (WARNING: no EHR can call the hooks)' : ''}`,
    ...a.issuers.map((i) => {
      const keys = i.jwks ? `pinned key set (${i.jwks.keys.length} key${i.jwks.keys.length === 1 ? '' : 's'})` : `jku ${i.jku.join(', ')}`;
      const fhir = i.fhirServers.length > 0 ? i.fhirServers.join(', ') : 'none (no FHIR server may be used)';
      return `  issuer             ${i.iss}: ${keys}; fhirServers ${fhir}${i.services ? `; services ${i.services.join(', ')}` : ''}`;
    }),
    `CDS_ALGORITHMS       ${a.algorithms.join(', ')}`,
    `CDS_MAX_TOKEN_LIFETIME_SECONDS ${a.maxTokenLifetimeSeconds}`,
    `CDS_CLOCK_SKEW_SECONDS ${a.clockSkewSeconds}`,
    `CDS_JWKS_TIMEOUT_MS  ${a.jwksTimeoutMs}`,
    `CORS_ORIGINS         ${a.corsOrigins.length > 0 ? a.corsOrigins.join(', ') : 'none'}`,
    `FHIR_TIME_BUDGET_MS  ${config.fhirTimeBudgetMs}`,
    `FHIR_MAX_PAGES       ${config.fhirMaxPages}`,
    `CDS_QUIET_WHEN_CONSISTENT ${config.orders.quietWhenConsistent}`,
    `LVEF_WINDOW_DAYS     ${config.orders.lvefWindowDays}`,
    `LOG_LEVEL            ${config.logLevel}`,
    `BODY_LIMIT           ${config.bodyLimit}`,
    `SHUTDOWN_TIMEOUT_MS  ${config.shutdownTimeoutMs}`,
    ...storageLines(config.storage),
    `EMBEDDED             ${embedded.enabled ? 'on (embedded FHIR server, demo issuer and preview page at /)' : 'off'}`,
    `PREVIEW_FHIR_SERVERS ${embedded.previewFhirServers.length > 0 ? embedded.previewFhirServers.join(', ') : 'none'}`,
  ];
  return lines.join('\n');
}

/** Storage settings; secrets (DATABASE_URL credentials, PATIENT_HASH_KEY, ADMIN_TOKEN) are reported as set, never shown. */
function storageLines(s: StorageConfig): string[] {
  let database = 'not set: embedded PostgreSQL (PGlite) in DATA_DIR';
  if (s.databaseUrl) {
    try {
      const u = new URL(s.databaseUrl);
      database = `${u.protocol}//${u.host}${u.pathname} (credentials hidden)`;
    } catch {
      database = 'set (hidden)';
    }
  }
  return [
    `DATABASE_URL         ${database}`,
    `DATA_DIR             ${s.dataDir}`,
    `PATIENT_HASH_KEY     ${s.patientHashKey ? 'set (hidden)' : 'not set: generated and kept in DATA_DIR'}`,
    `SUPPRESSION_DAYS     ${s.suppressionDays}`,
    `FEEDBACK_STORE_COMMENTS ${s.storeComments}`,
    `FEEDBACK_COMMENT_MAX ${s.commentMax}`,
    `FEEDBACK_RETENTION_DAYS ${s.retentionDays}`,
    `ADMIN_TOKEN          ${s.adminToken ? 'set (hidden)' : 'not set: admin endpoints off'}`,
  ];
}
