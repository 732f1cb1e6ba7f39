import { BlockList, isIP } from 'node:net';
import { AuthError } from './types.js';

/**
 * Where a caller may send us (and its FHIR access token): only under the FHIR base URL prefixes configured for its
 * issuer. Addresses that reach our own host or cloud internals are refused unless the issuer's list names that very
 * host, so a trusted-but-careless entry can never turn us into a proxy to them (SSRF).
 */

/** Hostnames that reach cloud metadata services or the local host. */
const SPECIAL_NAMES = new Set(['localhost', 'metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data']);

const SPECIAL_ADDRESSES = new BlockList();
SPECIAL_ADDRESSES.addSubnet('0.0.0.0', 8, 'ipv4'); // "this host"
SPECIAL_ADDRESSES.addSubnet('127.0.0.0', 8, 'ipv4'); // loopback
SPECIAL_ADDRESSES.addSubnet('169.254.0.0', 16, 'ipv4'); // link-local, incl. 169.254.169.254 metadata
SPECIAL_ADDRESSES.addSubnet('10.0.0.0', 8, 'ipv4'); // private
SPECIAL_ADDRESSES.addSubnet('172.16.0.0', 12, 'ipv4');
SPECIAL_ADDRESSES.addSubnet('192.168.0.0', 16, 'ipv4');
SPECIAL_ADDRESSES.addSubnet('100.64.0.0', 10, 'ipv4'); // carrier-grade NAT (also Alibaba metadata 100.100.100.200)
SPECIAL_ADDRESSES.addAddress('::', 'ipv6');
SPECIAL_ADDRESSES.addAddress('::1', 'ipv6');
SPECIAL_ADDRESSES.addSubnet('fe80::', 10, 'ipv6'); // link-local
SPECIAL_ADDRESSES.addSubnet('fc00::', 7, 'ipv6'); // unique local, incl. fd00:ec2::254 (AWS metadata over IPv6)

/** True for loopback, link-local, private and metadata hosts (by name or literal address, after URL normalisation). */
export function isSpecialHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (SPECIAL_NAMES.has(host) || host.endsWith('.localhost')) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host)?.[1]; // IPv4-mapped IPv6
  const family = isIP(mapped ?? host);
  if (family === 4) return SPECIAL_ADDRESSES.check(mapped ?? host, 'ipv4');
  if (family === 6) {
    const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host); // WHATWG URL writes ::ffff:7f00:1
    if (hex?.[1] && hex[2]) {
      const n = (parseInt(hex[1], 16) << 16) | parseInt(hex[2], 16);
      return SPECIAL_ADDRESSES.check([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.'), 'ipv4');
    }
    return SPECIAL_ADDRESSES.check(host, 'ipv6');
  }
  return false;
}

/** True when `url` lies under `prefix`: same scheme, host and port; path equal or below on a segment boundary. */
export function isUnderPrefix(url: URL, prefix: URL): boolean {
  if (url.protocol !== prefix.protocol || url.host !== prefix.host) return false;
  const base = prefix.pathname.replace(/\/+$/, '');
  return base === '' || url.pathname === base || url.pathname.startsWith(`${base}/`);
}

/** Throws AuthError(403, 'fhirServer') unless `fhirServer` is under one of `allowedPrefixes`. */
export function assertFhirServerAllowed(fhirServer: string, allowedPrefixes: readonly string[]): void {
  let url: URL;
  try {
    url = new URL(fhirServer);
  } catch {
    throw new AuthError(403, 'fhirServer', 'fhirServer is not an absolute URL');
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || url.search || url.hash) {
    throw new AuthError(403, 'fhirServer', 'fhirServer must be an http(s) base URL without credentials, query or fragment');
  }
  const prefixes = allowedPrefixes.flatMap((p) => {
    try {
      return [new URL(p)];
    } catch {
      return [];
    }
  });
  // Belt and braces: a special host must be named by an entry with that very host, whatever the matching rule.
  if (isSpecialHost(url.hostname) && !prefixes.some((p) => p.host === url.host)) {
    throw new AuthError(403, 'fhirServer', 'fhirServer is a loopback, link-local, private or metadata address not listed for this issuer');
  }
  if (!prefixes.some((p) => isUnderPrefix(url, p))) {
    throw new AuthError(403, 'fhirServer', 'fhirServer is not on the list of FHIR servers allowed for this issuer');
  }
}
