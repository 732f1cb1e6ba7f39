import type { AuthError } from './types.js';

/** The JSON body for a refused call: names the failed check, never echoes the token. A 401 should also carry
 *  `WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750), see `authErrorHeaders`. */
export function authErrorBody(err: AuthError): { error: 'unauthorized' | 'forbidden'; check: string; message: string } {
  return { error: err.status === 401 ? 'unauthorized' : 'forbidden', check: err.check, message: err.message };
}

export function authErrorHeaders(err: AuthError): Record<string, string> {
  return err.status === 401 ? { 'WWW-Authenticate': 'Bearer error="invalid_token"' } : {};
}
