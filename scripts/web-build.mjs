// Builds the web app with Vite when dist/web is missing or older than its sources. Shared by
// scripts/start.mjs and scripts/test.mjs (the browser tests need a built app).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUILT = path.join(ROOT, 'dist', 'web', 'index.html');
// The web app imports src/shared too; a dependency update (package-lock.json) can change the bundle.
const SOURCES = ['src/web', 'src/shared', 'vite.config.ts', 'package-lock.json'].map((p) =>
  path.join(ROOT, p),
);

/** Newest modification time (ms) of a file or of anything below a folder; 0 when absent. */
function newest(target) {
  let stat;
  try {
    stat = fs.statSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) latest = Math.max(latest, newest(path.join(target, entry)));
  return latest;
}

/**
 * Returns 'built', 'fresh' (nothing to do) or 'absent' (no web app in this checkout yet).
 * Throws when the build fails.
 */
export function buildWebIfStale(log) {
  if (!fs.existsSync(path.join(ROOT, 'vite.config.ts'))) return 'absent';
  const sources = Math.max(...SOURCES.map(newest));
  const built = newest(BUILT);
  if (built > 0 && built >= sources) return 'fresh';
  log(
    built
      ? 'The web app changed since its last build; rebuilding it with Vite…'
      : 'Building the web app with Vite (first run only)…',
  );
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const started = Date.now();
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`vite build failed (exit code ${result.status ?? result.signal})`);
  log(`Built the web app in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return 'built';
}
