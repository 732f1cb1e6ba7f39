import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import type { JwsAlgorithm } from '../config/auth.js';
import { bearerToken } from './bearer.js';
import type { IssuerKeySets } from './key-sets.js';
import { AuthError, type Caller, type ReplayStore, type TrustedIssuer } from './types.js';

export interface VerifyPolicy {
  algorithms: readonly JwsAlgorithm[];
  maxTokenLifetimeSeconds: number;
  clockSkewSeconds: number;
}

export interface VerifyDeps {
  issuers: ReadonlyMap<string, TrustedIssuer>;
  keys: IssuerKeySets;
  replay: ReplayStore;
  policy: VerifyPolicy;
}

/** Longest jti we store: the CRD generator sends 128 characters; anything much longer only fills memory. */
const MAX_JTI_LENGTH = 256;

/**
 * Verifies a CDS Hooks client JWT (NOTES.md §6 checklist) for the endpoint whose public URL is `audience`:
 * header (alg allow-list, typ JWT, kid) → trusted iss → jku on that issuer's list → signature with the issuer's keys
 * → aud, exp, nbf, iat (with skew) → lifetime → jti once → tenant. Returns the verified issuer and payload.
 * Every refusal is an AuthError(401) whose `check` names the failed step and whose message never echoes the token.
 */
export async function verifyCdsJwt(
  authorization: string,
  audience: string,
  deps: VerifyDeps,
): Promise<{ issuer: TrustedIssuer; payload: JWTPayload }> {
  const { policy } = deps;
  const token = bearerToken(authorization);

  const header = decodeOr401(() => decodeProtectedHeader(token), 'JWT header is not valid base64url JSON');
  if (typeof header.alg !== 'string' || !(policy.algorithms as readonly string[]).includes(header.alg)) {
    throw refused('alg', `alg must be one of ${policy.algorithms.join(', ')}`);
  }
  if (typeof header.typ !== 'string' || !/^(application\/)?jwt$/i.test(header.typ)) {
    throw refused('typ', 'typ header must be "JWT"');
  }
  if (typeof header.kid !== 'string' || header.kid === '') throw refused('kid', 'kid header is required');

  const claims = decodeOr401(() => decodeJwt(token), 'JWT payload is not valid base64url JSON');
  if (typeof claims.iss !== 'string') throw refused('iss', 'iss claim is required');
  const issuer = deps.issuers.get(claims.iss);
  if (!issuer) throw refused('iss', 'iss is not a trusted issuer');

  // A jku off the issuer's list is refused before anything is fetched: never let a token choose our keys.
  if (header.jku !== undefined && (typeof header.jku !== 'string' || !issuer.jku.includes(header.jku))) {
    throw refused('jku', 'jku is not an allowed JWK Set URL for this issuer');
  }
  const keys = deps.keys.resolverFor(issuer, header.jku);
  if (!keys) throw refused('jku', 'no JWK Set is configured for this issuer');

  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keys, {
      algorithms: [...policy.algorithms],
      issuer: issuer.iss,
      audience,
      typ: 'JWT',
      clockTolerance: policy.clockSkewSeconds,
      maxTokenAge: policy.maxTokenLifetimeSeconds,
      requiredClaims: ['iss', 'aud', 'exp', 'iat', 'jti'],
    }));
  } catch (err) {
    throw fromJoseError(err, audience);
  }

  // Both validated as numbers by jose (required claims).
  const exp = payload.exp as number;
  const iat = payload.iat as number;
  if (exp - iat > policy.maxTokenLifetimeSeconds) {
    throw refused('lifetime', `token lifetime (exp - iat) exceeds ${policy.maxTokenLifetimeSeconds} s`);
  }
  if (typeof payload.jti !== 'string' || payload.jti === '' || payload.jti.length > MAX_JTI_LENGTH) {
    throw refused('jti', `jti must be a string of 1 to ${MAX_JTI_LENGTH} characters`);
  }
  if (issuer.tenant !== undefined && payload.tenant !== issuer.tenant) {
    throw refused('tenant', 'tenant claim does not match the tenant configured for this issuer');
  }
  return { issuer, payload };
}

/** Records the token's jti; a second use within its lifetime is refused. Called last, after every other check,
 *  so that neither a bad token nor a 403 consumes a jti. */
export async function consumeJti(replay: ReplayStore, issuer: TrustedIssuer, payload: JWTPayload, skewSeconds: number): Promise<void> {
  // Keep it past exp by the skew: the token stays acceptable that long.
  const expiresAt = new Date(((payload.exp as number) + skewSeconds) * 1000);
  if (!(await replay.markSeen(payload.jti as string, issuer.iss, expiresAt))) {
    throw refused('jti', 'jti was already used (replayed token)');
  }
}

export function toCaller(issuer: TrustedIssuer, payload: JWTPayload): Caller {
  const tenant = typeof payload.tenant === 'string' ? payload.tenant : undefined;
  return {
    iss: issuer.iss,
    ...(tenant !== undefined ? { tenant } : {}),
    jti: payload.jti as string,
    fhirServers: issuer.fhirServers,
  };
}

function refused(check: string, message: string): AuthError {
  return new AuthError(401, check, message);
}

function decodeOr401<T>(decode: () => T, message: string): T {
  try {
    return decode();
  } catch {
    throw refused('token-format', message);
  }
}

const CLAIM_MESSAGES: Record<string, string> = {
  exp: 'token expired (exp)',
  nbf: 'token not yet valid (nbf)',
  iat: 'iat is in the future or too old',
  typ: 'typ header must be "JWT"',
  iss: 'iss is not a trusted issuer',
};

/** Maps a jose failure onto the check that failed. */
function fromJoseError(err: unknown, audience: string): AuthError {
  if (err instanceof errors.JWTClaimValidationFailed || err instanceof errors.JWTExpired) {
    const claim = err.claim;
    if (err.reason === 'missing') return refused(claim, `${claim} claim is required`);
    if (claim === 'aud') return refused('aud', `aud must be the URL of the endpoint called: ${audience}`);
    return refused(claim, CLAIM_MESSAGES[claim] ?? `${claim} claim is invalid`);
  }
  if (err instanceof errors.JOSEAlgNotAllowed) return refused('alg', 'alg is not allowed');
  if (err instanceof errors.JWSSignatureVerificationFailed) return refused('signature', 'signature verification failed');
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) {
    return refused('kid', 'no key of this issuer matches kid and alg');
  }
  if (err instanceof errors.JWKSTimeout) return refused('jwks-unavailable', "the issuer's JWK Set could not be fetched in time");
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) return refused('token-format', 'malformed JWT');
  // Remote set not 200 / not JSON (generic JOSEError), or the network failed (fetch throws "fetch failed").
  if (err instanceof errors.JOSEError || (err instanceof TypeError && err.message === 'fetch failed')) {
    return refused('jwks-unavailable', "the issuer's JWK Set could not be fetched");
  }
  return refused('signature', 'token could not be verified');
}
