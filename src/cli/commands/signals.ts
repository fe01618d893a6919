import type { Command } from 'commander';
import { rebuildSignals } from '../../modules/signals/signals.rollups.js';
import { openConfiguredDatabase, withDatabaseOptions } from '../database-options.js';

interface RebuildOptions {
  dataDir?: string;
  json?: boolean;
}

/** `cairn signals rebuild`: recomputes every rollup from the work data (after a definition changed). */
export function registerSignalsCommands(program: Command): void {
  const signals = program.command('signals').description('signals: rollups behind the merit dashboard');
  withDatabaseOptions(
    signals
      .command('rebuild')
      .description('recompute the person × week and team × week rollups from all work events, from scratch')
      .option('--json', 'print the summary as one JSON line'),
  ).action(async (opts: RebuildOptions) => {
    const { database } = await openConfiguredDatabase(opts);
    try {
      const started = Date.now();
      const result = await rebuildSignals(database.db, {
        onProgress: (p) => {
          if (!opts.json) process.stderr.write(`\r${p.phase}: ${p.done.toLocaleString('en')}   `);
        },
      });
      const durationMs = Date.now() - started;
      if (opts.json) process.stdout.write(`${JSON.stringify({ ...result, durationMs })}\n`);
      else
        process.stdout.write(
          `\nRebuilt the signals from ${result.events} events and ${result.items} items: ${result.rows} rollup rows in ${(durationMs / 1000).toFixed(1)} s.\n`,
        );
    } finally {
      await database.close();
    }
  });
}
