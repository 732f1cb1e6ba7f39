import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { announce, serverArgs } from './args.js';

/**
 * B0, the framework's limit: express 5 parsing the same hook request body (express.json, 1 MB, the same media
 * types) and answering a fixed, realistic cards response (captured from our service for the same request).
 * Nothing else: no auth, no validation, no logging.
 */
interface Args {
  responseFile: string;
}

const args = serverArgs<Args>();
const response = JSON.parse(readFileSync(args.responseFile, 'utf8')) as unknown;

const app = express();
app.disable('x-powered-by');
app.set('etag', false); // as our service: no body hashing for POST answers
app.use(express.json({ limit: '1mb', type: ['application/json', 'application/fhir+json'] }));
app.post('/cds-services/:id', (req, res) => {
  if (typeof req.body !== 'object' || req.body === null) {
    res.status(400).json({ error: 'invalid-request' });
    return;
  }
  res.json(response);
});
const server = app.listen(0, '127.0.0.1', () => announce((server.address() as AddressInfo).port));
