import { defineConfig } from 'vitest/config';

// Browser tests: the real server (cairn start --demo, fresh data folder) driven by Debian's Chromium.
// One server for the run (started in e2e/global-setup.ts); files run one after another because the
// journeys share it and the machine has two cores.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    environment: 'node',
    globalSetup: ['e2e/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
