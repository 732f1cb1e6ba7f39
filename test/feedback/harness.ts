/** Feedback test fixtures: both database engines, a FeedbackRuntime on them, and an app whose FHIR side is a
 *  stand-in holding one patient's biomarker Observations (so a test can add or amend a result). */
import type { Observation, Resource } from 'fhir/r4.js';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import type { Her2Category } from '../../src/clinical/types.js';
import { loadConfig, type Config } from '../../src/config/index.js';
import type { ResolvedData } from '../../src/data/resolve.js';
import { FeedbackRuntime } from '../../src/feedback/runtime.js';
import { setConsoleOutput } from '../../src/log.js';
import { openDb, type Db } from '../../src/storage/db.js';
import { exampleRequest, interpretation } from '../orders/helpers.js';
import { createThrowawayDb, pgReachable, requirePg } from '../storage/pg-server.js';

export interface Engine {
  name: string;
  open: () => Promise<{ db: Db; url?: string; drop: () => Promise<void> }>;
}

export const ENGINES: Engine[] = [
  {
    name: 'embedded PGlite',
    open: async () => ({ db: await openDb({ dataDir: 'memory://' }), drop: async () => undefined }),
  },
  {
    name: 'real PostgreSQL',
    open: async () => {
      const reachable = await pgReachable();
      requirePg(reachable);
      if (!reachable) throw new Error('PostgreSQL not reachable (set TEST_DATABASE_URL or start the server)');
      const tmp = await createThrowawayDb('her2cds_feedback');
      return { db: await openDb({ databaseUrl: tmp.url, dataDir: 'unused' }), url: tmp.url, drop: tmp.drop };
    },
  },
];

export const KEY = 'test-patient-hash-key-0123456789abcdef';

export function feedbackConfig(env: NodeJS.ProcessEnv = {}): Config {
  return loadConfig({ CDS_AUTH: 'disabled', PATIENT_HASH_KEY: KEY, DATA_DIR: 'memory://', ...env });
}

/** A runtime over an already open database (closing the runtime closes it). */
export async function runtimeOn(db: Db, config: Config = feedbackConfig()): Promise<FeedbackRuntime> {
  const runtime = new FeedbackRuntime(config.storage, { open: async () => db, retryEveryMs: 60_000 });
  await runtime.started;
  return runtime;
}

/** One patient's chart as the FHIR stand-in serves it. */
export class Chart {
  her2: Her2Category = 'positive';
  biomarkers: Observation[] = [
    { resourceType: 'Observation', id: 'her2-ihc-1', meta: { versionId: '1' }, status: 'final', code: { text: 'HER2 IHC' }, valueString: '3+' },
  ];
  /** A new result arrives (e.g. the pending ISH). */
  addResult(id: string): void {
    this.biomarkers.push({ resourceType: 'Observation', id, meta: { versionId: '1' }, status: 'final', code: { text: 'HER2 ISH' }, valueString: 'amplified' });
  }
  /** The lab amends an existing result (new version). */
  amend(id: string): void {
    const obs = this.biomarkers.find((o) => o.id === id);
    if (!obs) throw new Error(`no ${id}`);
    obs.meta = { versionId: String(Number(obs.meta?.versionId ?? '1') + 1) };
    obs.status = 'amended';
  }
}

export function resolvedFrom(chart: Chart): ResolvedData {
  const biomarkers = chart.biomarkers.map((o) => structuredClone(o)) as Resource[];
  return {
    byRole: { patient: [], biomarkers, conditions: [], medications: [], lvef: [], other: [] },
    resources: biomarkers,
    problems: [],
    fhirCalls: 0,
    counts: { keys: 1, prefetched: 1, nullKeys: 0, fetched: 0 } as ResolvedData['counts'],
  };
}

/** The real app over a chart stand-in; interpretation from the chart's HER2 state (order-check fixtures). */
export function appFor(chart: Chart, runtime: FeedbackRuntime | undefined, config: Config = feedbackConfig()) {
  setConsoleOutput(false);
  return createApp({
    config,
    ...(runtime ? { feedback: runtime } : {}),
    resolvePrefetch: async () => resolvedFrom(chart),
    interpret: () => interpretation({ her2: chart.her2, er: 'positive', erPercent: 90, pr: 'positive' }),
  });
}

export const ORDER_SELECT = 'her2-er-pr-order-select';

/** The Sandbox's order-select request (trastuzumab draft order) for patient `patientId`. */
export function orderSelectBody(patientId = 'patient-a'): Record<string, unknown> {
  const body = exampleRequest('order-select') as unknown as Record<string, unknown> & { context: { patientId: string } };
  body.context.patientId = patientId;
  delete body.prefetch;
  return body;
}

export interface SentCard {
  uuid: string;
  summary: string;
  indicator: string;
  extension?: Record<string, unknown>;
  suggestions?: Array<{ uuid?: string; label: string; actions?: Array<{ resource?: { code?: { coding?: Array<{ code?: string }> } } }> }>;
}

export function kindOf(card: SentCard): string {
  const tag = card.extension?.['org.her2-cds.card-kind'];
  if (typeof tag === 'string') return tag;
  const oc = card.extension?.['order-check'] as { kind?: string } | undefined;
  return oc?.kind ? `order/${oc.kind}` : 'summary';
}

export async function callHook(app: ReturnType<typeof createApp>, body: Record<string, unknown> = orderSelectBody()): Promise<SentCard[]> {
  const res = await request(app).post(`/cds-services/${ORDER_SELECT}`).send(body).expect(200);
  return (res.body as { cards: SentCard[] }).cards;
}

export function feedbackBody(card: string, item: Record<string, unknown>): Record<string, unknown> {
  return { feedback: [{ card, outcomeTimestamp: new Date().toISOString(), ...item }] };
}

export const REASON_SYSTEM = 'http://her2-cds.local/CodeSystem/override-reason';
export const overridden = (code: string, system = REASON_SYSTEM) => ({ outcome: 'overridden', overrideReason: { reason: { system, code } } });
