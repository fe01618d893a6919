import type { Command } from 'commander';
import { loadDemoOrganisation, DEMO_PASSWORD } from '../../modules/demo/demo.service.js';
import { openConfiguredDatabase, withDatabaseOptions } from '../database-options.js';

interface DemoOptions {
  dataDir?: string;
  seed?: string;
}

/** `cairn demo`: loads the demo organisation (once) and prints the suggested demo logins. */
export function registerDemoCommand(program: Command): void {
  withDatabaseOptions(
    program
      .command('demo')
      .description('load the demo organisation (about 150 people, with history) and print demo logins')
      .option('--seed <n>', 'seed for the generated organisation (same seed, same people)', '42'),
  ).action(async (opts: DemoOptions) => {
    const seed = Number(opts.seed);
    if (!Number.isInteger(seed) || seed < 0)
      throw new Error(`--seed takes a whole number, got "${opts.seed}"`);
    const { database } = await openConfiguredDatabase(opts);
    try {
      const started = Date.now();
      const result = await loadDemoOrganisation(database.db, {
        seed,
        log: (line) => process.stderr.write(`${line}\n`),
      });
      const lines = [
        result.loaded
          ? `Loaded the demo organisation in ${((Date.now() - started) / 1000).toFixed(1)} s: ${result.people} people, ${result.teams} teams (seed ${result.seed}).`
          : `The demo organisation is already loaded (seed ${result.seed}): ${result.people} people, ${result.teams} teams.`,
        `Demo logins (password "${DEMO_PASSWORD}", while the server runs with --demo):`,
        ...result.logins.map((l) => `  ${l.role.padEnd(20)} ${l.email.padEnd(36)} ${l.name}`),
        'Start the server with: cairn start --demo',
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    } finally {
      await database.close();
    }
  });
}
