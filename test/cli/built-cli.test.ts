import { spawn, spawnSync } from 'node:child_process';
import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createEmbeddedFhirServer } from '../../src/embedded/fhir-server.js';
import { BUILT, ensureBuilt, ROOT } from '../preview/build.js';

/** The built bin (dist/src/cli/main.js, package.json "bin") run as a user runs it. */
function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  // Asynchronous: a `call` needs this process's event loop free to serve the test FHIR server.
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BUILT.cli, ...args], { cwd: ROOT, env: { PATH: process.env.PATH, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status: number | null) => resolve({ status, stdout, stderr }));
  });
}

beforeAll(() => ensureBuilt(['cli']), 180_000);

describe('built her2-cds command', () => {
  it('starts with a shebang so npm can link it as a bin', () => {
    const head = spawnSync('head', ['-c', '19', BUILT.cli], { encoding: 'utf8' }).stdout;
    expect(head).toBe('#!/usr/bin/env node');
  });

  it('interpret prints the interpretation of a fixture', async () => {
    const r = await run(['interpret', path.join('fixtures', 'her2-zero-mbc.json')]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^HER2\s+zero, IHC 0/);
  });

  it('call prints the cards of a patient on a FHIR server', async () => {
    const server = http.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir/R4`;
    const fhir = await createEmbeddedFhirServer({ fixturesDir: path.join(ROOT, 'fixtures'), baseUrl: url });
    server.on('request', express().use('/fhir/R4', fhir.router));
    try {
      const r = await run(['call', '--fhir-server', url, '--patient', 'her2-pos-mbc']);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^\[(INFO|WARNING)\] HER2-positive/);
      const json = await run(['call', '--fhir-server', url, '--patient', 'her2-pos-mbc', '--json']);
      expect((JSON.parse(json.stdout) as { cards: unknown[] }).cards.length).toBeGreaterThan(0);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it.each([
    [['call', '--fhir-server', 'http://127.0.0.1:9/fhir', '--patient', 'p1'], {}, /^her2-cds: cannot reach the FHIR server http:\/\/127\.0\.0\.1:9\/fhir/],
    [['interpret', 'package.json'], {}, /^her2-cds: package\.json is not FHIR/],
    [['check-config'], { PORT: 'x' }, /^her2-cds: configuration error: PORT/],
  ])('%j fails with one line on stderr and exit code 1', async (args, env, message) => {
    const r = await run(args, env);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('check-config prints OK', async () => {
    const r = await run(['check-config']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^OK: the configuration is valid\./);
  });
});
