import type { Kysely } from 'kysely';
import type { PgBoss } from 'pg-boss';
import type { Database } from '../db/connection.js';
import type { DB } from '../db/types.js';
import type { Config } from './config.js';

/** What every route plugin receives: the database, the job queue (when running) and the configuration. */
export interface AppContext {
  db: Kysely<DB>;
  database: Database;
  config: Config;
  boss: PgBoss | undefined;
}

export interface RoutePluginOptions {
  ctx: AppContext;
}
