import type { Command } from 'commander';
import { scanOpportunities } from '../../modules/coaching/opportunities.scan.js';
import { openConfiguredDatabase, withDatabaseOptions } from '../database-options.js';

interface ScanCliOptions {
  dataDir?: string;
  asOf?: string;
  maxPerWeek?: string;
  json?: boolean;
}

/** `cairn coaching scan`: raises coaching opportunities for a day (idempotent; the server runs it daily). */
export function registerCoachingCommands(program: Command): void {
  const coaching = program.command('coaching').description('coaching: opportunities for managers');
  withDatabaseOptions(
    coaching
      .command('scan')
      .description('run every opportunity rule for a day: de-duplicated, rate-limited, delivered to inboxes')
      .option('--as-of <date>', 'the day to scan for, YYYY-MM-DD (default: today, UTC)')
      .option(
        '--max-per-week <n>',
        'new opportunities per manager per week (default 5, CAIRN_COACHING_MAX_PER_WEEK)',
      )
      .option('--json', 'print the summary as one JSON line'),
  ).action(async (opts: ScanCliOptions) => {
    let maxPerWeek: number | undefined;
    if (opts.maxPerWeek !== undefined) {
      maxPerWeek = Number(opts.maxPerWeek);
      if (!Number.isInteger(maxPerWeek) || maxPerWeek < 1 || maxPerWeek > 50)
        throw new Error(`--max-per-week must be a whole number from 1 to 50 (got "${opts.maxPerWeek}")`);
    }
    const { database } = await openConfiguredDatabase(opts);
    try {
      const result = await scanOpportunities(database.db, {
        ...(opts.asOf !== undefined && { asOf: opts.asOf }),
        ...(maxPerWeek !== undefined && { maxPerWeek }),
        onProgress: (p) => {
          if (!opts.json)
            process.stderr.write(`\rrules ${p.done}/${p.total}: ${p.source}                    `);
        },
      });
      if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else {
        process.stderr.write('\n');
        process.stdout.write(
          `Scanned ${result.asOf} for ${result.recipients} managers: ${result.candidates} candidates, ` +
            `${result.created} new, ${result.duplicates} already raised, ${result.suppressed} held back by the weekly limit ` +
            `(${(result.durationMs / 1000).toFixed(1)} s).\n`,
        );
        for (const e of result.errors) process.stderr.write(`source ${e.source} failed: ${e.message}\n`);
      }
      if (result.errors.length) process.exitCode = 1;
    } finally {
      await database.close();
    }
  });
}
