import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createApp } from '../../src/app.js';
import { createCdsAuth } from '../../src/auth/index.js';
import { loadConfig, type Config } from '../../src/config/index.js';
import { createEmbeddedMode, type EmbeddedMode } from '../../src/embedded/index.js';
import { setConsoleOutput } from '../../src/log.js';

export interface RunningStack {
  baseUrl: string;
  config: Config;
  embedded: EmbeddedMode;
  close(): Promise<void>;
}

/**
 * The real server stack as server.ts wires it, on an ephemeral loopback port: embedded mode (FHIR server,
 * demo issuer, preview page) mounted before the service app, whose auth trusts the demo issuer as an extra
 * issuer. PUBLIC_BASE_URL is the address actually listened on, so the service reaches its embedded FHIR server
 * over HTTP (the real fallback path).
 */
export async function startStack(env: NodeJS.ProcessEnv = {}, previewFhirServers: string[] = []): Promise<RunningStack> {
  setConsoleOutput(false);
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = loadConfig({ ...env, PORT: '0', PUBLIC_BASE_URL: baseUrl });
  const embedded = await createEmbeddedMode({ config, previewFhirServers });
  const auth = createCdsAuth(config.auth, { extraIssuers: [embedded.issuer] });
  const outer = express();
  outer.use(embedded.router);
  outer.use(createApp({ config, auth }));
  server.on('request', outer);
  return {
    baseUrl,
    config,
    embedded,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
