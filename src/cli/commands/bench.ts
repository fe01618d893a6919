import type { Command } from 'commander';

/** Benchmark groups `--only` selects from (kept here so `cairn --help` does not load the benchmarks). */
const GROUPS = 'people, demo, ingest, git, signals';

/** `cairn bench`: one JSON line per benchmark on stdout, progress on stderr. */
export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description(
      'run the benchmarks: one JSON line each on stdout (figure, same-run baseline, ratio, target)',
    )
    .option('--quick', 'small sizes, for a smoke check')
    .option('--only <groups>', `run only these comma-separated groups (${GROUPS}); default: all`)
    .action(async (opts: { quick?: boolean; only?: string }) => {
      // Loaded on use: the benchmarks pull in most of the application, which other commands never need.
      const { runBenchmarks } = await import('../../../bench/run.js');
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
