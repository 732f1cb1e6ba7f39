import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Resource } from 'fhir/r4.js';
import { scenarioResources } from '../requests.js';
import { announce, serverArgs } from './args.js';

/**
 * A loopback FHIR server stand-in that answers every request after `delayMs` (a slow EHR), from one scenario
 * chart: `Patient/{id}` reads and type searches (filtered by type only). GET /__stats gives the number of FHIR
 * requests served so far, so the benchmark can print FHIR requests per hook call.
 */
interface Args {
  delayMs: number;
  scenario?: string;
}

const args = serverArgs<Args>();
const resources = scenarioResources(args.scenario);
let requests = 0;

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://stub');
  if (url.pathname === '/__stats') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ requests }));
    return;
  }
  requests++;
  setTimeout(() => answer(url, res), args.delayMs);
});

function answer(url: URL, res: http.ServerResponse): void {
  const [, prefix, type, id] = url.pathname.split('/');
  if (prefix !== 'fhir' || !type) {
    res.writeHead(404, { 'content-type': 'application/fhir+json' }).end('{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"not-found"}]}');
    return;
  }
  let body: unknown;
  if (id !== undefined) {
    body = resources.find((r) => r.resourceType === type && r.id === id);
  } else {
    const matches: Resource[] = resources.filter((r) => r.resourceType === type);
    body = { resourceType: 'Bundle', type: 'searchset', total: matches.length, entry: matches.map((resource) => ({ resource })) };
  }
  if (body === undefined) {
    res.writeHead(404, { 'content-type': 'application/fhir+json' }).end('{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"not-found"}]}');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/fhir+json' }).end(JSON.stringify(body));
}

server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => announce((server.address() as AddressInfo).port));
