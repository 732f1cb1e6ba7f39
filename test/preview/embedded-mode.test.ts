import { startStack, type RunningStack } from './stack.js';

const SERVICE = 'her2-er-pr-patient-view';
let stack: RunningStack;

beforeAll(async () => {
  stack = await startStack({}, ['https://r4.smarthealthit.org']);
});
afterAll(() => stack.close());

async function token(serviceId = SERVICE): Promise<string> {
  const res = await fetch(`${stack.baseUrl}/preview/api/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ serviceId }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

async function callHook(patientId: string, fhirServer = stack.embedded.fhirBaseUrl) {
  const res = await fetch(`${stack.baseUrl}/cds-services/${SERVICE}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await token()}` },
    body: JSON.stringify({ hookInstance: crypto.randomUUID(), hook: 'patient-view', fhirServer, context: { userId: 'Practitioner/p', patientId } }),
  });
  return { status: res.status, body: (await res.json()) as { cards?: Array<Record<string, unknown>>; message?: string } };
}

describe('embedded mode mounted before the service app', () => {
  it('serves the preview page with a CSP that allows no inline or foreign script', async () => {
    const res = await fetch(`${stack.baseUrl}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await res.text();
    expect(html).toContain('<script type="module" src="/preview/client/main.js">');
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
    expect((await fetch(`${stack.baseUrl}/preview/static/preview.css`)).status).toBe(200);
  });

  it('serves only compiled page modules by name', async () => {
    for (const bad of ['..%2F..%2Fpackage.json', 'main.js.map', 'main.d.ts', 'Main.js']) {
      expect((await fetch(`${stack.baseUrl}/preview/client/${bad}`)).status).toBe(404);
    }
  });

  it('lists the scenario patients and the FHIR servers the page may use', async () => {
    const info = (await (await fetch(`${stack.baseUrl}/preview/api/scenarios`)).json()) as Record<string, unknown>;
    expect(info.fhirServer).toBe(`${stack.baseUrl}/fhir/R4`);
    expect(info.otherFhirServers).toEqual(['https://r4.smarthealthit.org']);
    const scenarios = info.scenarios as Array<{ id: string; title: string }>;
    expect(scenarios.map((s) => s.id)).toEqual(expect.arrayContaining(['her2-ihc2-awaiting-ish', 'her2-low-mbc-post-chemo', 'her2-ultralow-tnbc']));
    expect(scenarios.every((s) => s.title.length > 0)).toBe(true);
  });

  it('serves the embedded FHIR server at /fhir/R4', async () => {
    const res = await fetch(`${stack.baseUrl}/fhir/R4/Patient/her2-zero-mbc`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { resourceType: string }).resourceType).toBe('Patient');
  });

  it('gives tokens only as JSON and only for our services', async () => {
    const text = await fetch(`${stack.baseUrl}/preview/api/token`, { method: 'POST', body: `{"serviceId":"${SERVICE}"}` });
    expect(text.status).toBe(415);
    const unknown = await fetch(`${stack.baseUrl}/preview/api/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ serviceId: 'https://evil.example/cds-services/x' }),
    });
    expect(unknown.status).toBe(400);
  });

  it.each(['cross-site', 'same-site'])('refuses a token to a browser request from another site (Sec-Fetch-Site: %s)', async (site) => {
    const res = await fetch(`${stack.baseUrl}/preview/api/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Sec-Fetch-Site': site, Origin: 'https://evil.example' },
      body: JSON.stringify({ serviceId: SERVICE }),
    });
    expect(res.status).toBe(403);
    expect(await res.text()).not.toMatch(/eyJ/);
  });

  it('runs a signed patient-view call through the FHIR fallback against the embedded server', async () => {
    const { status, body } = await callHook('her2-ihc2-awaiting-ish');
    expect(status).toBe(200);
    const [summary, ...rest] = body.cards ?? [];
    expect(summary).toMatchObject({ indicator: 'warning' });
    expect(String(summary?.summary)).toContain('HER2 unresolved (IHC 2+, ISH pending)');
    expect((summary?.extension as Record<string, { her2: { category: string } }>)['biomarker-interpretation']?.her2.category).toBe('equivocal');
    const labels = rest.flatMap((c) => ((c.suggestions as Array<{ label: string }> | undefined) ?? []).map((s) => s.label));
    expect(labels.some((l) => /ISH/.test(l))).toBe(true);
  });

  it('refuses a demo token for a FHIR server outside the embedded one and PREVIEW_FHIR_SERVERS', async () => {
    const { status, body } = await callHook('x', 'https://hapi.fhir.org/baseR4');
    expect(status).toBe(403);
    expect(body.message).toMatch(/fhirServer|FHIR server/i);
  });

  it('leaves unknown paths to the service app (JSON 404)', async () => {
    const res = await fetch(`${stack.baseUrl}/no-such-path`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/json/);
  });
});
