import fs from 'node:fs/promises';
import path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { importPeople } from '../../modules/org/org.import.js';
import { openConfiguredDatabase, withDatabaseOptions } from '../database-options.js';
import { registerRemoteImportCommands } from './import-remote.js';
import { registerWorkImportCommands } from './import-work.js';

const PROGRESS_THRESHOLD_ROWS = 200;

async function readCsv(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a folder, not a file'
          : code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message;
    throw new Error(`Cannot read ${file}: ${why}.`, { cause: error });
  }
}

/** `cairn import …`: people from CSV now; work-data connectors add their own subcommands. */
export function registerImportCommands(program: Command): void {
  const command = program.command('import').description('import data into Cairn');
  registerWorkImportCommands(command);
  registerRemoteImportCommands(command);
  withDatabaseOptions(
    command
      .command('people')
      .description(
        'create or update people, teams and reporting lines from an HRIS export (see docs/import-people.md)',
      )
      .argument('<file>', 'CSV file with a header row')
      .option('--dry-run', 'check the file and report what would change, without writing anything'),
  ).action(async (file: string, opts: { dryRun?: boolean; dataDir?: string }) => {
    const csv = await readCsv(file);
    const { database } = await openConfiguredDatabase(opts);
    const lines = csv.split('\n').length;
    const bar =
      lines > PROGRESS_THRESHOLD_ROWS
        ? new SingleBar(
            { stream: process.stderr, format: 'people {bar} {value}/{total}' },
            Presets.shades_classic,
          )
        : undefined;
    let started = false;
    try {
      const report = await importPeople(
        database.db,
        { csv },
        {
          dryRun: opts.dryRun ?? false,
          source: 'cli',
          actorAccountId: null,
          onProgress: (done, total) => {
            if (!bar) return;
            if (!started) {
              bar.start(total, 0);
              started = true;
            }
            bar.update(done);
          },
        },
      );
      if (started) bar?.stop();
      const name = path.basename(file);
      if (report.errors.length) {
        for (const e of report.errors) {
          process.stderr.write(
            `${name} line ${e.line}${e.column ? `, column ${e.column}` : ''}: ${e.message}\n`,
          );
        }
        process.stderr.write(
          `${report.errors.length} problem${report.errors.length === 1 ? '' : 's'} in ${name}; nothing was imported.\n`,
        );
        process.exitCode = 1;
        return;
      }
      process.stdout.write(
        `${report.dryRun ? 'Dry run (nothing written): would import' : 'Imported'} ${report.rows} rows from ${name}: ` +
          `${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged; ` +
          `${report.teamsCreated} teams created; reporting lines ${report.reportingLinesOpened} opened, ` +
          `${report.reportingLinesClosed} closed.\n`,
      );
    } finally {
      if (started) bar?.stop();
      await database.close();
    }
  });
}
