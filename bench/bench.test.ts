import { describe, expect, it } from 'vitest';
import type { BenchResult } from './result.js';
import { round3 } from './result.js';
import { runBenchmarks } from './run.js';

// Runs the real benchmark code at tiny sizes and checks what it prints, never how fast it was.
describe('benchmarks (quick, tiny sizes)', () => {
  it('emits one well-formed result per benchmark, each with a same-run baseline and a target', async () => {
    const emitted: BenchResult[] = [];
    const logs: string[] = [];
    const results = await runBenchmarks({
      quick: true,
      importRows: 40,
      ingestEvents: 300,
      gitCommits: 40,
      samples: 5,
      memory: true,
      onResult: (r) => emitted.push(r),
      log: (line) => logs.push(line),
    });
    expect(emitted).toEqual(results);
    expect(results.map((r) => r.name)).toEqual([
      'people_import_throughput',
      'demo_load_time',
      'startup_to_ready',
      'api_profile_latency_p50',
      'ingest_pipeline_pglite',
      ...(process.env.CAIRN_BENCH_PG_URL || process.env.DATABASE_URL ? ['ingest_pipeline_postgres'] : []),
      'git_import',
      ...(process.env.CAIRN_BENCH_PG_URL || process.env.DATABASE_URL ? ['git_import_postgres'] : []),
      'signals_team_dashboard_p95',
      'signals_org_overview_p95',
      'signals_incremental_update_per_event',
      'signals_event_to_browser_p95',
      'signals_peak_memory_serving',
    ]);
    for (const r of results) {
      const line = JSON.parse(JSON.stringify(r)) as Record<string, unknown>;
      expect(Object.keys(line)).toEqual([
        'name',
        'value',
        'unit',
        'baseline',
        'baseline_name',
        'ratio',
        'target',
        'met',
        'size',
      ]);
      expect(r.value).toBeGreaterThan(0);
      expect(r.baseline).toBeGreaterThan(0);
      // Each figure is rounded to three significant digits, so the ratio agrees within a few percent.
      expect(Math.abs(r.ratio / (r.value / r.baseline) - 1)).toBeLessThan(0.02);
      expect(typeof r.met).toBe('boolean');
      expect(r.target).toMatch(/^(>=|<=|value <) [\d.]+$/);
    }
    expect(results[0]!.size.rows).toBe(40);
    expect(results[1]!.size.people).toBeGreaterThan(100);
    expect(logs.length).toBeGreaterThan(0);
  }, 600_000);

  it('rounds figures to three significant digits', () => {
    expect(round3(1234.5)).toBe(1235);
    expect(round3(0.012345)).toBe(0.0123);
    expect(round3(41.234)).toBe(41.2);
  });
});
