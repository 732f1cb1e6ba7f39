import { createHmac } from 'node:crypto';

/** A patient appears in our database only as HMAC-SHA256(secret, fhirServer + patient id): stable for one
 *  deployment (so suppression works across instances and restarts), meaningless without the secret. */
export function patientPseudonym(secret: string, fhirServer: string | undefined, patientId: string): string {
  return createHmac('sha256', secret)
    .update(`${fhirServer ?? ''}\u0000${patientId}`)
    .digest('base64url');
}
