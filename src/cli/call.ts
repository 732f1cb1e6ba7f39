import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../app.js';
import { createCdsAuth } from '../auth/index.js';
import type { Card, DataProblem } from '../cards/types.js';
import { loadConfig } from '../config/index.js';
import { resolvePrefetch, type ResolvedData, type ResolveInput } from '../data/resolve.js';
import { createDemoIssuer } from '../embedded/demo-issuer.js';
import { draftOrderByKey, DRAFT_ORDERS } from '../embedded/preview/client/draft-orders.js';
import { buildHookRequest, type HookName } from '../embedded/preview/client/hook-request.js';
import { setConsoleOutput } from '../log.js';
import { CliError } from './errors.js';

export interface CallOptions {
  fhirServer: string;
  patient: string;
  /** Access token for the FHIR server (sent as fhirAuthorization, as an EHR does). */
  token?: string;
  hook: string;
  /** Order hooks: key of a draft order (DRAFT_ORDERS); default trastuzumab. */
  order?: string;
  /** The service's settings (FHIR_TIME_BUDGET_MS, CDS_SERVICES_FILE, …) come from here; trust settings do not. */
  env: NodeJS.ProcessEnv;
}

export interface CallResult {
  cards: Card[];
  /** What the data layer could not read (other than the biomarkers, which make the call fail). */
  warnings: DataProblem[];
}

const HOOKS: readonly HookName[] = ['patient-view', 'order-select', 'order-sign'];

/** Settings the CLI takes from the environment; auth and CORS are its own (a local demo issuer). */
const PASSED_ON = ['CDS_SERVICES_FILE', 'FHIR_TIME_BUDGET_MS', 'FHIR_MAX_PAGES', 'CDS_QUIET_WHEN_CONSISTENT', 'LVEF_WINDOW_DAYS', 'CDS_ALGORITHMS'];

/** Roles whose failure leaves nothing to conclude: the call fails with a one-line error. */
const FATAL_ROLES = new Set<DataProblem['role']>(['biomarkers', 'patient']);

/**
 * `her2-cds call`: runs the real pipeline in this process. The service app listens on a loopback port, the hook
 * request is built as an EHR builds it (no prefetch, so the service reads the FHIR server itself) and signed by a
 * demo issuer that allows exactly the given FHIR server, then sent over HTTP. Unreachable servers, 401/403 and
 * answers that are not FHIR come back from the data layer as problems and are turned into CliErrors here.
 */
export async function callService(opts: CallOptions): Promise<CallResult> {
  const fhirServer = checkFhirServer(opts.fhirServer);
  if (!/^[A-Za-z0-9.-]{1,64}$/.test(opts.patient)) throw new CliError(`--patient must be a FHIR id (1-64 letters, digits, "-" or "."), got "${opts.patient}"`);
  if (!(HOOKS as readonly string[]).includes(opts.hook)) throw new CliError(`--hook must be one of ${HOOKS.join(', ')}, got "${opts.hook}"`);
  const hook = opts.hook as HookName;
  const order = hook === 'patient-view' ? undefined : draftOrderByKey(opts.order ?? 'trastuzumab');
  if (hook !== 'patient-view' && !order) throw new CliError(`--order must be one of ${DRAFT_ORDERS.map((d) => d.key).join(', ')}, got "${opts.order ?? ''}"`);

  setConsoleOutput(false); // the request log would mix with the cards on stdout
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const env: NodeJS.ProcessEnv = { PORT: '0', PUBLIC_BASE_URL: base, CDS_AUTH: 'enabled', LOG_LEVEL: 'silent' };
    for (const key of PASSED_ON) if (opts.env[key] !== undefined) env[key] = opts.env[key];
    let config;
    try {
      config = loadConfig(env);
    } catch (err) {
      throw new CliError(`configuration error: ${(err as Error).message}`);
    }
    const service = config.services.services.find((s) => s.hook === hook);
    if (!service) throw new CliError(`no service answers ${hook} in ${config.servicesFile}`);

    const demo = await createDemoIssuer({
      publicBaseUrl: base,
      serviceIds: [service.id],
      fhirServers: [fhirServer],
      algorithms: config.auth.algorithms,
    });
    let resolved: ResolvedData | undefined;
    const capture = async (input: ResolveInput): Promise<ResolvedData> => (resolved = await resolvePrefetch(input));
    const app = createApp({ config, auth: createCdsAuth(config.auth, { extraIssuers: [demo.issuer] }), resolvePrefetch: capture });
    server.on('request', app);

    const body = buildHookRequest({
      hook,
      hookInstance: randomUUID(),
      fhirServer,
      patientId: opts.patient,
      today: new Date().toISOString().slice(0, 10),
      ...(opts.token ? { fhirAccessToken: opts.token } : {}),
      ...(order ? { order } : {}),
    });
    const token = (await demo.signFor(service.id)) as string;
    const res = await fetch(`${base}/cds-services/${encodeURIComponent(service.id)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    const answer = (await res.json().catch(() => ({}))) as { cards?: Card[]; message?: string; issue?: Array<{ diagnostics?: string }> };

    const problems = resolved?.problems ?? [];
    const fatal = problems.find((p) => FATAL_ROLES.has(p.role));
    if (fatal) throw new CliError(explainProblem(fatal, fhirServer));
    if (res.status === 412) throw new CliError(`cannot read the biomarker results from ${fhirServer}: ${answer.issue?.[0]?.diagnostics ?? 'unavailable'}`);
    if (!res.ok) throw new CliError(`the service answered ${res.status}: ${answer.message ?? 'no message'}`);
    return { cards: answer.cards ?? [], warnings: problems };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** One clear line per kind of failure, naming the server (never the token or the patient data). */
export function explainProblem(problem: DataProblem, fhirServer: string): string {
  switch (problem.kind) {
    case 'unauthorized':
      return `${fhirServer} refused access to the ${problem.role} (${/\d{3}/.exec(problem.detail)?.[0] ?? problem.detail}): pass a valid --token`;
    case 'timeout':
      return `${fhirServer} did not answer within the time budget (FHIR_TIME_BUDGET_MS) while reading the ${problem.role}`;
    case 'invalid-response':
      return `${fhirServer} did not answer with FHIR JSON while reading the ${problem.role}: ${problem.detail}`;
    default:
      if (/could not be reached/.test(problem.detail)) return `cannot reach the FHIR server ${fhirServer} (is the URL right and the server up?)`;
      return `cannot read the ${problem.role} from ${fhirServer}: ${problem.detail}`;
  }
}

function checkFhirServer(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(`--fhir-server must be an absolute http(s) URL, got "${raw}"`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.search || url.hash) {
    throw new CliError(`--fhir-server must be an http(s) FHIR base URL without credentials, query or fragment, got "${raw}"`);
  }
  return url.href.replace(/\/+$/, '');
}
