import type { Command } from 'commander';
import { openDatabase } from '../../db/connection.js';
import { migrateToLatest } from '../../db/migrate.js';
import { loadConfig } from '../../server/config.js';
import { withDatabaseOptions } from '../database-options.js';

export function registerMigrateCommand(program: Command): void {
  withDatabaseOptions(program.command('migrate').description('bring the database schema up to date')).action(
    async (opts: { dataDir?: string }) => {
      const config = loadConfig({ dataDir: opts.dataDir });
      const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        const { applied } = await migrateToLatest(database.db);
        process.stdout.write(
          applied.length
            ? `Applied ${applied.length} migration(s): ${applied.join(', ')}\n`
            : 'The schema is up to date.\n',
        );
      } finally {
        await database.close();
      }
    },
  );
}
