/** The seam between the protocol routes and JWT verification (issue 6). */

/** The verified caller of a CDS Hooks endpoint. */
export interface Caller {
  iss: string;
  tenant?: string;
  jti?: string;
  /** FHIR base URL prefixes this issuer may send us to (empty = none allowed, unless auth is disabled). */
  fhirServers: string[];
}

/** A refused call: 401 (token missing or invalid, `check` names the failed check) or 403 (valid token,
 *  but this issuer may not use this service or this fhirServer). Messages never echo the token. */
export class AuthError extends Error {
  constructor(
    readonly status: 401 | 403,
    readonly check: string,
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

export interface CdsAuth {
  /** Verifies the Authorization header for the endpoint whose public URL is `audience`.
   *  `required: false` (discovery) lets a call without a header through as null; a header that is present
   *  is always verified. Throws AuthError. */
  verify(authorization: string | undefined, audience: string, opts: { required: boolean }): Promise<Caller | null>;
  /** Throws AuthError(403) when `fhirServer` is not allowed for this caller (checked before any FHIR request). */
  checkFhirServer(caller: Caller | null, fhirServer: string): void;
  /** True when checks are off (CDS_AUTH=disabled, never in production). */
  readonly disabled: boolean;
}

/** One EHR we trust (one entry of CDS_TRUSTED_ISSUERS, or the embedded demo issuer). */
export interface TrustedIssuer {
  /** Exact `iss` claim value. */
  iss: string;
  /** JWK Set URLs this issuer may name in `jku`; the first is also used for tokens without `jku`. Only these are
   *  ever fetched. */
  jku: string[];
  /** A JWK Set pinned in configuration: used instead of fetching, even when the token names a listed `jku`. */
  jwks?: { keys: Array<Record<string, unknown>> };
  /** FHIR base URL prefixes (scheme, host and port exact; path prefix on a segment boundary). */
  fhirServers: string[];
  /** When set, the token's `tenant` claim must equal it. */
  tenant?: string;
  /** When set, the only service ids this issuer may call (others: 403). Discovery is always allowed. */
  services?: string[];
}

/** Remembers JWT ids until their token expires so that a token is accepted once (issue 6; shared store: issue 9). */
export interface ReplayStore {
  /** True the first time (iss, jti) is seen; false when it was seen before (a replay). */
  markSeen(jti: string, iss: string, expiresAt: Date): Promise<boolean>;
}
