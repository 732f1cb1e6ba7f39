import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { createCdsAuth } from './auth/index.js';
import { createEmbeddedMode } from './embedded/index.js';
import { FeedbackRuntime } from './feedback/runtime.js';
import { loadConfig, type Config } from './config/index.js';
import { logger, setLogLevel } from './log.js';
import { Lifecycle } from './protocol/health.js';

/**
 * Process entry (`npm start`, the Dockerfile's CMD): configuration from the environment → app → listen.
 * SIGTERM/SIGINT drain: /ready turns 503, new connections and new requests are refused, in-flight calls finish,
 * then the process exits 0 (1 if SHUTDOWN_TIMEOUT_MS passes first). A start-up failure prints one line naming
 * the fault and exits 1.
 */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  setLogLevel(config.logLevel);

  const lifecycle = new Lifecycle();
  // The database opens in the background (embedded PGlite takes seconds): cards are served meanwhile, without
  // suppression; /ready is 503 until it is ready. With DATABASE_URL the jti replay store is the shared one.
  const feedback = new FeedbackRuntime(config.storage);
  // The development default (EMBEDDED, off in production): a FHIR server seeded with the scenario patients, the
  // preview page, and a demo issuer that only this process trusts.
  const embedded = config.embedded.enabled
    ? await createEmbeddedMode({ config, previewFhirServers: config.embedded.previewFhirServers }).catch((err: unknown) =>
        fail(`embedded mode: ${err instanceof Error ? err.message : String(err)}`),
      )
    : undefined;
  const auth = createCdsAuth(config.auth, { replayStore: feedback.replayStore, extraIssuers: embedded ? [embedded.issuer] : [] });
  const app = createApp({ config, lifecycle, auth, feedback, ...(embedded ? { embedded } : {}) });
  const server = app.listen(config.port, config.host);
  // A client that stalls while sending must not hold a connection for ever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 20_000;
  // Behind a load balancer the server must not close an idle connection before the balancer does.
  server.keepAliveTimeout = config.keepAliveTimeoutMs;

  // Responses still to be sent: told to close their connection once a drain starts, so that a kept-alive
  // connection does not hold the exit back after its last answer.
  const pending = new Set<ServerResponse>();
  server.on('request', (_req, res: ServerResponse) => {
    pending.add(res);
    res.on('close', () => pending.delete(res));
  });

  server.on('error', (err: NodeJS.ErrnoException) => {
    fail(`cannot listen on ${config.host}:${config.port} (${err.code ?? err.message})`);
  });
  server.on('listening', () => {
    const { port } = server.address() as AddressInfo;
    logger.info('listening', { component: 'server', port });
    if (embedded) logger.info(`preview page: ${config.publicBaseUrl}/  (embedded FHIR server: ${embedded.fhirBaseUrl})`, { component: 'server' });
  });

  const drain = (): void => {
    if (lifecycle.draining) return;
    lifecycle.draining = true;
    logger.info('draining', { component: 'server', phase: 'shutdown' });
    server.close(() => {
      // The embedded database must be closed to keep its data directory consistent.
      void feedback.close().finally(() => {
        logger.info('stopped', { component: 'server', phase: 'shutdown' });
        process.exit(0);
      });
    });
    server.closeIdleConnections();
    for (const res of pending) if (!res.headersSent) res.setHeader('Connection', 'close');
    setTimeout(() => {
      logger.error('shutdown timeout: closing open connections', { component: 'server', phase: 'shutdown' });
      server.closeAllConnections();
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
  };
  process.on('SIGTERM', drain);
  process.on('SIGINT', drain);
  process.on('unhandledRejection', (reason) => {
    logger.error('unhandled rejection', { component: 'server', errorClass: reason instanceof Error ? reason.name : typeof reason });
  });
}

function fail(message: string): never {
  process.stderr.write(`her2-cds: cannot start: ${message.replace(/\s*\n\s*/g, '; ')}\n`);
  process.exit(1);
}

void main();
