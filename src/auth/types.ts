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
