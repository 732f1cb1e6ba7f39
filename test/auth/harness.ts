/** Test fixtures for auth: real key pairs, a real JWK Set server on loopback, a token factory, and the app. */
import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export interface TestKey {
  alg: 'ES384' | 'RS384' | 'RS256' | 'ES256';
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function makeKey(alg: TestKey['alg'], kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { alg, kid, privateKey, publicJwk };
}

/** A loopback HTTP server that counts requests per path. Routes answer JSON; `hang` never answers; `*` answers
 *  any other path. */
export interface StubServer {
  url: string;
  hits: Map<string, number>;
  hitsOf(path: string): number;
  total(): number;
  close(): Promise<void>;
}

export async function startStub(routes: Record<string, unknown | 'hang'>): Promise<StubServer> {
  const hits = new Map<string, number>();
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const body = routes[path] ?? routes['*'];
    if (body === 'hang') return; // never answers: the client's timeout must fire
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    hitsOf: (p) => hits.get(p) ?? 0,
    total: () => [...hits.values()].reduce((a, b) => a + b, 0),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export const b64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

export interface TokenSpec {
  key: TestKey;
  header?: Record<string, unknown>; // merged over {alg, typ: 'JWT', kid}; a value of undefined removes it
  claims?: Record<string, unknown>; // merged over the defaults; undefined removes it
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** A correctly signed token; header/claims overrides make the attacks. */
export async function signToken(spec: TokenSpec, defaults: { iss: string; aud: string | string[] }): Promise<string> {
  const iat = nowSeconds();
  const claims = dropUndefined({ iss: defaults.iss, aud: defaults.aud, iat, exp: iat + 300, jti: randomUUID(), ...spec.claims });
  const header = dropUndefined({ alg: spec.key.alg, typ: 'JWT', kid: spec.key.kid, ...spec.header });
  return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(spec.key.privateKey);
}

/** An unsigned/HMAC token built by hand (jose refuses to make these). */
export function handMadeToken(header: Record<string, unknown>, claims: Record<string, unknown>, hmacSecret?: string): string {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const sig = hmacSecret === undefined ? '' : createHmac('sha256', hmacSecret).update(input).digest('base64url');
  return `${input}.${sig}`;
}

function dropUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
