import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';

/**
 * CDS Hooks client JWTs for load tests, signed synchronously with node:crypto (so an autocannon `setupRequest`
 * hook can sign a fresh token per request) in the shape the Sandbox sends: header {alg, typ: JWT, kid, jku},
 * claims {iss, sub, aud, exp, iat, jti}.
 */

export type BenchAlg = 'ES384' | 'RS384';

export interface BenchSigner {
  alg: BenchAlg;
  kid: string;
  iss: string;
  /** The public JWK Set to pin in CDS_TRUSTED_ISSUERS (public members only). */
  jwks: { keys: Array<Record<string, unknown>> };
  /** PKCS#8 PEM of the private key, so that worker threads can sign with the same key. */
  privatePem: string;
  /** A fresh token (new jti, iat = now) for `aud`. */
  token(aud: string, lifetimeSeconds?: number): string;
}

export const BENCH_ISSUER = 'https://ehr.bench.invalid';
export const BENCH_JKU = 'https://ehr.bench.invalid/.well-known/jwks.json';

const b64 = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

export function createSigner(alg: BenchAlg, iss = BENCH_ISSUER, privatePem?: string): BenchSigner {
  const { privateKey, publicKey } = privatePem ? fromPem(privatePem) : generate(alg);
  const kid = `bench-${alg.toLowerCase()}`;
  const jwk = { ...(publicKey.export({ format: 'jwk' }) as Record<string, unknown>), kid, alg, use: 'sig' };
  const header = b64(JSON.stringify({ alg, typ: 'JWT', kid, jku: BENCH_JKU }));
  return {
    alg,
    kid,
    iss,
    privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
    jwks: { keys: [jwk] },
    token(aud, lifetimeSeconds = 300) {
      const iat = Math.floor(Date.now() / 1000);
      const claims = { iss, sub: 'bench-client', aud, exp: iat + lifetimeSeconds, iat, jti: randomUUID() };
      const input = `${header}.${b64(JSON.stringify(claims))}`;
      return `${input}.${b64(signInput(alg, privateKey, input))}`;
    },
  };
}

function generate(alg: BenchAlg): { privateKey: KeyObject; publicKey: KeyObject } {
  return alg === 'ES384' ? generateKeyPairSync('ec', { namedCurve: 'P-384' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
}

function fromPem(pem: string): { privateKey: KeyObject; publicKey: KeyObject } {
  const privateKey = createPrivateKey(pem);
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

function signInput(alg: BenchAlg, key: KeyObject, input: string): Buffer {
  // JWS ES384 wants the raw r||s signature (IEEE P1363), not DER.
  return alg === 'ES384' ? sign('sha384', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }) : sign('sha384', Buffer.from(input), key);
}

/** The trust entry for CDS_TRUSTED_ISSUERS (inline JSON): a pinned key set, so nothing is fetched. */
export function trustEntry(signer: BenchSigner, fhirServers: string[] = []): Record<string, unknown> {
  return { iss: signer.iss, jku: [BENCH_JKU], jwks: signer.jwks, fhirServers };
}
