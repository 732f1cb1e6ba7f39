/**
 * Benchmark of the pure core: interpret() on a realistic chart of 50 Observations in several encodings
 * (coded answers, IHC score quantities, ISH ratio/copies, ER/PR percentages, CAP-style text, preliminary
 * and entered-in-error results), side by side with JSON.parse + JSON.stringify of the same chart.
 * The second row gives every free text of the chart its own wording: the reader parses a text repeated
 * within one chart once, so the first row profits from the repeats, the second does not.
 * Run: npm run bench:core
 */
import { performance } from 'node:perf_hooks';
import { interpret } from '../src/clinical/interpret.js';

const LOINC = 'http://loinc.org';
const SCT = 'http://snomed.info/sct';

function obs(i: number, code: string, value: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const year = 2015 + (i % 10);
  return {
    resourceType: 'Observation',
    id: `bench-${i}`,
    status: 'final',
    subject: { reference: 'Patient/bench' },
    effectiveDateTime: `${year}-0${1 + (i % 9)}-1${i % 10}`,
    code: { coding: [{ system: LOINC, code }], text: 'biomarker' },
    specimen: { reference: `Specimen/s${i % 6}` },
    ...value,
    ...extra,
  };
}

function chart(distinctTexts = false): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < 50; i++) {
    switch (i % 10) {
      case 0:
        out.push(obs(i, '85319-2', { valueCodeableConcept: { coding: [{ system: SCT, code: '260385009', display: 'Negative' }] } }));
        break;
      case 1:
        out.push(obs(i, '85319-2', { valueQuantity: { value: 1 }, interpretation: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'NEG' }] }] }));
        break;
      case 2:
        out.push(obs(i, '85318-4', { valueString: distinctTexts ? `${i % 20 === 2 ? 'less than' : 'greater than'} ${(1.5 + i / 100).toFixed(2)}` : i % 20 === 2 ? 'less than 1.8' : 'greater than 2.2' }));
        break;
      case 3:
        out.push(obs(i, '85337-4', { valueQuantity: { value: 5 + i, unit: '%', system: 'http://unitsofmeasure.org', code: '%' } }));
        break;
      case 4:
        out.push(obs(i, '85339-0', { valueCodeableConcept: { coding: [{ system: LOINC, code: 'LA6576-8', display: 'Positive' }] } }));
        break;
      case 5:
        out.push(obs(i, '49683-6', { valueQuantity: { value: 1.5 + (i % 7) / 10 } }));
        break;
      case 6:
        out.push(obs(i, '74860-8', { valueQuantity: { value: 3.2 + (i % 5) } }));
        break;
      case 7:
        out.push(obs(i, '85337-4', { valueCodeableConcept: { coding: [{ system: SCT, code: '10828004', display: 'Positive' }] } }, { status: 'preliminary' }));
        break;
      case 8:
        out.push(obs(i, '16112-5', { valueCodeableConcept: { text: distinctTexts ? `ER positive, ${50 + i}% strong` : 'ER positive, 80% strong' } }));
        break;
      default:
        out.push(obs(i, '85319-2', { valueCodeableConcept: { coding: [{ system: SCT, code: '10828004' }] } }, { status: 'entered-in-error' }));
    }
  }
  return out;
}

function measure(label: string, iterations: number, fn: () => unknown): { label: string; median: number; p95: number; p99: number } {
  for (let i = 0; i < 2000; i++) fn(); // warm-up (JIT)
  const samples = new Float64Array(iterations);
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    fn();
    samples[i] = (performance.now() - t0) * 1000;
  }
  samples.sort();
  const at = (q: number): number => samples[Math.min(iterations - 1, Math.floor(q * iterations))] ?? NaN;
  return { label, median: at(0.5), p95: at(0.95), p99: at(0.99) };
}

const resources = chart();
const distinct = chart(true);
const text = JSON.stringify(resources);
const check = interpret(resources);
const rows = [
  measure('interpret(50 Observations)', 20000, () => interpret(resources)),
  measure('interpret(50, every free text distinct)', 20000, () => interpret(distinct)),
  measure('baseline: JSON.parse + JSON.stringify', 20000, () => JSON.stringify(JSON.parse(text))),
];
console.log(`chart: ${resources.length} Observations, ${text.length} bytes; HER2 ${check.her2.category}, ER ${check.er.category}, PR ${check.pr.category}, ${check.her2.results.length + check.er.results.length + check.pr.results.length} results evaluated`);
console.log(['case'.padEnd(40), 'median µs', '  p95 µs', '  p99 µs'].join(' '));
for (const r of rows) console.log([r.label.padEnd(40), r.median.toFixed(1).padStart(9), r.p95.toFixed(1).padStart(8), r.p99.toFixed(1).padStart(8)].join(' '));
