import { benchApiLatency, benchDemoLoad } from './demo-and-api.js';
import { benchGitImport, benchIngestPipeline } from './ingest.js';
import { benchPeopleImport } from './people-import.js';
import type { BenchResult, Log } from './result.js';
import { benchSignals } from './signals.js';

export interface BenchOptions {
  quick: boolean;
  /** Override sizes (tests run tiny ones). */
  importRows?: number;
  /** Work-data benchmarks: events through the pipeline, commits in the generated repository. */
  ingestEvents?: number;
  gitCommits?: number;
  samples?: number;
  /** Keep the demo database in memory instead of a temporary data folder. */
  memory?: boolean;
  /**
   * Runs only these groups (`people`, `demo`, `ingest`, `git`, `signals`); all of them when empty.
   * `ingest` is the pipeline throughput, `git` the git import.
   */
  only?: string[];
  /** Called with each result as soon as it is measured. */
  onResult?: (result: BenchResult) => void;
  log?: Log;
}

function pgSize(spec: string | undefined) {
  if (!spec) return null;
  const [people, weeks, eventsPerPersonWeek] = spec.split(',').map(Number);
  if (![people, weeks, eventsPerPersonWeek].every((n) => Number.isInteger(n) && n! > 0))
    throw new Error(`CAIRN_BENCH_SIGNALS_PG must be "people,weeks,events-per-week", not "${spec}"`);
  return { people: people!, weeks: weeks!, eventsPerPersonWeek: eventsPerPersonWeek! };
}

/** Benchmark groups `--only` selects from, in the order they run. */
export const BENCH_GROUPS = ['people', 'demo', 'ingest', 'git', 'signals'];

/** Runs every benchmark (or the `only` groups) in turn; each result is passed to `onResult` and returned. */
export async function runBenchmarks(options: BenchOptions): Promise<BenchResult[]> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const results: BenchResult[] = [];
  const emit = (r: BenchResult) => {
    results.push(r);
    options.onResult?.(r);
  };
  const only = options.only?.length ? new Set(options.only) : null;
  for (const group of only ?? [])
    if (!BENCH_GROUPS.includes(group))
      throw new Error(`unknown benchmark group "${group}" (known: ${BENCH_GROUPS.join(', ')})`);
  const wanted = (group: string) => !only || only.has(group);
  if (wanted('people'))
    emit(await benchPeopleImport(options.importRows ?? (options.quick ? 1000 : 5000), log));
  if (wanted('demo')) {
    const demo = await benchDemoLoad({ memory: options.memory ?? false }, log);
    try {
      emit(demo.result);
      emit(demo.startup);
      emit(await benchApiLatency(demo.database, options.samples ?? (options.quick ? 100 : 500), log));
    } finally {
      await demo.cleanup();
    }
  }
  if (wanted('ingest'))
    for (const r of await benchIngestPipeline(
      options.ingestEvents ?? (options.quick ? 20_000 : 200_000),
      log,
    ))
      emit(r);
  if (wanted('git'))
    for (const r of await benchGitImport(options.gitCommits ?? (options.quick ? 5_000 : 50_000), log))
      emit(r);
  if (!wanted('signals')) return results;
  // The target size: 10,000 people and 10M events on PostgreSQL, 1,000 people and 1M events on
  // PGlite (CAIRN_BENCH_SIGNALS_PG=people,weeks,events-per-week overrides the PostgreSQL size).
  const signalsSize =
    options.importRows !== undefined && options.importRows < 100
      ? { people: 20, weeks: 20, eventsPerPersonWeek: 2, samples: 3, liveSamples: 2 }
      : options.quick
        ? { people: 300, weeks: 26, eventsPerPersonWeek: 5, samples: 30, liveSamples: 5 }
        : {
            people: 1000,
            weeks: 25,
            eventsPerPersonWeek: 40,
            samples: 100,
            liveSamples: 20,
            postgres: pgSize(process.env.CAIRN_BENCH_SIGNALS_PG) ?? {
              people: 10_000,
              weeks: 25,
              eventsPerPersonWeek: 40,
            },
          };
  for (const r of await benchSignals(signalsSize, log)) emit(r);
  return results;
}
