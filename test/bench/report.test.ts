import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeBenchmarks, writeSoakSection, type BenchRow } from '../../bench/report.js';

const row = (name: string, rps: number, p99: number): BenchRow => ({ name, note: 'n', rps, p50: 1, p99, errors: 0, non2xx: 0, total: rps * 8 });

function run(file: string, rows: BenchRow[]) {
  return writeBenchmarks({
    rows,
    machine: 'test machine',
    node: 'v20',
    date: '2026-12-08T00:00:00Z',
    duration: 8,
    warmup: 2,
    connections: 10,
    storage: 'embedded',
    seconds: 10,
    load: { before: 0, after: 0 },
    file,
  });
}

describe('BENCHMARKS.md writer', () => {
  test('a rerun replaces the figures but keeps the soak section and the hand-written analysis', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'bench-report-')), 'BENCHMARKS.md');
    run(file, [row('B0: first run', 100, 5)]);
    expect(readFileSync(file, 'utf8')).toContain('_No analysis written yet._');
    writeSoakSection(file, 'soak figures 42');
    const analysed = readFileSync(file, 'utf8').replace('_No analysis written yet._', 'main thread 0.9 ms per call');
    writeFileSync(file, analysed);

    run(file, [{ ...row('B0: second run', 200, 4), cpu: { main: 0.374, other: 0.022, client: 0.113 } }]);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('B0: second run');
    expect(text).not.toContain('B0: first run');
    expect(text).toContain('| 0.37 / 0.02 / 0.11 |'); // CPU per call: event loop / other threads / client
    expect(text).toContain('soak figures 42');
    expect(text).toContain('main thread 0.9 ms per call');
    expect(text.match(/analysis:start/g)).toHaveLength(1);
    expect(text.match(/soak:start/g)).toHaveLength(1);
  });
});
