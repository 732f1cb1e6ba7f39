import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { audienceFor } from '../auth/audience.js';
import type { TrustedIssuer } from '../auth/types.js';

export interface DemoIssuerOptions {
  /** Our PUBLIC_BASE_URL: the issuer name and every audience are built from it. */
  publicBaseUrl: string;
  /** Service ids of the discovery document: the only audiences a token is ever signed for. */
  serviceIds: readonly string[];
  /** FHIR base URLs a demo token may send us to (the embedded server, plus PREVIEW_FHIR_SERVERS). */
  fhirServers: readonly string[];
  /** Algorithms the service accepts (CDS_ALGORITHMS); the issuer signs with the first it can (ES384 preferred). */
  algorithms?: readonly string[];
  now?: () => Date;
}

export interface DemoIssuer {
  /** The entry to pass to createCdsAuth(cfg, { extraIssuers: [issuer] }): pinned public key, no jku. */
  issuer: TrustedIssuer;
  /** A CDS Hooks JWT for POST /cds-services/{serviceId}; undefined when the id is not one of ours. */
  signFor(serviceId: string): Promise<string | undefined>;
}

/** Shortest useful lifetime: the page asks for a fresh token just before each call. */
export const DEMO_TOKEN_LIFETIME_SECONDS = 60;

const PREFERRED = ['ES384', 'ES256', 'RS384', 'RS256'] as const;

/**
 * The local issuer of the embedded mode (the preview page and `her2-cds call` use it): a key pair made at
 * start-up and kept in memory only, so a token it signed is worthless once the process stops. It is trusted only
 * because server.ts adds it as an extra issuer when the embedded mode is on; its tokens may name only the FHIR
 * servers listed here, and it signs only audiences that are our own hook endpoints — never a caller-chosen `aud`,
 * so it cannot be used to mint tokens for another service.
 */
export async function createDemoIssuer(opts: DemoIssuerOptions): Promise<DemoIssuer> {
  const alg = PREFERRED.find((a) => (opts.algorithms ?? ['ES384']).includes(a)) ?? 'ES384';
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const kid = `demo-${randomUUID()}`;
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  const base = opts.publicBaseUrl.replace(/\/+$/, '');
  const iss = `${base}/preview`;
  const services = new Set(opts.serviceIds);
  const now = opts.now ?? (() => new Date());

  const issuer: TrustedIssuer = {
    iss,
    jku: [],
    jwks: { keys: [jwk] },
    fhirServers: [...new Set(opts.fhirServers.map((u) => u.replace(/\/+$/, '')))],
  };

  return {
    issuer,
    async signFor(serviceId) {
      if (!services.has(serviceId)) return undefined;
      return sign(privateKey, alg, kid, iss, audienceFor(base, `/cds-services/${encodeURIComponent(serviceId)}`), now());
    },
  };
}

function sign(key: CryptoKey, alg: string, kid: string, iss: string, aud: string, at: Date): Promise<string> {
  const iat = Math.floor(at.getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg, typ: 'JWT', kid })
    .setIssuer(iss)
    .setAudience(aud)
    .setIssuedAt(iat)
    .setExpirationTime(iat + DEMO_TOKEN_LIFETIME_SECONDS)
    .setJti(randomUUID())
    .sign(key);
}
