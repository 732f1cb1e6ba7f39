import fc from 'fast-check';
import { orderSignWithPrefetch, PATIENT_VIEW_ID, ORDER_SIGN_ID, patientViewFallback, patientViewWithPrefetch } from '../requests.js';

/**
 * fast-check generators of hostile HTTP requests to the service (issue 10, part 2): valid hook requests with
 * 1–3 mutations, raw malformed bodies, absurd Observation values in the prefetch, `__proto__` keys, odd
 * fhirServer URLs, random headers and methods. Only loopback or unparseable fhirServer URLs are ever generated,
 * and the service under test runs with auth on (a pinned test issuer allowing one loopback FHIR server), so no
 * request can send the service anywhere else.
 */

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Which generator made it (for the histogram). */
  kind: string;
  /** Whether to add a valid, fresh JWT for the path (most requests do, so that they reach the hook logic). */
  withToken: boolean;
}

export interface FuzzContext {
  /** The one FHIR server the test issuer may use (a loopback stub). */
  allowedFhirServer: string;
}

const SERVICE_IDS = [PATIENT_VIEW_ID, ORDER_SIGN_ID, 'her2-er-pr-order-select'];

/** Values that break naive code: huge and tiny numbers, numbers as strings, unicode, long strings, deep nesting. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    1e308, -1e308, 5e-324, -0, Number.MAX_SAFE_INTEGER + 2, -1, -2.5, 0, 2 ** 53, 1e21,
    'NaN', 'Infinity', '-Infinity', '1e999', '-0.5', '0x1F', '3+', '<1 %', '', ' ', '\u0000', '\u202e3+',
    'ＨＥＲ２ ３＋', '💥'.repeat(50), 'null', 'undefined', '[object Object]', '__proto__', 'constructor',
    true, false, null, [], {},
  ),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.double(),
  fc.integer(),
  fc.constant('x'.repeat(200_000)),
  fc.nat({ max: 2000 }).map((depth) => deepArray(depth)),
  fc.nat({ max: 600 }).map((depth) => deepObject(depth)),
  fc.constant(JSON.parse('{"__proto__":{"polluted":"yes","isAdmin":true},"constructor":{"prototype":{"polluted":"yes"}}}') as unknown),
  fc.anything({ maxDepth: 3, maxKeys: 5, withBigInt: false, withBoxedValues: false, withMap: false, withSet: false, withTypedArray: false, withSparseArray: false, withDate: false, withNullPrototype: false, withObjectString: false }),
);

function deepArray(depth: number): unknown {
  let v: unknown = [];
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

function deepObject(depth: number): unknown {
  let v: unknown = { resourceType: 'Observation' };
  for (let i = 0; i < depth; i++) v = { resourceType: 'Bundle', entry: [{ resource: v }] };
  return v;
}

/** Observations with absurd values on the biomarker codes (IHC, ISH ratio/counts, ER/PR percent). */
export const absurdObservation: fc.Arbitrary<unknown> = fc.record({
  code: fc.constantFrom('85319-2', '18474-7', '85318-4', '49683-6', '74860-8', '74861-6', '85337-4', '85339-0', '16112-5', '10480-2', '99999-9'),
  value: fc.oneof(
    fc.record({ valueQuantity: fc.record({ value: nastyValue, unit: fc.constantFrom('%', 'ratio', '{ratio}', '', '💥'), comparator: fc.constantFrom('<', '>', '<=', 'ab', undefined) }) }),
    fc.record({ valueString: nastyValue }),
    fc.record({ valueCodeableConcept: fc.record({ text: nastyValue, coding: fc.constantFrom([], [{ system: 'http://snomed.info/sct', code: '10828004' }], [{ code: 42 }], 'junk') }) }),
    fc.record({ valueRatio: fc.record({ numerator: fc.record({ value: nastyValue }), denominator: fc.record({ value: fc.constantFrom(0, -1, 1e-308, 'x') }) }) }),
    fc.record({ component: fc.array(fc.record({ code: fc.constant({ coding: [{ system: 'http://loinc.org', code: '48676-1' }] }), valueQuantity: fc.record({ value: nastyValue }) }), { maxLength: 3 }) }),
  ),
  status: fc.constantFrom('final', 'amended', 'preliminary', 'entered-in-error', 'bogus', 7),
  subject: fc.constantFrom({ reference: 'Patient/her2-low-hr-pos-post-endocrine' }, { reference: 'Patient/someone-else' }, 'Patient/x', null),
  effective: fc.constantFrom('2023-04-14', '9999-99-99', '', 'yesterday', 1e308),
}).map(({ code, value, status, subject, effective }) => ({
  resourceType: 'Observation',
  id: 'fuzz-obs',
  status,
  code: { coding: [{ system: 'http://loinc.org', code }] },
  subject,
  effectiveDateTime: effective,
  ...value,
}));

/** fhirServer values: loopback (the allowed one, with odd paths) or not http(s) at all. Never another host. */
function oddFhirServer(ctx: FuzzContext): fc.Arbitrary<unknown> {
  const allowed = ctx.allowedFhirServer;
  const { origin } = new URL(allowed);
  return fc.constantFrom(
    allowed, `${allowed}/`, `${allowed}/../admin`, `${allowed}/%2e%2e/`, `${allowed}?x=1`, `${allowed}#frag`,
    `${origin}/fhirevil`, `${origin.replace('127.0.0.1', 'localhost')}/fhir`, 'http://127.0.0.1:1/fhir', 'http://[::1]:1/fhir',
    'http://user:pw@127.0.0.1:1/fhir', 'javascript:alert(1)', 'file:///etc/passwd', 'data:,x', 'ftp://127.0.0.1/fhir',
    'http://', 'not a url', '', 'http://127.0.0.1:99999/fhir', 'http://0x7f.1/fhir', `${allowed}/${'a'.repeat(5000)}`, 42, null,
  );
}

/** Every path (as keys) inside a JSON value, up to a depth. */
function paths(value: unknown, prefix: string[] = [], depth = 0, out: string[][] = []): string[][] {
  out.push(prefix);
  if (depth >= 6 || typeof value !== 'object' || value === null) return out;
  for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], depth + 1, out);
  return out;
}

type Mutation = { at: number; op: 'set' | 'delete' | 'proto' | 'junk-resource' | 'absurd-observation' | 'fhir-server'; value: unknown };

/**
 * Sets `parent[key]` as an own data property holding a fresh copy of `value`. A plain assignment would, for the key
 * "__proto__" (which JSON.parse makes an own key), replace the prototype instead; and generated constants are
 * shared instances, so inserting one inside itself made a circular document (found by a 50,000-request run).
 */
function put(parent: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(parent, key, { value: jsonCopy(value), enumerable: true, writable: true, configurable: true });
}

/** A fresh copy of a generated value as it will be sent (JSON), so no shared instance is ever written into. */
function jsonCopy(value: unknown): unknown {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value) ?? 'null') as unknown);
}

function mutate(base: Record<string, unknown>, mutations: Mutation[]): unknown {
  let doc: unknown = structuredClone(base);
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  for (const m of mutations) {
    if ((m.op === 'fhir-server' || m.op === 'absurd-observation' || m.op === 'junk-resource') && !isObject(doc)) continue;
    if (m.op === 'fhir-server') {
      (doc as Record<string, unknown>).fhirServer = m.value;
      continue;
    }
    if (m.op === 'absurd-observation' || m.op === 'junk-resource') {
      const root = doc as Record<string, unknown>;
      if (!isObject(root.prefetch)) root.prefetch = {};
      const prefetch = root.prefetch as Record<string, unknown>;
      const key = ['biomarkers', 'patient', 'conditions', 'medications', 'lvef', 'extra'][m.at % 6] as string;
      prefetch[key] = m.op === 'absurd-observation'
        ? { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: m.value }, { resource: m.value }] }
        : m.value;
      continue;
    }
    const all = paths(doc);
    const target = all[m.at % all.length] ?? [];
    if (target.length === 0) {
      if (m.op === 'set') doc = jsonCopy(m.value);
      continue;
    }
    const parent = target.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], doc) as Record<string, unknown>;
    const key = target[target.length - 1] as string;
    if (m.op === 'delete') delete parent[key];
    else if (m.op === 'set') put(parent, key, m.value);
    else put(parent, key, JSON.parse(`{"__proto__":${JSON.stringify(m.value ?? null) ?? 'null'},"constructor":{"prototype":{"x":1}}}`));
  }
  return doc;
}

const headerName = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);
const headerValue = fc.stringMatching(/^[\x21-\x7e][\x20-\x7e]{0,80}$/);

/** Headers a client may send: random ones plus odd content types, encodings and authorizations. */
const randomHeaders: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    extra: fc.dictionary(headerName.filter((n) => !['content-length', 'transfer-encoding', 'host', 'connection', 'expect', 'upgrade'].includes(n)), headerValue, { maxKeys: 4 }),
    contentType: fc.constantFrom('application/json', 'application/fhir+json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', '*/*', 'application/json; charset=utf-16', undefined),
    contentEncoding: fc.constantFrom(undefined, undefined, undefined, 'gzip', 'br', 'deflate', 'identity', 'x-unknown'),
    authorization: fc.constantFrom(undefined, 'Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'Bearer a.b.c', 'Bearer eyJhbGciOiJub25lIn0.e30.', `Bearer ${'x'.repeat(4000)}`),
  },
  { requiredKeys: ['extra'] },
).map(({ extra, contentType, contentEncoding, authorization }) => ({
  ...extra,
  ...(contentType ? { 'content-type': contentType } : {}),
  ...(contentEncoding ? { 'content-encoding': contentEncoding } : {}),
  ...(authorization ? { authorization } : {}),
}));

/** All request generators, weighted toward mutated hook requests. */
export function fuzzRequest(ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const bases: Array<{ id: string; body: Record<string, unknown> }> = [
    { id: PATIENT_VIEW_ID, body: patientViewWithPrefetch() },
    { id: PATIENT_VIEW_ID, body: patientViewFallback(ctx.allowedFhirServer, 'fuzz-access-token') },
    { id: ORDER_SIGN_ID, body: orderSignWithPrefetch() },
  ];
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    fc.record({ at: fc.nat(), op: fc.constantFrom('set' as const, 'delete' as const, 'proto' as const), value: nastyValue }),
    fc.record({ at: fc.nat(), op: fc.constant('absurd-observation' as const), value: absurdObservation }),
    fc.record({ at: fc.nat(), op: fc.constant('junk-resource' as const), value: fc.oneof(nastyValue, fc.constant({ resourceType: 'Patient', id: 'wrong-type-under-biomarkers' }), fc.constant({ resourceType: 'OperationOutcome', issue: [] })) }),
    fc.record({ at: fc.nat(), op: fc.constant('fhir-server' as const), value: oddFhirServer(ctx) }),
  );
  const jsonHeaders = { 'content-type': 'application/json' };

  const mutated = fc.record({ base: fc.constantFrom(...bases), mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }) })
    .map(({ base, mutations }) => ({ method: 'POST', path: `/cds-services/${base.id}`, headers: jsonHeaders, body: JSON.stringify(mutate(base.body, mutations)), kind: 'mutated-hook', withToken: true }));

  const rawBody = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.constantFrom('{', '{"hook":', '{"hook":"patient-view",}', 'null', '[]', '"x"', '1e999999', '{"a":1e999999}', '\uFEFF{}', '{"hook":"patient-view","context":{"patientId":"a","userId":"Practitioner/1"},"hookInstance":"x"}'),
    fc.nat({ max: 100_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
    fc.nat({ max: 100_000 }).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)),
    fc.constant(`{"hook":"patient-view","pad":"${'x'.repeat(1024 * 1024 + 10)}"}`),
    fc.constantFrom(...bases).map((b) => JSON.stringify(b.body).slice(0, 300)),
  );
  const raw = fc.record({ id: fc.constantFrom(...SERVICE_IDS), body: rawBody, headers: randomHeaders, token: fc.boolean() })
    .map(({ id, body, headers, token }) => ({ method: 'POST', path: `/cds-services/${id}`, headers: { 'content-type': 'application/json', ...headers }, body, kind: 'raw-body', withToken: token }));

  const anyRoute = fc.record({
    method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
    path: fc.oneof(
      fc.constantFrom('/cds-services', '/cds-services/', `/cds-services/${PATIENT_VIEW_ID}`, `/cds-services/${PATIENT_VIEW_ID}/feedback`, '/cds-services/unknown-service',
        '/cds-services/%00', '/cds-services/..%2f..%2fetc%2fpasswd', '/cds-services/%E0%A4%A', '/health', '/ready', '/openapi.json', '/', '/admin/feedback/summary',
        `/cds-services/${'a'.repeat(2000)}`, '/cds-services/__proto__', '/cds-services/constructor', '/cds-services/hasOwnProperty'),
      fc.stringMatching(/^\/[A-Za-z0-9._~%/-]{0,60}$/),
    ),
    headers: randomHeaders,
    body: fc.option(fc.constantFrom(...bases).map((b) => JSON.stringify(b.body)), { nil: undefined }),
    token: fc.boolean(),
  }).map(({ method, path, headers, body, token }) => ({ method, path, headers, ...(body !== undefined && method !== 'GET' && method !== 'HEAD' ? { body } : {}), kind: 'any-route', withToken: token }));

  const wrongTypes = fc.record({
    base: fc.constantFrom(...bases),
    field: fc.constantFrom('hook', 'hookInstance', 'context', 'prefetch', 'fhirServer', 'fhirAuthorization', 'context.patientId', 'context.userId', 'context.draftOrders', 'prefetch.biomarkers', 'fhirAuthorization.access_token', 'fhirAuthorization.expires_in'),
    value: fc.constantFrom(0, -1, 1e308, true, null, [], {}, '', 'x', [[]], { resourceType: 42 }, ['Patient/1']),
  }).map(({ base, field, value }) => {
    const doc = structuredClone(base.body) as Record<string, unknown>;
    const [head, tail] = field.split('.') as [string, string | undefined];
    if (tail === undefined) doc[head] = value;
    else ((doc[head] ??= {}) as Record<string, unknown>)[tail] = value;
    return { method: 'POST', path: `/cds-services/${base.id}`, headers: jsonHeaders, body: JSON.stringify(doc), kind: 'wrong-type', withToken: true };
  });

  return fc.oneof(
    { weight: 5, arbitrary: mutated },
    { weight: 2, arbitrary: wrongTypes },
    { weight: 2, arbitrary: raw },
    { weight: 2, arbitrary: anyRoute },
  );
}
