import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../src/config/repo-root.js';

export const ROOT = repoRoot();
/** What the browser, CLI and soak tests run: the page's compiled modules, the built CLI, the soak driver. */
export const BUILT = {
  client: path.join(ROOT, 'dist/src/embedded/preview/client/main.js'),
  cli: path.join(ROOT, 'dist/src/cli/main.js'),
  soak: path.join(ROOT, 'dist/bench/soak.js'),
};

/**
 * Builds dist/ once (npx tsc -p tsconfig.build.json, ~10 s) when it is missing or older than a source file.
 * Test files run in parallel workers: a lock directory (mkdir is atomic) makes one of them build while the others
 * wait for it. tsc's exit code is ignored (it still emits when another module has a type error; `npm test` runs
 * the type check); what matters is that the files exist afterwards.
 */
export async function ensureBuilt(needed: ReadonlyArray<keyof typeof BUILT> = ['client', 'cli']): Promise<void> {
  const files = needed.map((k) => BUILT[k]);
  const lock = path.join(ROOT, 'dist', '.test-build.lock');
  mkdirSync(path.dirname(lock), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > 5 * 60_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    if (!isFresh(files)) {
      spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'ignore' });
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  for (const file of files) {
    if (!existsSync(file)) throw new Error(`build did not produce ${path.relative(ROOT, file)}: run "npx tsc -p tsconfig.build.json" to see why`);
  }
}

function isFresh(files: readonly string[]): boolean {
  const built = files.map((f) => statSync(f, { throwIfNoEntry: false })?.mtimeMs ?? 0);
  const oldest = Math.min(...built);
  return oldest > 0 && Math.max(newestSource(path.join(ROOT, 'src')), newestSource(path.join(ROOT, 'bench'))) <= oldest;
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}
