import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { TrustedIssuer } from './types.js';

export interface KeySetOptions {
  /** Budget for one JWK Set fetch; a slow or dead endpoint fails the call after this, never hangs it. */
  fetchTimeoutMs: number;
  /** An unknown kid refetches a remote set at most once per cooldown. */
  cooldownMs?: number;
  /** How long a fetched set is used before it is fetched again. */
  cacheMaxAgeMs?: number;
}

/**
 * The verification keys of every trusted issuer, built once at start-up: a pinned set per issuer, and one remote
 * set per allowed jku URL (fetched lazily, then cached; jose keeps the imported keys, so a call costs only the
 * signature check). Only URLs from the configuration are ever turned into remote sets.
 */
export class IssuerKeySets {
  private readonly pinned = new Map<string, JWTVerifyGetKey>();
  private readonly remote = new Map<string, JWTVerifyGetKey>();

  constructor(issuers: readonly TrustedIssuer[], opts: KeySetOptions) {
    for (const issuer of issuers) {
      if (issuer.jwks) {
        this.pinned.set(issuer.iss, createLocalJWKSet(issuer.jwks as unknown as JSONWebKeySet));
        continue; // pinned: never fetch for this issuer, even a listed jku
      }
      for (const url of issuer.jku) {
        if (!this.remote.has(url)) {
          this.remote.set(
            url,
            createRemoteJWKSet(new URL(url), {
              timeoutDuration: opts.fetchTimeoutMs,
              cooldownDuration: opts.cooldownMs ?? 30_000,
              cacheMaxAge: opts.cacheMaxAgeMs ?? 600_000,
            }),
          );
        }
      }
    }
  }

  /** The key resolver for a token of `issuer` carrying `jku` (already checked against the issuer's list). Without a
   *  jku, the issuer's first listed URL is the one agreed out of band. */
  resolverFor(issuer: TrustedIssuer, jku: string | undefined): JWTVerifyGetKey | undefined {
    const pinned = this.pinned.get(issuer.iss);
    if (pinned) return pinned;
    const url = jku ?? issuer.jku[0];
    return url === undefined ? undefined : this.remote.get(url);
  }
}
