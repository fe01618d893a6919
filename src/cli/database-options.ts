import type { Command } from 'commander';
import { openDatabase, type Database } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import { loadConfig, type Config } from '../server/config.js';

/** Adds --data-dir (and documents DATABASE_URL) to a command that opens the database. */
export function withDatabaseOptions(command: Command): Command {
  return command
    .option('--data-dir <dir>', 'folder of the embedded database (env CAIRN_DATA_DIR; default ./data)')
    .addHelpText(
      'after',
      '\nSet DATABASE_URL=postgres://… to use a PostgreSQL server instead of the embedded database.',
    );
}

/** Opens and migrates the configured database for a one-off command; the caller closes it. */
export async function openConfiguredDatabase(
  opts: { dataDir?: string },
  overrides: Partial<Config> = {},
): Promise<{ database: Database; config: Config }> {
  const config = loadConfig({ dataDir: opts.dataDir, ...overrides });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }
  return { database, config };
}
