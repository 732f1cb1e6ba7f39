/** Misbehaving FHIR servers on loopback, each a real socket server, for the fault-injection tests. */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export type FaultMode =
  | 'down'
  | 'connection-reset'
  | 'status-500'
  | 'status-401'
  | 'garbage-body'
  | 'html-body'
  | 'truncated-json'
  | 'truncated-transfer'
  | 'never-answers'
  | 'streams-forever'
  | 'redirect-other-origin';

export interface FaultServer {
  /** fhirServer base URL to send in the hook request. */
  base: string;
  /** Requests received (the `down` server receives none). */
  hits: number;
  /** Authorization headers received, in order. */
  authorizations: Array<string | undefined>;
  /** Requests whose response is neither finished nor closed: what the service would leave pending. */
  pending(): number;
  /** Sockets still open to this server. */
  openSockets(): number;
  close(): Promise<void>;
}

/** A plain recorder: answers 200 with an empty Bundle and records the Authorization header (the redirect target). */
export async function recorder(): Promise<FaultServer> {
  return httpFault((req, res) => {
    void req;
    res.writeHead(200, { 'content-type': 'application/fhir+json' }).end('{"resourceType":"Bundle","type":"searchset","entry":[]}');
  });
}

export async function faultServer(mode: FaultMode, redirectTarget?: FaultServer): Promise<FaultServer> {
  switch (mode) {
    case 'down':
      return downServer();
    case 'connection-reset':
      return resetServer();
    case 'status-500':
    case 'status-401': {
      const status = mode === 'status-500' ? 500 : 401;
      return httpFault((_req, res) => {
        res.writeHead(status, { 'content-type': 'application/fhir+json' })
          .end(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: status === 401 ? 'login' : 'exception' }] }));
      });
    }
    case 'garbage-body':
      return httpFault((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/fhir+json' }).end(Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x22, 0x9c, 0x80, 0x0a, 0x5d]));
      });
    case 'html-body':
      return httpFault((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><body><h1>Login</h1><form></form></body></html>');
      });
    case 'truncated-json':
      return httpFault((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/fhir+json' }).end('{"resourceType":"Bundle","type":"searchset","entry":[{"resource":{"resourceType":"Obs');
      });
    case 'truncated-transfer':
      // Content-Length promises more than is sent, then the connection drops.
      return httpFault((req, res) => {
        res.writeHead(200, { 'content-type': 'application/fhir+json', 'content-length': '5000' });
        res.write('{"resourceType":"Bundle","type":"searchset","entry":[');
        setTimeout(() => req.socket.destroy(), 20);
      });
    case 'never-answers':
      return httpFault(() => {
        // headers never come
      });
    case 'streams-forever':
      return httpFault((req, res) => {
        res.writeHead(200, { 'content-type': 'application/fhir+json' });
        res.write('{"resourceType":"Bundle","type":"searchset","entry":[');
        const timer = setInterval(() => res.write('{"resource":{"resourceType":"Basic","id":"x"}},'), 5);
        req.socket.once('close', () => clearInterval(timer));
      });
    case 'redirect-other-origin':
      if (!redirectTarget) throw new Error('redirect-other-origin needs a target');
      return httpFault((req, res) => {
        res.writeHead(302, { location: `${redirectTarget.base}${(req.url ?? '/').replace(/^\/fhir/, '')}` }).end();
      });
  }
}

async function httpFault(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<FaultServer> {
  const sockets = new Set<net.Socket>();
  let pending = 0;
  const state = { hits: 0, authorizations: [] as Array<string | undefined> };
  const server = http.createServer((req, res) => {
    state.hits++;
    state.authorizations.push(req.headers.authorization);
    pending++;
    let done = false;
    const settle = (): void => {
      if (!done) {
        done = true;
        pending--;
      }
    };
    res.once('finish', settle);
    res.once('close', settle);
    handler(req, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}/fhir`,
    get hits() {
      return state.hits;
    },
    authorizations: state.authorizations,
    pending: () => pending,
    openSockets: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port that was just free and is now closed: connecting is refused. */
async function downServer(): Promise<FaultServer> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return {
    base: `http://127.0.0.1:${port}/fhir`,
    hits: 0,
    authorizations: [],
    pending: () => 0,
    openSockets: () => 0,
    close: async () => undefined,
  };
}

/** Accepts the connection, then resets it (TCP RST) as soon as the request arrives. */
async function resetServer(): Promise<FaultServer> {
  const sockets = new Set<net.Socket>();
  const state = { hits: 0 };
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.once('data', () => {
      state.hits++;
      socket.resetAndDestroy();
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}/fhir`,
    get hits() {
      return state.hits;
    },
    authorizations: [],
    pending: () => 0,
    openSockets: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
