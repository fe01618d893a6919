import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { AppError } from '../../shared/app-error.js';
import { insertDemoAccounts } from '../accounts/accounts.service.js';
import { seedDemoConversations } from '../conversations/conversations.demo.js';
import { seedDemoGoals } from '../goals/goals.demo.js';
import { seedDemoOpportunities } from '../coaching/opportunities.demo.js';
import { importPeople, type PersonRecord } from '../org/org.import.js';
import { seedDemoProfiles } from '../profiles/profiles.demo.js';
import {
  DEFAULT_DEMO_SEED,
  generateDemoOrganisation,
  type DemoLogin,
  type DemoOrganisation,
} from './demo.generator.js';
import { seedDemoWork } from '../ingest/demo-work/demo-work.service.js';
import { DEMO_COMPANY } from './demo.structure.js';

export type { DemoLogin } from './demo.generator.js';

/** The demo password every demo account signs in with (demo mode only). */
export const DEMO_PASSWORD = 'demo';

const DEMO_SETTING = 'demo';
/** Present while a load is under way; lets an interrupted load resume with the same seed and day. */
const LOADING_SETTING = 'demo.loading';

type Stage = 'started' | 'history' | 'current';

interface LoadingState {
  seed: number;
  referenceDate: string;
  stage: Stage;
}

export interface DemoLoadResult {
  /** True when this call loaded the organisation; false when it was already there. */
  loaded: boolean;
  seed: number;
  people: number;
  teams: number;
  logins: DemoLogin[];
}

export interface DemoLoadOptions {
  seed?: number;
  /** The day the demo data counts back from (default: today, UTC). */
  referenceDate?: string;
  log?: (line: string) => void;
}

/** True once the demo organisation has been loaded into this database. */
export async function isDemoLoaded(db: Kysely<DB>): Promise<boolean> {
  const row = await db
    .selectFrom('app_setting')
    .select('key')
    .where('key', '=', DEMO_SETTING)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Loads the deterministic demo organisation through the org module's people import (an older export,
 * then today's, so reporting history exists), then demo accounts with roles. A no-op when already
 * loaded; refuses a database that holds other people.
 */
export async function loadDemoOrganisation(
  db: Kysely<DB>,
  options: DemoLoadOptions = {},
): Promise<DemoLoadResult> {
  const log = options.log ?? (() => undefined);
  const done = await readSetting(db, DEMO_SETTING);
  if (done) {
    await seedDemoWork(db, { seed: Number(done.seed), referenceDate: String(done.referenceDate), log });
    await seedDemoGoals(db, { referenceDate: String(done.referenceDate), log });
    return {
      loaded: false,
      seed: typeof done.seed === 'number' ? done.seed : DEFAULT_DEMO_SEED,
      ...(await countOrg(db)),
      logins: Array.isArray(done.logins) ? (done.logins as DemoLogin[]) : [],
    };
  }

  let state = (await readSetting(db, LOADING_SETTING)) as LoadingState | undefined;
  if (!state) {
    const { people } = await countOrg(db);
    if (people > 0) {
      throw new AppError(
        'conflict',
        `This database already holds ${people} people, so the demo organisation was not loaded. ` +
          'Use a fresh data folder (--data-dir) or database for the demo.',
      );
    }
    state = {
      seed: options.seed ?? DEFAULT_DEMO_SEED,
      referenceDate: options.referenceDate ?? new Date().toISOString().slice(0, 10),
      stage: 'started',
    };
    await writeSetting(db, LOADING_SETTING, state);
  } else {
    log(`Resuming an interrupted demo load (seed ${state.seed}).`);
  }

  const org = generateDemoOrganisation(state.seed, { referenceDate: state.referenceDate });
  if (state.stage === 'started') {
    await importSnapshot(db, org.snapshots.history, 'the older people export');
    state = { ...state, stage: 'history' };
    await writeSetting(db, LOADING_SETTING, state);
  }
  if (state.stage === 'history') {
    await importSnapshot(db, org.snapshots.current, "today's people export");
    state = { ...state, stage: 'current' };
    await writeSetting(db, LOADING_SETTING, state);
  }
  await seedDemoConversations(db, { seed: state.seed, referenceDate: state.referenceDate, log });
  await seedDemoProfiles(db, { seed: state.seed, referenceDate: state.referenceDate });
  await createDemoAccounts(db, org);
  await seedDemoWork(db, { seed: org.seed, referenceDate: org.referenceDate, log });
  await seedDemoGoals(db, { referenceDate: state.referenceDate, log });
  await seedDemoOpportunities(db, { referenceDate: state.referenceDate, log });
  const counts = await countOrg(db);
  log(`Loaded the demo organisation: ${counts.people} people in ${counts.teams} teams (seed ${org.seed}).`);
  return { loaded: true, seed: org.seed, ...counts, logins: org.logins };
}

async function importSnapshot(db: Kysely<DB>, records: PersonRecord[], what: string): Promise<void> {
  const report = await importPeople(
    db,
    { records },
    { dryRun: false, source: 'demo', actorAccountId: null, companyName: DEMO_COMPANY },
  );
  if (report.errors.length) {
    const first = report.errors
      .slice(0, 3)
      .map((e) => `line ${e.line}${e.column ? ` (${e.column})` : ''}: ${e.message}`)
      .join('; ');
    throw new Error(`The demo organisation could not be imported (${what}): ${first}`);
  }
}

/**
 * Demo accounts through the accounts module (one password hash for all), linked to their people and
 * HR departments. The same transaction records the demo as loaded, so a crash never leaves it
 * half-marked.
 */
async function createDemoAccounts(db: Kysely<DB>, org: DemoOrganisation): Promise<void> {
  const leaveDates = new Map(org.snapshots.current.map((r) => [r.email, r.leaveDate]));
  await db.transaction().execute(async (trx) => {
    const people = await trx
      .selectFrom('person')
      .select(['id', 'email'])
      .where(
        'email',
        'in',
        org.accounts.map((a) => a.email),
      )
      .execute();
    const personOf = new Map(people.map((p) => [p.email.toLowerCase(), p.id]));
    const departments = await trx
      .selectFrom('team')
      .select(['id', 'name'])
      .where('kind', '=', 'department')
      .execute();
    const departmentId = new Map(departments.map((d) => [d.name, d.id]));
    await insertDemoAccounts(
      trx,
      DEMO_PASSWORD,
      org.accounts.map((a) => ({
        email: a.email,
        personId: personOf.get(a.email.toLowerCase()) ?? null,
        roles: a.roles,
        disabledAt: a.disabled ? new Date(`${leaveDates.get(a.email)}T00:00:00Z`) : null,
        hrTeamIds: a.hrDepartments.map((name) => {
          const teamId = departmentId.get(name);
          if (!teamId) throw new Error(`demo: department ${name} was not created by the import`);
          return teamId;
        }),
      })),
    );
    const now = new Date();
    const value = {
      seed: org.seed,
      referenceDate: org.referenceDate,
      loadedAt: now.toISOString(),
      logins: org.logins,
    };
    await trx
      .insertInto('app_setting')
      .values({ key: DEMO_SETTING, value: JSON.stringify(value) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value), updated_at: now }))
      .execute();
    await trx.deleteFrom('app_setting').where('key', '=', LOADING_SETTING).execute();
  });
}

async function readSetting(db: Kysely<DB>, key: string): Promise<Record<string, unknown> | undefined> {
  const row = await db.selectFrom('app_setting').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

async function writeSetting(db: Kysely<DB>, key: string, value: object): Promise<void> {
  const json = JSON.stringify(value);
  await db
    .insertInto('app_setting')
    .values({ key, value: json })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: new Date() }))
    .execute();
}

async function countOrg(db: Kysely<DB>): Promise<{ people: number; teams: number }> {
  const people = await db
    .selectFrom('person')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const teams = await db
    .selectFrom('team')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kind', '=', 'team')
    .executeTakeFirstOrThrow();
  return { people: Number(people.n), teams: Number(teams.n) };
}
