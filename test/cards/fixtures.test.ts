/**
 * The card builder on real interpretations: every scenario bundle in fixtures/ through interpret(), then
 * the cards. Whatever interpret() concludes, the cards keep the never-list, the 140-character rule and the
 * contract, and the summary card's words match the HER2 category.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { interpret } from '../../src/clinical/interpret.js';
import { buildPatientViewCards } from '../../src/cards/build.js';
import { SUMMARY } from '../../src/cards/content.js';
import type { Interpretation } from '../../src/clinical/types.js';
import { violations } from './checks.js';
import { idMaker } from './factory.js';

const dir = path.resolve(__dirname, '../../fixtures');
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
const schema = JSON.parse(
  readFileSync(path.resolve(__dirname, '../../../shared/contract/biomarker-interpretation.schema.json'), 'utf8'),
) as object;
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

function resourcesOf(file: string): unknown[] {
  const json = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { resourceType?: string; entry?: Array<{ resource?: unknown }> };
  return json.resourceType === 'Bundle' ? (json.entry ?? []).map((e) => e.resource) : [json];
}

(files.length > 0 ? test.each(files) : test.skip.each(['(no fixtures)']))('%s', (file) => {
  const i = interpret(resourcesOf(file));
  const cards = buildPatientViewCards({ interpretation: i, problems: [], patientId: 'pat-1', newId: idMaker() });
  const shown = cards[0]!.extension!['biomarker-interpretation'] as Interpretation;
  expect(validate(shown)).toBe(true);
  expect(violations(cards, i)).toEqual([]);
  for (const c of cards) expect(c.summary.length).toBeLessThan(140);
  if (shown.her2.category !== 'unknown') expect(cards[0]!.summary).toContain(SUMMARY.her2Words[shown.her2.category]);
});
