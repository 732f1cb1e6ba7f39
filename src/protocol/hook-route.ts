import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Bundle, Observation } from 'fhir/r4.js';
import { audienceFor } from '../auth/audience.js';
import type { CdsAuth } from '../auth/types.js';
import { buildPatientViewCards } from '../cards/build.js';
import { linkUnlinkedSources } from '../cards/sources.js';
import type { Card } from '../cards/types.js';
import type { Interpretation } from '../clinical/types.js';
import type { Config } from '../config/index.js';
import type { ResolvedData, ResolveInput } from '../data/resolve.js';
import { checkOrders } from '../orders/index.js';
import type { CdsService, DiscoveryDocument } from './discovery-schema.js';
import { badRequest, HttpError, zodDetails } from './errors.js';
import type { HookFeedback } from './feedback-hook.js';
import { logFields, loggableHookInstance } from './request-log.js';
import { hookRequestSchemas, type HookRequest } from './request-schema.js';

/** What a hook call needs besides the request; injectable so tests can stand in for the FHIR side. */
export interface HookDeps {
  config: Pick<Config, 'publicBaseUrl' | 'fhirTimeBudgetMs' | 'fhirMaxPages' | 'orders'>;
  services: DiscoveryDocument;
  auth: CdsAuth;
  resolvePrefetch: (input: ResolveInput) => Promise<ResolvedData>;
  interpret: (resources: readonly unknown[]) => Interpretation;
  newId?: () => string;
  now?: () => Date;
  /** Suppression and issued-card records (issue 9); absent → cards go out as built, nothing is recorded. */
  feedback?: HookFeedback;
}

const JSON_TYPES = ['application/json', 'application/fhir+json'];

/**
 * POST /cds-services/{id}: the flow of one hook call (../shared/design/ARCHITECTURE.md):
 * service → JWT → request validated for the service's hook → fhirServer allowed → prefetch completed →
 * interpret → cards. Every refusal is a 4xx with a JSON body (protocol/errors.ts); 412 when the biomarker data
 * can be had neither from the prefetch nor from fhirServer.
 */
export function hookRoute(deps: HookDeps): RequestHandler {
  const newId = deps.newId ?? randomUUID;
  const now = deps.now ?? (() => new Date());
  const byId = new Map<string, CdsService[]>();
  for (const service of deps.services.services) byId.set(service.id, [...(byId.get(service.id) ?? []), service]);

  return async (req, res) => {
    const id = String(req.params.id);
    const candidates = byId.get(id);
    if (!candidates) throw new HttpError(404, { error: 'unknown-service', message: 'No CDS service has this id. See GET /cds-services.' });
    const log = logFields(res);
    log.serviceId = id;

    const caller = await deps.auth.verify(req.get('authorization'), audienceFor(deps.config.publicBaseUrl, `/cds-services/${id}`), { required: true });

    if (!req.is(JSON_TYPES)) {
      throw badRequest('unsupported-content-type', 'Send the hook request as JSON (Content-Type: application/json).');
    }
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw badRequest('invalid-request', 'The request body must be a JSON object.');
    }
    const hook = (body as { hook?: unknown }).hook;
    log.hookInstance = loggableHookInstance((body as { hookInstance?: unknown }).hookInstance);
    // The same id may be listed under several hooks; the body's hook picks the entry.
    const service = candidates.find((s) => s.hook === hook);
    if (!service) {
      throw badRequest('hook-mismatch', `Service "${id}" answers ${candidates.map((s) => `"${s.hook}"`).join(', ')}, not ${typeof hook === 'string' ? `"${hook.slice(0, 40)}"` : 'a request without a hook'}.`);
    }
    log.hook = service.hook;
    const parsed = hookRequestSchemas[service.hook].safeParse(body);
    if (!parsed.success) throw badRequest('invalid-request', 'The hook request is not valid CDS Hooks 2.0.', zodDetails(parsed.error));
    const request = parsed.data as HookRequest;

    // CRD sends fhirAuthorization without access_token when nobody is logged in: that is "no token".
    const accessToken = request.fhirAuthorization?.access_token || undefined;
    if (accessToken && !request.fhirServer) {
      throw badRequest('invalid-request', 'fhirServer is required when fhirAuthorization carries an access token.', [
        { path: 'fhirServer', message: 'required with fhirAuthorization' },
      ]);
    }
    if (request.fhirServer) deps.auth.checkFhirServer(caller, request.fhirServer);

    const data = await deps.resolvePrefetch({
      service,
      context: request.context,
      ...(request.prefetch ? { prefetch: request.prefetch } : {}),
      ...(request.fhirServer ? { fhirServer: request.fhirServer } : {}),
      ...(accessToken ? { accessToken } : {}),
      budgetMs: deps.config.fhirTimeBudgetMs,
      maxPages: deps.config.fhirMaxPages,
    });
    log.fhirCalls = data.fhirCalls;
    log.problems = data.problems.length;
    log.observations = data.resources.filter((r) => r.resourceType === 'Observation').length;
    if (data.unavailable) {
      throw new HttpError(412, {
        resourceType: 'OperationOutcome',
        issue: [
          {
            severity: 'error',
            code: 'not-found',
            details: { text: 'The biomarker results were not prefetched and could not be read from the FHIR server.' },
            diagnostics: `${data.unavailable.reason} (prefetch keys: ${data.unavailable.keys.join(', ')})`,
          },
        ],
      });
    }

    const interpretation = deps.interpret(data.resources);
    const patientId = request.context.patientId;
    let cards: Card[];
    if (request.hook === 'patient-view') {
      cards = buildPatientViewCards({ interpretation, problems: data.problems, patientId, newId });
    } else {
      cards = checkOrders({
        hook: request.hook,
        interpretation,
        problems: data.problems,
        patientId,
        // Outline-checked only (the Sandbox omits Bundle.type): the order checks read it defensively.
        draftOrders: request.context.draftOrders as unknown as Bundle,
        ...(request.hook === 'order-select' ? { selections: request.context.selections } : {}),
        lvef: data.byRole.lvef.filter((r): r is Observation => r.resourceType === 'Observation'),
        // Lets medicationReference resolve to a Medication the EHR prefetched outside the draft bundle.
        resources: data.byRole.medications,
        newId,
        now: now(),
        options: deps.config.orders,
      });
    }
    cards = linkUnlinkedSources(cards, `${deps.config.publicBaseUrl.replace(/\/+$/, '')}/sources`);
    if (deps.feedback) {
      // Leaves out what this patient's feedback suppressed and records the cards sent; never throws.
      cards = await deps.feedback.issue({
        serviceId: id,
        ...(request.fhirServer ? { fhirServer: request.fhirServer } : {}),
        patientId,
        biomarkers: data.byRole.biomarkers,
        cards,
      });
    }
    log.cards = cards.length;
    res.json({ cards });
  };
}
