/**
 * The embedded mode's settings, parsed from the environment object that src/config passes in (this file never
 * reads process.env itself). EMBEDDED: "on" | "off" (default on, but off when NODE_ENV=production: the embedded
 * FHIR server and the demo issuer are for development and demonstrations). PREVIEW_FHIR_SERVERS: comma-separated
 * FHIR base URLs, besides the embedded one, that the preview page (and its demo tokens) may send the service to.
 */

export interface EmbeddedSettings {
  enabled: boolean;
  previewFhirServers: string[];
}

/** Throws an Error "NAME: fault" (the shape src/config turns into a ConfigError). */
export function parseEmbeddedSettings(env: NodeJS.ProcessEnv): EmbeddedSettings {
  const raw = env.EMBEDDED?.trim().toLowerCase() ?? '';
  let enabled: boolean;
  if (raw === '') enabled = env.NODE_ENV !== 'production';
  else if (raw === 'on' || raw === 'true' || raw === '1') enabled = true;
  else if (raw === 'off' || raw === 'false' || raw === '0') enabled = false;
  else throw new Error(`EMBEDDED: must be "on" or "off", got "${raw}"`);
  return { enabled, previewFhirServers: parseFhirServerList(env.PREVIEW_FHIR_SERVERS) };
}

function parseFhirServerList(raw: string | undefined): string[] {
  const items = (raw ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  return items.map((item) => {
    let url: URL;
    try {
      url = new URL(item);
    } catch {
      throw new Error(`PREVIEW_FHIR_SERVERS: "${item}" is not an absolute URL`);
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.search || url.hash) {
      throw new Error(`PREVIEW_FHIR_SERVERS: "${item}" must be an http(s) FHIR base URL without credentials, query or fragment`);
    }
    return url.href.replace(/\/+$/, '');
  });
}
