import nock from 'nock';

type Resource = { resourceType: string; id?: string } & Record<string, unknown>;

/** A FHIR server stand-in (nock) holding `resources`: reads by Type/id, and type searches answering every
 *  resource of that type (filters are ignored: the service must not rely on the server to filter). Records the
 *  Authorization header of every request. */
export function fakeEhr(base: string, resources: Resource[]): { requests: Array<{ path: string; authorization?: string }> } {
  const url = new URL(base);
  const prefix = url.pathname.replace(/\/+$/, '');
  const requests: Array<{ path: string; authorization?: string }> = [];
  nock(url.origin)
    .persist()
    .get((path) => path.startsWith(prefix + '/'))
    .reply(function reply(path) {
      const authorization = this.req.headers.authorization as string | undefined;
      requests.push({ path, ...(authorization ? { authorization } : {}) });
      const [rel = '', query] = path.slice(prefix.length + 1).split('?', 2);
      const [type, id] = rel.split('/');
      if (id !== undefined) {
        const found = resources.find((r) => r.resourceType === type && r.id === id);
        return found
          ? [200, found, { 'Content-Type': 'application/fhir+json' }]
          : [404, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] }, { 'Content-Type': 'application/fhir+json' }];
      }
      void query;
      const matches = resources.filter((r) => r.resourceType === type);
      return [
        200,
        { resourceType: 'Bundle', type: 'searchset', total: matches.length, entry: matches.map((resource) => ({ resource })) },
        { 'Content-Type': 'application/fhir+json' },
      ];
    });
  return { requests };
}

/** The resources inside an example request's prefetch (Bundles unwrapped). */
export function prefetchedResources(body: Record<string, unknown>): Resource[] {
  const out: Resource[] = [];
  for (const value of Object.values((body.prefetch ?? {}) as Record<string, unknown>)) {
    if (!value || typeof value !== 'object') continue;
    const resource = value as Resource;
    if (resource.resourceType === 'Bundle') {
      for (const entry of (resource.entry ?? []) as Array<{ resource?: Resource }>) if (entry.resource) out.push(entry.resource);
    } else {
      out.push(resource);
    }
  }
  return out;
}
