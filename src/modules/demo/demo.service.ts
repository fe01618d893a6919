import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';

export interface DemoLogin {
  email: string;
  name: string;
  role: string;
}

export interface DemoLoadResult {
  loaded: boolean;
  people: number;
  teams: number;
  logins: DemoLogin[];
}

/** True once the demo organisation has been loaded into this database. */
export async function isDemoLoaded(db: Kysely<DB>): Promise<boolean> {
  const row = await db.selectFrom('app_setting').select('key').where('key', '=', 'demo').executeTakeFirst();
  return row !== undefined;
}

/** Loads the deterministic demo organisation (no-op when already loaded). */
export async function loadDemoOrganisation(_db: Kysely<DB>): Promise<DemoLoadResult> {
  return { loaded: false, people: 0, teams: 0, logins: [] };
}
