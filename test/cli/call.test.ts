import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { callService } from '../../src/cli/call.js';
import { formatCards } from '../../src/cli/format.js';
import { createEmbeddedFhirServer } from '../../src/embedded/fhir-server.js';
import { ROOT } from '../preview/build.js';
import path from 'node:path';

/** A FHIR server on a loopback port: the embedded one, optionally behind a bearer check, or one that always fails. */
async function fhirServer(mode: 'open' | 'needs-token' | 'always-401' | 'html'): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir/R4`;
  const fhir = await createEmbeddedFhirServer({ fixturesDir: path.join(ROOT, 'fixtures'), baseUrl: url });
  const app = express();
  app.use('/fhir/R4', (req, res, next) => {
    if (mode === 'always-401' || (mode === 'needs-token' && req.get('authorization') !== 'Bearer good-token')) {
      res.status(401).json({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] });
      return;
    }
    if (mode === 'html') {
      res.type('text/html').send('<html>proxy login page</html>');
      return;
    }
    next();
  });
  app.use('/fhir/R4', fhir.router);
  server.on('request', app);
  return { url, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

describe('her2-cds call (in-process pipeline, FHIR fallback)', () => {
  it('prints the cards of a scenario patient readably', async () => {
    const fhir = await fhirServer('open');
    try {
      const { cards, warnings } = await callService({ fhirServer: fhir.url, patient: 'her2-low-mbc-post-chemo', hook: 'patient-view', env: {} });
      expect(warnings).toEqual([]);
      const text = formatCards(cards);
      expect(text).toMatch(/^\[INFO\] HER2-low \(IHC 1\+\) · triple-negative/);
      expect(text).toContain('[INFO] T-DXd candidate (HER2-low)');
      expect(text).toMatch(/Source: ASCO\/CAP HER2 testing guideline 2018 <https:\/\/doi\.org\//);
      expect(text).not.toMatch(/\*\*|####|\\:/); // Markdown markers are gone
    } finally {
      await fhir.close();
    }
  });

  it('lists suggestions and runs the order hooks with a draft order', async () => {
    const fhir = await fhirServer('open');
    try {
      const pv = await callService({ fhirServer: fhir.url, patient: 'her2-ihc2-awaiting-ish', hook: 'patient-view', env: {} });
      expect(formatCards(pv.cards)).toMatch(/→ Suggestion \(recommended\): Order HER2 ISH/);
      // T-DXd drafted for a HER2-0 patient: the order check answers with a card naming T-DXd.
      const sign = await callService({ fhirServer: `${fhir.url}/`, patient: 'her2-zero-mbc', hook: 'order-sign', order: 't-dxd', env: {} });
      expect(sign.cards.length).toBeGreaterThan(0);
      expect(formatCards(sign.cards)).toMatch(/T-DXd|deruxtecan/i);
    } finally {
      await fhir.close();
    }
  });

  it('forwards --token to the FHIR server as the EHR access token', async () => {
    const fhir = await fhirServer('needs-token');
    try {
      const ok = await callService({ fhirServer: fhir.url, patient: 'her2-zero-mbc', token: 'good-token', hook: 'patient-view', env: {} });
      expect(ok.cards[0]?.summary).toMatch(/^HER2-0/);
      await expect(callService({ fhirServer: fhir.url, patient: 'her2-zero-mbc', hook: 'patient-view', env: {} })).rejects.toThrow(
        /refused access to the (patient|biomarkers) \(401\): pass a valid --token/,
      );
    } finally {
      await fhir.close();
    }
  });

  it.each([
    ['an unreachable server', async () => ({ url: 'http://127.0.0.1:9/fhir', close: async () => {} }), /^cannot reach the FHIR server http:\/\/127\.0\.0\.1:9\/fhir/],
    ['a server answering 401', () => fhirServer('always-401'), /refused access to the .* \(401\)/],
    ['a server answering HTML', () => fhirServer('html'), /did not answer with FHIR JSON .*not valid JSON \(text\/html\)/],
  ])('one clear error for %s', async (_name, make, message) => {
    const fhir = await make();
    try {
      await expect(callService({ fhirServer: fhir.url, patient: 'p1', hook: 'patient-view', env: {} })).rejects.toThrow(message);
    } finally {
      await fhir.close();
    }
  });

  it.each([
    [{ fhirServer: 'not a url', patient: 'p' }, /--fhir-server must be an absolute http\(s\) URL/],
    [{ fhirServer: 'ftp://x.org/fhir', patient: 'p' }, /--fhir-server must be an http\(s\)/],
    [{ fhirServer: 'https://x.org/fhir', patient: 'Patient/1' }, /--patient must be a FHIR id/],
    [{ fhirServer: 'https://x.org/fhir', patient: 'p', hook: 'encounter-start' }, /--hook must be one of/],
    [{ fhirServer: 'https://x.org/fhir', patient: 'p', hook: 'order-sign', order: 'aspirin' }, /--order must be one of trastuzumab, t-dxd/],
  ])('refuses bad arguments before any request: %j', async (args, message) => {
    await expect(callService({ hook: 'patient-view', env: {}, ...args })).rejects.toThrow(message);
  });
});
