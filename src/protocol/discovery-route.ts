import type { RequestHandler } from 'express';
import { audienceFor } from '../auth/audience.js';
import type { CdsAuth } from '../auth/types.js';
import type { DiscoveryDocument } from './discovery-schema.js';

/** GET /cds-services: the discovery document from cds-services.json (validated at start-up). A token is optional
 *  here (the spec's clients send one, monitoring probes may not); when one is sent it must be valid. */
export function discoveryRoute(deps: { services: DiscoveryDocument; auth: CdsAuth; publicBaseUrl: string }): RequestHandler {
  const body = JSON.stringify(deps.services);
  const audience = audienceFor(deps.publicBaseUrl, '/cds-services');
  return async (req, res) => {
    await deps.auth.verify(req.get('authorization'), audience, { required: false });
    res.type('application/json').send(body);
  };
}
