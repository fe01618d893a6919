import type { Command } from 'commander';
import { runBenchmarks } from '../../../bench/run.js';

/** `cairn bench`: one JSON line per benchmark on stdout, progress on stderr. */
export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description(
      'run the benchmarks: one JSON line each on stdout (figure, same-run baseline, ratio, target)',
    )
    .option('--quick', 'small sizes, for a smoke check')
    .option('--only <groups>', 'only these groups: people, demo, ingest, git, signals (comma-separated)')
    .action(async (opts: { quick?: boolean; only?: string }) => {
      await runBenchmarks({
        quick: Boolean(opts.quick),
        ...(opts.only ? { only: opts.only } : {}),
        onResult: (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
      });
    });
}
