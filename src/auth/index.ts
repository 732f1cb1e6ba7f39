import type { AuthConfig } from '../config/auth.js';
import { logger } from '../log.js';
import { serviceIdOf } from './audience.js';
import { assertFhirServerAllowed } from './fhir-server.js';
import { IssuerKeySets } from './key-sets.js';
import { MemoryReplayStore } from './replay-store.js';
import { AuthError, type CdsAuth, type Caller, type ReplayStore, type TrustedIssuer } from './types.js';
import { consumeJti, toCaller, verifyCdsJwt } from './verify-token.js';

export { AuthError, type CdsAuth, type Caller, type ReplayStore, type TrustedIssuer } from './types.js';
export { MemoryReplayStore } from './replay-store.js';
export { createCorsMiddleware } from './cors.js';
export { securityHeaders } from './security-headers.js';
export { audienceFor, serviceIdOf } from './audience.js';
export { authErrorBody, authErrorHeaders } from './error-body.js';

export interface CdsAuthOptions {
  /** Issuers not in the trust file, e.g. the embedded demo issuer. */
  extraIssuers?: TrustedIssuer[];
  /** Defaults to a MemoryReplayStore (one process); pass the PostgreSQL store when several instances share traffic. */
  replayStore?: ReplayStore;
  /** Overrides cfg.jwksTimeoutMs. */
  fetchTimeoutMs?: number;
}

/** The caller reported when CDS_AUTH=disabled (no token was checked). */
export const UNVERIFIED_CALLER: Caller = Object.freeze({ iss: 'urn:her2-cds:auth-disabled', fhirServers: [] }) as Caller;

/** Builds the verifier the routes call. Key sets are created here once; nothing is fetched until a token needs it. */
export function createCdsAuth(cfg: AuthConfig, opts: CdsAuthOptions = {}): CdsAuth {
  if (cfg.mode === 'disabled') {
    logger.warn('CDS_AUTH=disabled: JWT verification and fhirServer checks are OFF. Local experiments only.', {
      component: 'auth',
      setting: 'CDS_AUTH',
    });
    return {
      disabled: true,
      async verify(authorization, _audience, { required }) {
        return authorization === undefined && !required ? null : UNVERIFIED_CALLER;
      },
      checkFhirServer() {},
    };
  }

  const all = [...cfg.issuers, ...(opts.extraIssuers ?? [])];
  const issuers = new Map<string, TrustedIssuer>();
  for (const issuer of all) {
    if (issuers.has(issuer.iss)) throw new Error(`CDS_TRUSTED_ISSUERS: issuer "${issuer.iss}" is configured twice`);
    issuers.set(issuer.iss, issuer);
  }
  const keys = new IssuerKeySets(all, { fetchTimeoutMs: opts.fetchTimeoutMs ?? cfg.jwksTimeoutMs });
  const replay = opts.replayStore ?? new MemoryReplayStore();
  const policy = {
    algorithms: cfg.algorithms,
    maxTokenLifetimeSeconds: cfg.maxTokenLifetimeSeconds,
    clockSkewSeconds: cfg.clockSkewSeconds,
  };

  return {
    disabled: false,
    async verify(authorization, audience, { required }) {
      if (authorization === undefined) {
        if (!required) return null;
        throw new AuthError(401, 'authorization', 'Authorization: Bearer <JWT> is required');
      }
      const { issuer, payload } = await verifyCdsJwt(authorization, audience, { issuers, keys, replay, policy });
      const serviceId = serviceIdOf(cfg.publicBaseUrl, audience);
      if (issuer.services && serviceId !== undefined && !issuer.services.includes(serviceId)) {
        throw new AuthError(403, 'service', 'this issuer may not call this service');
      }
      await consumeJti(replay, issuer, payload, policy.clockSkewSeconds);
      return toCaller(issuer, payload);
    },
    checkFhirServer(caller, fhirServer) {
      if (!caller) throw new AuthError(403, 'fhirServer', 'no verified caller: a FHIR server cannot be used');
      assertFhirServerAllowed(fhirServer, caller.fhirServers);
    },
  };
}
