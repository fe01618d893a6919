import type { TestProject } from 'vitest/node';
import { browserSpecsEnabled, ensureWebBuild, startCairn } from './harness.js';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

/** Builds the web app if needed and starts one Cairn server for every spec; stops it afterwards. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!browserSpecsEnabled()) {
    // Every spec skips (the reason is printed); no server is needed.
    project.provide('baseUrl', '');
    return async () => undefined;
  }
  ensureWebBuild();
  const started = Date.now();
  const cairn = await startCairn();
  process.stderr.write(
    `e2e: Cairn is running at ${cairn.url} (ready in ${((Date.now() - started) / 1000).toFixed(1)}s)\n`,
  );
  project.provide('baseUrl', cairn.url);
  return () => cairn.stop();
}
