import { spawn } from 'node:child_process';
import { BUILT, ensureBuilt, ROOT } from '../preview/build.js';

/**
 * Issue 10, part 4, the short version in CI: `npm run soak` for 60 s instead of 10 minutes, against the real
 * service process (dist/src/server.js) with its default embedded database on disk: the mixed load (prefetch,
 * fallback, order-sign, feedback, bad requests), memory sampled every 2 s, then the SIGTERM drain. Passes when the
 * soak's own verdict does: no request errs or gets an unexpected status, heap and RSS do not keep growing after
 * warm-up, the in-flight calls are drained. It prints the soak's summary.
 */
const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);

test(`short soak: ${SECONDS} s of mixed load, no errors, memory flat after warm-up, drained on SIGTERM`, async () => {
  await ensureBuilt(['soak']);
  const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [BUILT.soak, '--seconds', String(SECONDS), '--sample', '2', '--no-write'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.stderr.on('data', (d: Buffer) => (text += d.toString()));
    child.once('error', reject);
    child.once('exit', (exit) => resolve({ code: exit, out: text }));
  });
  const at = out.indexOf('Soak run');
  const summary = at >= 0 ? out.slice(at) : '';
  console.log(summary || out.slice(-3000)); // without a summary, the end of the soak's output says why
  expect(summary).toContain('Errors/timeouts: 0. Unexpected statuses: none.');
  expect(summary).toMatch(/Live heap after warm-up .* → flat\./);
  expect(summary).toMatch(/RSS after warm-up: .* → (flat|within the limit but rising)\./);
  expect(summary).toContain('→ drained.');
  expect(summary).toContain('Verdict: PASS.');
  expect(code).toBe(0);
}, (SECONDS + 120) * 1000);
