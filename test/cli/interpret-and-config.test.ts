import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkConfig } from '../../src/cli/check-config.js';
import { formatInterpretation, interpretFile } from '../../src/cli/interpret-file.js';
import { markdownToText } from '../../src/cli/format.js';
import { ROOT } from '../preview/build.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'her2-cds-cli-'));
function write(name: string, text: string): string {
  const file = path.join(tmp, name);
  writeFileSync(file, text);
  return file;
}
const fixture = (name: string) => path.join(ROOT, 'fixtures', `${name}.json`);
const bundle = JSON.parse(readFileSync(fixture('her2-low-mbc-post-chemo'), 'utf8')) as { entry: Array<{ resource: unknown }> };
const resources = bundle.entry.map((e) => e.resource);

describe('her2-cds interpret FILE', () => {
  it.each([
    ['a Bundle', () => fixture('her2-low-mbc-post-chemo')],
    ['a JSON array of resources', () => write('array.json', JSON.stringify(resources))],
    ['NDJSON', () => write('export.ndjson', resources.map((r) => JSON.stringify(r)).join('\n') + '\n')],
  ])('reads %s and gives the same interpretation', async (_name, file) => {
    const i = await interpretFile(file());
    expect(i.her2.category).toBe('low');
    expect(i.subtype).toBe('triple-negative');
    expect(i.eligibility).toContain('t-dxd-her2-low');
    const text = formatInterpretation(i);
    expect(text).toMatch(/^HER2\s+low, IHC 1\+/);
    expect(text).toMatch(/\nSubtype\s+triple-negative\n/);
  });

  it('reads a single resource', async () => {
    const her2 = resources.find((r) => JSON.stringify(r).includes('85319-2'));
    const i = await interpretFile(write('one.json', JSON.stringify(her2)));
    expect(i.her2.category).not.toBe('unknown');
  });

  it.each([
    ['a JSON object that is not FHIR', 'plain.json', '{"name": "x"}', /plain\.json is not FHIR \(it has no resourceType\): expected a FHIR Bundle/],
    ['an array with a non-resource', 'mixed.json', '[{"resourceType":"Patient"}, 3]', /is not FHIR \(item 2 has no resourceType\)/],
    ['text that is neither JSON nor NDJSON', 'notes.txt', 'HER2 1+\nER 90%', /notes\.txt is not FHIR JSON or NDJSON: line 1 is not JSON/],
    ['NDJSON with a line that is not a resource', 'bad.ndjson', '{"resourceType":"Patient"}\n{"a":1}\n', /line 2 has no resourceType/],
    ['an empty file', 'empty.json', '  \n', /empty\.json is empty/],
    ['an empty Bundle', 'empty-bundle.json', '{"resourceType":"Bundle","type":"collection"}', /is not FHIR \(no resources\)/],
  ])('refuses %s with one clear line', async (_name, file, text, message) => {
    await expect(interpretFile(write(file, text))).rejects.toThrow(message);
  });

  it('says when the file is missing', async () => {
    await expect(interpretFile(path.join(tmp, 'nope.json'))).rejects.toThrow(/cannot read .*nope\.json: no such file/);
  });
});

describe('her2-cds check-config', () => {
  it('prints OK and the effective settings without keys', () => {
    const trust = write('trust.json', readFileSync(path.join(ROOT, 'docs/examples', 'trust-sandbox.json'), 'utf8'));
    const out = checkConfig({ PUBLIC_BASE_URL: 'https://cds.example.org', CDS_TRUSTED_ISSUERS: `@${trust}`, PREVIEW_FHIR_SERVERS: 'https://r4.smarthealthit.org' });
    expect(out).toMatch(/^OK: the configuration is valid\./);
    expect(out).toContain('PUBLIC_BASE_URL      https://cds.example.org');
    expect(out).toMatch(/issuer\s+https:\/\/sandbox\.cds-hooks\.org: pinned key set/);
    expect(out).toContain('service            her2-er-pr-patient-view (patient-view)');
    expect(out).toContain('EMBEDDED             on');
    expect(out).toContain('PREVIEW_FHIR_SERVERS https://r4.smarthealthit.org');
    expect(out).not.toMatch(/"x"|"n"|"kid"/); // no key material
  });

  it('reports secrets as set, never their value', () => {
    const secrets = { DATABASE_URL: 'postgres://cds:s3cret-pw@db.internal:5432/cds', PATIENT_HASH_KEY: 'k'.repeat(40), ADMIN_TOKEN: 'admin-token-0123456789' };
    const out = checkConfig(secrets);
    expect(out).toContain('DATABASE_URL         postgres://db.internal:5432/cds (credentials hidden)');
    expect(out).toContain('PATIENT_HASH_KEY     set (hidden)');
    for (const value of ['s3cret-pw', 'kkkkkkkk', 'admin-token-0123456789']) expect(out).not.toContain(value);
  });

  it('warns when no EHR could call the hooks', () => {
    expect(checkConfig({ EMBEDDED: 'off' })).toMatch(/0 issuers\s+\(WARNING: no EHR can call the hooks\)/);
  });

  it.each([
    [{ PORT: 'eighty' }, /^configuration error: PORT/],
    [{ CDS_TRUSTED_ISSUERS: '@/no/such/trust.json' }, /^configuration error: CDS_TRUSTED_ISSUERS \(\/no\/such\/trust\.json\): cannot read the trust file/],
    [{ CDS_TRUSTED_ISSUERS: '[{"iss":"x"}]' }, /^configuration error: CDS_TRUSTED_ISSUERS: .*jku/],
    [{ CDS_AUTH: 'disabled', NODE_ENV: 'production' }, /^configuration error: CDS_AUTH/],
    [{ EMBEDDED: 'sometimes' }, /^configuration error: EMBEDDED/],
  ])('names the fault: %j', (env, message) => {
    expect(() => checkConfig(env as NodeJS.ProcessEnv)).toThrow(message);
  });
});

describe('card detail as terminal text', () => {
  it('drops Markdown markers and the Sources section, keeps the words', () => {
    const md = '#### Classification\n**HER2:** low  \n- lab\\: equivocal &lt; 2\n\n_These cards support judgement._\n\n#### Sources\n1. Wolff AC <https://doi.org/x>';
    expect(markdownToText(md)).toEqual(['Classification:', 'HER2: low', '• lab: equivocal < 2', 'These cards support judgement.']);
  });
});
