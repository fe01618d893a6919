import type { Command } from 'commander';
import { BENCH_GROUPS, runBenchmarks } from '../../../bench/run.js';

/** `cairn bench`: one JSON line per benchmark on stdout, progress on stderr. */
export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description(
      'run the benchmarks: one JSON line each on stdout (figure, same-run baseline, ratio, target)',
    )
    .option('--quick', 'small sizes, for a smoke check')
    .option(
      '--only <groups>',
      `run only these comma-separated groups (${BENCH_GROUPS.join(', ')}); default: all`,
    )
    .action(async (opts: { quick?: boolean; only?: string }) => {
      await runBenchmarks({
        quick: Boolean(opts.quick),
        only: opts.only
          ?.split(',')
          .map((g) => g.trim())
          .filter(Boolean),
        onResult: (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
      });
    });
}
