import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { announce, serverArgs } from './args.js';

/**
 * B1, the cryptographic limit: B0 plus jose's jwtVerify of the bearer token with the same options our service
 * uses (alg allow-list, issuer, audience, typ, max age, required claims) against a pinned key set. The token of
 * every call carries a fresh jti; B1 does not keep them (that bookkeeping is ours, and costs microseconds).
 */
interface Args {
  responseFile: string;
  iss: string;
  audience: string;
  jwks: JSONWebKeySet;
}

const args = serverArgs<Args>();
const response = JSON.parse(readFileSync(args.responseFile, 'utf8')) as unknown;
const keys = createLocalJWKSet(args.jwks);

const app = express();
app.disable('x-powered-by');
app.set('etag', false); // as our service: no body hashing for POST answers
app.use(express.json({ limit: '1mb', type: ['application/json', 'application/fhir+json'] }));
app.post('/cds-services/:id', async (req, res) => {
  const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
  try {
    if (!token) throw new Error('no token');
    await jwtVerify(token, keys, {
      algorithms: ['ES384', 'RS384'],
      issuer: args.iss,
      audience: args.audience,
      typ: 'JWT',
      clockTolerance: 5,
      maxTokenAge: 300,
      requiredClaims: ['iss', 'aud', 'exp', 'iat', 'jti'],
    });
  } catch {
    res.status(401).json({ error: 'invalid-token' });
    return;
  }
  if (typeof req.body !== 'object' || req.body === null) {
    res.status(400).json({ error: 'invalid-request' });
    return;
  }
  res.json(response);
});
const server = app.listen(0, '127.0.0.1', () => announce((server.address() as AddressInfo).port));
