/** An in-test loopback FHIR server answering from the bench scenario chart (reads and type searches). */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { scenarioResources } from '../../bench/requests.js';

export async function startScenarioFhir(): Promise<{ base: string; close: () => Promise<void> }> {
  const resources = scenarioResources();
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const [, prefix, type, id] = new URL(req.url ?? '/', 'http://x').pathname.split('/');
    const found = prefix === 'fhir' && type
      ? id !== undefined
        ? resources.find((r) => r.resourceType === type && r.id === id)
        : { resourceType: 'Bundle', type: 'searchset', entry: resources.filter((r) => r.resourceType === type).map((resource) => ({ resource })) }
      : undefined;
    if (!found) res.writeHead(404, { 'content-type': 'application/fhir+json' }).end('{"resourceType":"OperationOutcome","issue":[]}');
    else res.writeHead(200, { 'content-type': 'application/fhir+json' }).end(JSON.stringify(found));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
