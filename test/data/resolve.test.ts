import { createServer } from 'node:net';
import { Readable } from 'node:stream';
import nock from 'nock';
import { resolvePrefetch, resolveCounts } from '../../src/data/resolve.js';
import {
  BASE, CONTEXT, ORIGIN, PATIENT, PATIENT_VIEW, activeTimers, settledTimers, example, fullPrefetch, ids, input, observation, searchset,
} from './helpers.js';

const OBS_PATH = '/fhir/R4/Observation';

beforeEach(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

/** Prefetch with every key but `key`, so exactly that key must come from the server. */
function prefetchWithout(key: string): Record<string, unknown> {
  const prefetch = fullPrefetch();
  delete prefetch[key];
  return prefetch;
}

describe('prefetch as sent', () => {
  test('a complete prefetch is used as is: no request to the FHIR server', async () => {
    const data = await resolvePrefetch(input({ prefetch: fullPrefetch() }));
    expect(data.fhirCalls).toBe(0);
    expect(data.problems).toEqual([]);
    expect(ids(data.byRole.biomarkers)).toEqual(['Observation/o1']);
    expect(ids(data.byRole.patient)).toEqual(['Patient/p1']);
    expect(ids(data.resources)).toEqual(['Observation/o1', 'Patient/p1']);
    expect(data.unavailable).toBeUndefined();
  });

  test('a null key means "no data" and is not fetched', async () => {
    const scope = nock(ORIGIN).get('/fhir/R4/Condition').query(true).reply(200, searchset([]));
    const data = await resolvePrefetch(input({ prefetch: { ...fullPrefetch(), conditions: null } }));
    expect(scope.isDone()).toBe(false);
    expect(data.fhirCalls).toBe(0);
    expect(data.problems).toEqual([]);
    expect(data.byRole.conditions).toEqual([]);
    expect(resolveCounts(data).nullKeys).toBe(1);
  });

  test('an OperationOutcome in a key is the client\'s failed fetch: fetched again', async () => {
    const scope = nock(ORIGIN).get(OBS_PATH).query(true).reply(200, searchset([observation('o9')]));
    const outcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception' }] };
    const data = await resolvePrefetch(input({ prefetch: { ...fullPrefetch(), biomarkers: outcome } }));
    expect(scope.isDone()).toBe(true);
    expect(data.fhirCalls).toBe(1);
    expect(ids(data.byRole.biomarkers)).toEqual(['Observation/o9']);
    expect(data.problems).toEqual([]);
  });

  test('a prefetched Bundle with an error OperationOutcome entry is fetched again; without a server it is a problem, never a list', async () => {
    const broken = {
      resourceType: 'Bundle', type: 'searchset',
      entry: [
        { resource: observation('o1') },
        { resource: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'too-costly' }] }, search: { mode: 'outcome' } },
      ],
    };
    const scope = nock(ORIGIN).get(OBS_PATH).query(true).reply(200, searchset([observation('o1'), observation('o2')]));
    const refetched = await resolvePrefetch(input({ prefetch: { ...fullPrefetch(), biomarkers: broken } }));
    expect(scope.isDone()).toBe(true);
    expect(ids(refetched.byRole.biomarkers)).toEqual(['Observation/o1', 'Observation/o2']);

    const offline = await resolvePrefetch(input({ fhirServer: undefined, prefetch: { ...fullPrefetch(), conditions: { ...broken, entry: [broken.entry[1]] } } }));
    expect(offline.problems).toEqual([expect.objectContaining({ key: 'conditions', role: 'conditions', kind: 'client-error' })]);
  });

  test('warning OperationOutcome entries (e.g. "parameter ignored") are dropped, the results kept', async () => {
    const warned = searchset([observation('o1')]);
    (warned.entry as unknown[]).push({ resource: { resourceType: 'OperationOutcome', issue: [{ severity: 'warning', code: 'processing' }] }, search: { mode: 'outcome' } });
    const data = await resolvePrefetch(input({ prefetch: { ...fullPrefetch(), biomarkers: warned } }));
    expect(data.fhirCalls).toBe(0);
    expect(data.problems).toEqual([]);
    expect(ids(data.byRole.biomarkers)).toEqual(['Observation/o1']);
  });

  test('junk in the prefetch is dropped and counted; a non-resource value is refetched', async () => {
    const scope = nock(ORIGIN).get('/fhir/R4/Condition').query(true).reply(200, searchset([]));
    const messy = { resourceType: 'Bundle', entry: [{ resource: observation('o1') }, { resource: 'x' }, null, { fullUrl: 'a' }, 7] };
    const data = await resolvePrefetch(input({ prefetch: { ...fullPrefetch(), biomarkers: messy, conditions: 'nothing' } }));
    expect(scope.isDone()).toBe(true);
    expect(ids(data.byRole.biomarkers)).toEqual(['Observation/o1']);
    expect(resolveCounts(data).junkDropped).toBe(5);
    expect(data.problems).toEqual([]);
  });

  test('resources of another patient are dropped and counted', async () => {
    const prefetch = {
      ...fullPrefetch(),
      patient: { resourceType: 'Patient', id: 'someone-else' },
      biomarkers: searchset([
        observation('o1'),
        observation('o2', 'someone-else'),
        { ...observation('o3'), subject: { reference: `${BASE}/Patient/someone-else/_history/2` } } as never,
      ]),
    };
    const data = await resolvePrefetch(input({ prefetch }));
    expect(ids(data.resources)).toEqual(['Observation/o1']);
    expect(resolveCounts(data).otherPatientDropped).toBe(3);
  });

  test('the same resource under two keys appears once in resources', async () => {
    const data = await resolvePrefetch(input({ prefetch: { ...fullPrefetch(), conditions: searchset([observation('o1')]) } }));
    expect(ids(data.resources)).toEqual(['Observation/o1', 'Patient/p1']);
  });
});

describe('fetching absent keys', () => {
  test('an absent key is fetched without Authorization when there is no token (Sandbox)', async () => {
    const scope = nock(ORIGIN, { badheaders: ['authorization'] })
      .get(OBS_PATH)
      .query((q) => q.patient === 'p1' && String(q.code).includes('http://loinc.org|85319-2') && q._count === '100')
      .reply(200, searchset([observation('o5')]));
    const data = await resolvePrefetch(input({ prefetch: prefetchWithout('biomarkers') }));
    expect(scope.isDone()).toBe(true);
    expect(ids(data.byRole.biomarkers)).toEqual(['Observation/o5']);
    expect(data.fhirCalls).toBe(1);
  });

  test('an absent key is fetched with the bearer token when one is given', async () => {
    const scope = nock(ORIGIN, { reqheaders: { authorization: 'Bearer secret-token' } })
      .get('/fhir/R4/Patient/p1')
      .reply(200, PATIENT);
    const data = await resolvePrefetch(input({ accessToken: 'secret-token', prefetch: prefetchWithout('patient') }));
    expect(scope.isDone()).toBe(true);
    expect(ids(data.byRole.patient)).toEqual(['Patient/p1']);
  });

  test('with no prefetch at all every key is fetched, in parallel', async () => {
    // Each answer is held back until all four requests have arrived: if the keys were fetched one after
    // another, the first would never be answered and the call would end in the budget with timeouts.
    let arrived = 0;
    let release!: () => void;
    const allArrived = new Promise<void>((resolve) => { release = resolve; });
    const held = (body: unknown) => async () => {
      if (++arrived === 4) release();
      await allArrived;
      return body;
    };
    nock(ORIGIN)
      .get('/fhir/R4/Patient/p1').reply(200, held(PATIENT))
      .get(OBS_PATH).query(true).reply(200, held(searchset([observation('o1')])))
      .get('/fhir/R4/Condition').query(true).reply(200, held(searchset([])))
      .get('/fhir/R4/MedicationRequest').query(true).reply(200, held(searchset([])));
    const data = await resolvePrefetch(input({ prefetch: undefined }));
    expect(nock.pendingMocks()).toEqual([]);
    expect(data.fhirCalls).toBe(4);
    expect(data.problems).toEqual([]);
    expect(ids(data.resources)).toEqual(['Observation/o1', 'Patient/p1']);
  });

  test('a 404 on a read means "no data"; on a search it is a problem', async () => {
    nock(ORIGIN).get('/fhir/R4/Patient/p1').reply(404, { resourceType: 'OperationOutcome' });
    nock(ORIGIN).get('/fhir/R4/Condition').query(true).reply(404, 'not here');
    const prefetch = fullPrefetch();
    delete prefetch.patient;
    delete prefetch.conditions;
    const data = await resolvePrefetch(input({ prefetch }));
    expect(nock.isDone()).toBe(true);
    expect(data.byRole.patient).toEqual([]);
    expect(data.problems).toEqual([{ key: 'conditions', role: 'conditions', kind: 'fetch-failed', detail: 'FHIR server answered 404' }]);
  });

  test('next pages are followed up to the bound', async () => {
    nock(ORIGIN)
      .get(OBS_PATH).query((q) => q.page === undefined).reply(200, searchset([observation('o1')], `${BASE}/Observation?page=2`))
      .get(OBS_PATH).query({ page: '2' }).reply(200, searchset([observation('o2')], `${BASE}/Observation?page=3`))
      .get(OBS_PATH).query({ page: '3' }).reply(200, searchset([observation('o3')]));
    const data = await resolvePrefetch(input({ maxPages: 2, prefetch: prefetchWithout('biomarkers') }));
    expect(nock.isDone()).toBe(true);
    expect(data.fhirCalls).toBe(3);
    expect(ids(data.byRole.biomarkers)).toEqual(['Observation/o1', 'Observation/o2', 'Observation/o3']);
    expect(data.problems).toEqual([]);
  });

  test('a relative next link is resolved under the FHIR server base', async () => {
    nock(ORIGIN)
      .get(OBS_PATH).query((q) => q.page === undefined).reply(200, searchset([observation('o1')], 'Observation?page=2'))
      .get(OBS_PATH).query({ page: '2' }).reply(200, searchset([observation('o2')]));
    const data = await resolvePrefetch(input({ prefetch: prefetchWithout('biomarkers') }));
    expect(nock.isDone()).toBe(true);
    expect(ids(data.byRole.biomarkers)).toEqual(['Observation/o1', 'Observation/o2']);
  });

  test('more pages than the bound: a partial problem and no resources for that key', async () => {
    nock(ORIGIN)
      .get(OBS_PATH).query((q) => q.page === undefined).reply(200, searchset([observation('o1')], `${BASE}/Observation?page=2`))
      .get(OBS_PATH).query({ page: '2' }).reply(200, searchset([observation('o2')], `${BASE}/Observation?page=3`));
    const page3 = nock(ORIGIN).get(OBS_PATH).query({ page: '3' }).reply(200, searchset([]));
    const data = await resolvePrefetch(input({ maxPages: 1, prefetch: prefetchWithout('biomarkers') }));
    expect(page3.isDone()).toBe(false);
    expect(data.fhirCalls).toBe(2);
    expect(data.byRole.biomarkers).toEqual([]);
    expect(data.problems).toEqual([expect.objectContaining({ key: 'biomarkers', role: 'biomarkers', kind: 'partial' })]);
  });

  test('a prefetched first page with a next link is completed from the server', async () => {
    const scope = nock(ORIGIN).get(OBS_PATH).query({ page: '2' }).reply(200, searchset([observation('o2')]));
    const prefetch = { ...fullPrefetch(), biomarkers: searchset([observation('o1')], `${BASE}/Observation?page=2`) };
    const data = await resolvePrefetch(input({ prefetch }));
    expect(scope.isDone()).toBe(true);
    expect(ids(data.byRole.biomarkers)).toEqual(['Observation/o1', 'Observation/o2']);
  });

  test('a prefetched first page with a next link and no server is partial, not half a list', async () => {
    const prefetch = { ...fullPrefetch(), biomarkers: searchset([observation('o1')], `${BASE}/Observation?page=2`) };
    const data = await resolvePrefetch(input({ fhirServer: undefined, prefetch }));
    expect(data.byRole.biomarkers).toEqual([]);
    expect(data.problems).toEqual([expect.objectContaining({ key: 'biomarkers', kind: 'partial' })]);
    expect(data.unavailable).toBeUndefined();
  });

  test('paging that breaks on page 2 drops page 1 too', async () => {
    nock(ORIGIN)
      .get(OBS_PATH).query((q) => q.page === undefined).reply(200, searchset([observation('o1')], `${BASE}/Observation?page=2`))
      .get(OBS_PATH).query({ page: '2' }).reply(503, 'busy');
    const data = await resolvePrefetch(input({ prefetch: prefetchWithout('biomarkers') }));
    expect(nock.isDone()).toBe(true);
    expect(data.byRole.biomarkers).toEqual([]);
    expect(data.problems).toEqual([{ key: 'biomarkers', role: 'biomarkers', kind: 'partial', detail: 'page 2: FHIR server answered 503' }]);
  });
});

describe('when the FHIR server fails: a problem for that key, never a 412, never partial data', () => {
  const cases: Array<{ name: string; reply: (scope: nock.Interceptor) => nock.Scope; kind: string; detail: RegExp }> = [
    { name: '401', reply: (i) => i.reply(401, { resourceType: 'OperationOutcome' }), kind: 'unauthorized', detail: /401/ },
    { name: '403', reply: (i) => i.reply(403), kind: 'unauthorized', detail: /403/ },
    { name: '500', reply: (i) => i.reply(500, 'oops'), kind: 'fetch-failed', detail: /500/ },
    { name: 'garbage body', reply: (i) => i.reply(200, '\u0000\u0001garbage', { 'content-type': 'application/fhir+json' }), kind: 'invalid-response', detail: /not valid JSON/ },
    { name: 'HTML error page with 200', reply: (i) => i.reply(200, '<html><body>Login</body></html>', { 'content-type': 'text/html' }), kind: 'invalid-response', detail: /text\/html/ },
    { name: 'truncated JSON', reply: (i) => i.reply(200, JSON.stringify(searchset([observation('o1')])).slice(0, 60), { 'content-type': 'application/fhir+json' }), kind: 'invalid-response', detail: /not valid JSON/ },
    { name: 'JSON that is not a FHIR resource', reply: (i) => i.reply(200, [1, 2, 3]), kind: 'invalid-response', detail: /not a FHIR resource/ },
    { name: 'OperationOutcome with 200', reply: (i) => i.reply(200, { resourceType: 'OperationOutcome', issue: [] }), kind: 'fetch-failed', detail: /OperationOutcome/ },
    { name: 'connection reset', reply: (i) => i.replyWithError({ code: 'ECONNRESET' }), kind: 'fetch-failed', detail: /could not be reached/ },
  ];

  test.each(cases)('$name → $kind', async ({ reply, kind, detail }) => {
    reply(nock(ORIGIN).get(OBS_PATH).query(true));
    const data = await resolvePrefetch(input({ prefetch: prefetchWithout('biomarkers') }));
    expect(nock.isDone()).toBe(true);
    expect(data.unavailable).toBeUndefined();
    expect(data.byRole.biomarkers).toEqual([]);
    expect(data.problems).toEqual([{ key: 'biomarkers', role: 'biomarkers', kind, detail: expect.stringMatching(detail) }]);
    expect(JSON.stringify(data.problems)).not.toContain('p1'); // no patient id (URL) in a detail
  });

  test('server down (connection refused) → fetch-failed', async () => {
    const port = await closedPort();
    nock.enableNetConnect('127.0.0.1');
    const data = await resolvePrefetch(input({ fhirServer: `http://127.0.0.1:${port}/fhir`, prefetch: prefetchWithout('biomarkers') }));
    expect(data.fhirCalls).toBe(1);
    expect(data.problems).toEqual([{ key: 'biomarkers', role: 'biomarkers', kind: 'fetch-failed', detail: 'FHIR server could not be reached' }]);
  });

  test('slower than the budget → timeout, returned within the budget, no timer left', async () => {
    const timersBefore = activeTimers();
    nock(ORIGIN).get(OBS_PATH).query(true).delay(10_000).reply(200, searchset([observation('o1')]));
    const started = Date.now();
    const data = await resolvePrefetch(input({ budgetMs: 200, prefetch: prefetchWithout('biomarkers') }));
    expect(Date.now() - started).toBeLessThan(5_000); // far below the 10 s delay; loose so that it never flakes
    expect(data.problems).toEqual([expect.objectContaining({ key: 'biomarkers', kind: 'timeout' })]);
    expect(data.byRole.biomarkers).toEqual([]);
    nock.abortPendingRequests(); // nock's own 10 s delay timer; ours must be gone already
    expect(await settledTimers(timersBefore)).toBeLessThanOrEqual(timersBefore);
  });

  test('after a successful fetch no timer of the budget is left behind', async () => {
    nock(ORIGIN).get(OBS_PATH).query(true).reply(200, searchset([observation('o1')]));
    const timersBefore = activeTimers();
    const data = await resolvePrefetch(input({ budgetMs: 60_000, prefetch: prefetchWithout('biomarkers') }));
    expect(data.problems).toEqual([]);
    // A leaked 60 s budget timer would still be there after the 1 s settling; other libraries' timers are not.
    expect(await settledTimers(timersBefore)).toBeLessThanOrEqual(timersBefore);
  });

  test('a body that streams forever ends in the budget', async () => {
    const endless = new Readable({ read() { setTimeout(() => this.push('{"resourceType":"Bundle","entry":['), 20); } });
    nock(ORIGIN).get(OBS_PATH).query(true).reply(200, () => endless, { 'content-type': 'application/fhir+json' });
    const data = await resolvePrefetch(input({ budgetMs: 300, maxResponseBytes: 100_000_000, prefetch: prefetchWithout('biomarkers') }));
    endless.destroy();
    expect(data.problems).toEqual([expect.objectContaining({ key: 'biomarkers', kind: 'timeout' })]);
  });

  test('a body over the size cap is a problem, not a crash', async () => {
    nock(ORIGIN).get(OBS_PATH).query(true).reply(200, JSON.stringify(searchset(Array.from({ length: 50 }, (_, i) => observation(`o${i}`)))));
    const data = await resolvePrefetch(input({ maxResponseBytes: 1000, prefetch: prefetchWithout('biomarkers') }));
    expect(data.problems).toEqual([{ key: 'biomarkers', role: 'biomarkers', kind: 'invalid-response', detail: 'answer larger than 1000 bytes' }]);
  });

  test('one key failing leaves the others intact', async () => {
    nock(ORIGIN)
      .get('/fhir/R4/Condition').query(true).reply(500)
      .get(OBS_PATH).query(true).reply(200, searchset([observation('o1')]));
    const prefetch = fullPrefetch();
    delete prefetch.conditions;
    delete prefetch.biomarkers;
    const data = await resolvePrefetch(input({ prefetch }));
    expect(ids(data.byRole.biomarkers)).toEqual(['Observation/o1']);
    expect(data.problems).toEqual([expect.objectContaining({ key: 'conditions', role: 'conditions', kind: 'fetch-failed' })]);
  });
});

describe('the bearer token stays on the FHIR server', () => {
  test('a next link to another origin is not followed (token not sent): partial', async () => {
    nock(ORIGIN).get(OBS_PATH).query(true).reply(200, searchset([observation('o1')], 'https://evil.example/fhir/R4/Observation?page=2'));
    const evil = nock('https://evil.example').get(/.*/).reply(200, searchset([]));
    const data = await resolvePrefetch(input({ accessToken: 'secret-token', prefetch: prefetchWithout('biomarkers') }));
    expect(evil.isDone()).toBe(false);
    expect(data.fhirCalls).toBe(1);
    expect(data.byRole.biomarkers).toEqual([]);
    expect(data.problems).toEqual([expect.objectContaining({ key: 'biomarkers', kind: 'partial' })]);
  });

  test('a next link on the same origin but outside the base path is not followed', async () => {
    nock(ORIGIN).get(OBS_PATH).query(true).reply(200, searchset([observation('o1')], `${ORIGIN}/fhir/R4/../../admin/export`));
    const other = nock(ORIGIN).get('/admin/export').reply(200, searchset([]));
    const data = await resolvePrefetch(input({ accessToken: 'secret-token', prefetch: prefetchWithout('biomarkers') }));
    expect(other.isDone()).toBe(false);
    expect(data.problems).toEqual([expect.objectContaining({ kind: 'partial' })]);
  });

  test('a prefetched next link pointing elsewhere is not followed either', async () => {
    const evil = nock('https://evil.example').get(/.*/).reply(200, searchset([]));
    const prefetch = { ...fullPrefetch(), biomarkers: searchset([observation('o1')], 'https://evil.example/steal') };
    const data = await resolvePrefetch(input({ accessToken: 'secret-token', prefetch }));
    expect(evil.isDone()).toBe(false);
    expect(data.fhirCalls).toBe(0);
    expect(data.problems).toEqual([expect.objectContaining({ key: 'biomarkers', kind: 'partial' })]);
  });

  test('a redirect to another origin is not followed (token not leaked)', async () => {
    nock(ORIGIN).get(OBS_PATH).query(true).reply(302, '', { location: 'https://evil.example/collect' });
    const evil = nock('https://evil.example').get(/.*/).reply(200, searchset([]));
    const data = await resolvePrefetch(input({ accessToken: 'secret-token', prefetch: prefetchWithout('biomarkers') }));
    expect(evil.isDone()).toBe(false);
    expect(data.fhirCalls).toBe(1);
    expect(data.problems).toEqual([{ key: 'biomarkers', role: 'biomarkers', kind: 'fetch-failed', detail: 'FHIR server redirected (302); not followed' }]);
  });

  test('a redirect within the FHIR server base is followed', async () => {
    nock(ORIGIN)
      .get(OBS_PATH).query((q) => q.moved === undefined).reply(301, '', { location: `${BASE}/Observation?moved=1` })
      .get(OBS_PATH).query({ moved: '1' }).reply(200, searchset([observation('o1')]));
    const data = await resolvePrefetch(input({ accessToken: 'secret-token', prefetch: prefetchWithout('biomarkers') }));
    expect(nock.isDone()).toBe(true);
    expect(data.fhirCalls).toBe(2);
    expect(ids(data.byRole.biomarkers)).toEqual(['Observation/o1']);
  });

  test('no token, no patient id and no resource content appear in problems or counts', async () => {
    nock(ORIGIN).get(OBS_PATH).query(true).reply(500, 'Bearer secret-token p1');
    const data = await resolvePrefetch(input({ accessToken: 'secret-token', prefetch: prefetchWithout('biomarkers') }));
    const logged = JSON.stringify([data.problems, resolveCounts(data)]);
    expect(logged).not.toMatch(/secret-token|p1|Observation/);
  });
});

describe('412: required data neither prefetched nor fetchable', () => {
  test('no fhirServer and the biomarkers key absent → unavailable, nothing fetched', async () => {
    const data = await resolvePrefetch(input({ fhirServer: undefined, prefetch: prefetchWithout('biomarkers') }));
    expect(data.unavailable).toEqual({ reason: expect.stringContaining('no FHIR server'), keys: ['biomarkers'] });
    expect(data.fhirCalls).toBe(0);
  });

  test('no fhirServer and an OperationOutcome for biomarkers → unavailable', async () => {
    const prefetch = { ...fullPrefetch(), biomarkers: { resourceType: 'OperationOutcome', issue: [{ severity: 'fatal' }] } };
    const data = await resolvePrefetch(input({ fhirServer: undefined, prefetch }));
    expect(data.unavailable?.keys).toEqual(['biomarkers']);
  });

  test('no fhirServer and an optional key absent → fine, with a problem naming what is missing', async () => {
    const data = await resolvePrefetch(input({ fhirServer: undefined, prefetch: prefetchWithout('medications') }));
    expect(data.unavailable).toBeUndefined();
    expect(ids(data.byRole.biomarkers)).toEqual(['Observation/o1']);
    expect(data.problems).toEqual([expect.objectContaining({ key: 'medications', role: 'medications', kind: 'fetch-failed' })]);
  });

  test('a template that cannot be filled (no patientId in context) → unavailable even with a server', async () => {
    const data = await resolvePrefetch(input({ context: { userId: 'Practitioner/u1' }, prefetch: prefetchWithout('biomarkers') }));
    expect(data.unavailable).toEqual({ reason: expect.stringContaining('context value'), keys: ['biomarkers'] });
    expect(data.fhirCalls).toBe(0);
  });

  test('a null biomarkers key is "no data", not 412', async () => {
    const data = await resolvePrefetch(input({ fhirServer: undefined, prefetch: { ...fullPrefetch(), biomarkers: null } }));
    expect(data.unavailable).toBeUndefined();
    expect(data.problems).toEqual([]);
  });
});

describe('the real request examples (prefetch path)', () => {
  interface ExampleRequest {
    context: Record<string, unknown>;
    prefetch?: Record<string, unknown>;
    fhirServer?: string;
    fhirAuthorization?: { access_token?: string };
  }
  const exampleDiscovery = example<{ services: Array<{ id: string; hook: string; prefetch?: Record<string, string> }> }>('discovery-response-example.json');
  const serviceFor = (hook: string) => exampleDiscovery.services.find((s) => s.hook === hook)!;
  const fromExample = (file: string, hook: string) => {
    const request = example<ExampleRequest>(file);
    return input({
      service: serviceFor(hook),
      context: request.context,
      prefetch: request.prefetch,
      fhirServer: request.fhirServer,
      ...(request.fhirAuthorization?.access_token ? { accessToken: request.fhirAuthorization.access_token } : {}),
    });
  };

  test('Sandbox patient-view with prefetch: receptor Observations read without any request', async () => {
    const data = await resolvePrefetch(fromExample('sandbox-patient-view-request.json', 'patient-view'));
    expect(data.fhirCalls).toBe(0);
    expect(data.problems).toEqual([]);
    expect(data.byRole.biomarkers).toHaveLength(3);
    expect(data.byRole.patient).toHaveLength(1);
  });

  test('Sandbox SMART-launched patient-view: same data, token unused because nothing is missing', async () => {
    const data = await resolvePrefetch(fromExample('sandbox-patient-view-request-smart.json', 'patient-view'));
    expect(data.fhirCalls).toBe(0);
    expect(data.byRole.biomarkers).toHaveLength(3);
  });

  test('spec EHR with an empty searchset: "no data", no fetch, no 412', async () => {
    const data = await resolvePrefetch(fromExample('spec-patient-view-request-null-prefetch.json', 'patient-view'));
    expect(data.fhirCalls).toBe(0);
    expect(data.byRole.biomarkers).toEqual([]);
    expect(data.problems).toEqual([]);
    expect(resolveCounts(data).ignoredKeys).toBe(1); // "user": null was not asked for
  });

  test('Sandbox with no prefetch: everything fetched from its open server without a token', async () => {
    const request = example<ExampleRequest>('sandbox-patient-view-request-no-prefetch.json');
    nock(request.fhirServer!, { badheaders: ['authorization'] })
      .get(`/Patient/${String(request.context.patientId)}`).reply(200, { resourceType: 'Patient', id: request.context.patientId })
      .get('/Observation').query(true).reply(200, searchset([observation('x1', String(request.context.patientId))]));
    const data = await resolvePrefetch(fromExample('sandbox-patient-view-request-no-prefetch.json', 'patient-view'));
    expect(nock.isDone()).toBe(true);
    expect(data.fhirCalls).toBe(2);
    expect(data.byRole.biomarkers).toHaveLength(1);
  });

  test('Sandbox order-select: receptor Observations from the prefetch', async () => {
    const data = await resolvePrefetch(fromExample('sandbox-order-select-request.json', 'order-select'));
    expect(data.fhirCalls).toBe(0);
    expect(data.byRole.biomarkers).toHaveLength(1);
  });

  test('Da Vinci CRD order-sign: its collection Bundle was not asked for; receptor data fetched with its token', async () => {
    const request = example<ExampleRequest>('crd-order-sign-request.json');
    const scope = nock(request.fhirServer!, { reqheaders: { authorization: `Bearer ${request.fhirAuthorization!.access_token!}` } })
      .get('/Observation').query(true).reply(200, searchset([]));
    const data = await resolvePrefetch(fromExample('crd-order-sign-request.json', 'order-sign'));
    expect(scope.isDone()).toBe(true);
    expect(data.problems).toEqual([]);
    expect(resolveCounts(data).ignoredKeys).toBe(1);
  });
});

test('our own patient-view templates: roles as documented', async () => {
  const { roleOfTemplate } = await import('../../src/data/roles.js');
  const roles = Object.fromEntries(Object.entries(PATIENT_VIEW.prefetch!).map(([key, t]) => [key, roleOfTemplate(t)]));
  expect(roles).toEqual({ patient: 'patient', biomarkers: 'biomarkers', conditions: 'conditions', medications: 'medications' });
  expect(CONTEXT.patientId).toBe('p1');
});

/** A TCP port nobody listens on: bind, read the port, close. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
