import { AuthError } from './types.js';

/** Longer than any JWT an EHR sends (a few hundred bytes to ~2 KB); refusing early bounds the work on garbage. */
export const MAX_AUTHORIZATION_LENGTH = 8192;

// RFC 6750 scheme (case-insensitive) then a compact JWS: three base64url parts, none empty but the signature
// is never empty for the asymmetric algorithms we accept.
const BEARER_JWT = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/i;

/** Extracts the compact JWT from an Authorization header, or throws AuthError(401, 'authorization'). */
export function bearerToken(authorization: string): string {
  if (authorization.length > MAX_AUTHORIZATION_LENGTH) {
    throw new AuthError(401, 'authorization', 'Authorization header too long');
  }
  const match = BEARER_JWT.exec(authorization.trim());
  if (!match?.[1]) {
    throw new AuthError(401, 'authorization', 'Authorization must be "Bearer <JWT>" with a compact signed JWT');
  }
  return match[1];
}
