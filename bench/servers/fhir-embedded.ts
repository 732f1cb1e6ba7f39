import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { repoRoot } from '../../src/config/repo-root.js';
import { createEmbeddedFhirServer } from '../../src/embedded/fhir-server.js';
import { announce } from './args.js';

/** The embedded FHIR server (medplum MemoryRepository seeded from fixtures/) in its own process, at /fhir, with a
 *  request counter at GET /__stats. */
let requests = 0;
const app = express();
app.disable('x-powered-by');
app.get('/__stats', (_req, res) => {
  res.json({ requests });
});
app.use('/fhir', (_req, _res, next) => {
  requests++;
  next();
});

const server = app.listen(0, '127.0.0.1', () => {
  void (async () => {
    const { port } = server.address() as AddressInfo;
    const fhir = await createEmbeddedFhirServer({ fixturesDir: path.join(repoRoot(), 'fixtures'), baseUrl: `http://127.0.0.1:${port}/fhir` });
    app.use('/fhir', fhir.router);
    announce(port);
  })();
});
server.keepAliveTimeout = 30_000;
