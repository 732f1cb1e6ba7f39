/** The `aud` a caller must send for an endpoint: our public base URL plus the path called (never the Host header).
 *  `path` is the request path without query, e.g. `/cds-services/her2-er-pr-patient-view`. */
export function audienceFor(publicBaseUrl: string, path: string): string {
  return publicBaseUrl.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`);
}

/** The service id an audience names (`…/cds-services/{id}` or `…/cds-services/{id}/feedback`); undefined for
 *  discovery or anything else. Used for the per-issuer `services` allow-list. */
export function serviceIdOf(publicBaseUrl: string, audience: string): string | undefined {
  const prefix = `${publicBaseUrl.replace(/\/+$/, '')}/cds-services/`;
  if (!audience.startsWith(prefix)) return undefined;
  const id = audience.slice(prefix.length).split('/')[0];
  if (!id) return undefined;
  try {
    return decodeURIComponent(id);
  } catch {
    return id;
  }
}
