/** The real app (createApp) with the auth built from `env`, as server.ts builds it; log output off. */
import { createApp } from '../../src/app.js';
import { createCdsAuth, type CdsAuthOptions } from '../../src/auth/index.js';
import { loadConfig, type Config } from '../../src/config/index.js';
import { setConsoleOutput } from '../../src/log.js';

export function realApp(env: NodeJS.ProcessEnv, authOptions: CdsAuthOptions = {}): { app: ReturnType<typeof createApp>; config: Config } {
  setConsoleOutput(false);
  const config = loadConfig(env);
  return { app: createApp({ config, auth: createCdsAuth(config.auth, authOptions) }), config };
}

/** A valid patient-view request (the Sandbox's shape) sent to `fhirServer`. */
export function patientViewBody(fhirServer: string): Record<string, unknown> {
  return {
    hookInstance: '5e7d0c1b-8f2a-4c39-b6de-2a91f4c7e0aa',
    hook: 'patient-view',
    fhirServer,
    context: { patientId: 'p-1', userId: 'Practitioner/COREPRACTITIONER1' },
  };
}
