import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { AppError } from '../../shared/app-error.js';
import { insertDemoAccounts } from '../accounts/accounts.service.js';
import { seedDemoConversations } from '../conversations/conversations.demo.js';
import { seedDemoGoals, seedDemoLinkedGoals } from '../goals/goals.demo.js';
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
import { pendingChangeCount, rebuildSignals, type RebuildProgress } from '../signals/signals.rollups.js';
// Register business metrics and signals as progress sources, so the demo's linked goals can read them.
import '../ingest/ingest.goal-progress.js';
import '../signals/signals.goal-progress.js';
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
  /** Called as the load advances (for a progress bar); `percent` only grows. */
  onProgress?: (progress: DemoProgress) => void;
  /** Stops the load before its next step (it resumes from there on the next call). */
  signal?: AbortSignal;
  /** Tests: a lighter work-data load (a busy engineer's chance of a pull request per working day). */
  workPrPerDay?: number;
}

/** How far a demo load is: 0–100 and the step under way. */
export interface DemoProgress {
  percent: number;
  step: string;
}

/**
 * Where each step of a fresh load starts, in percent, from measured durations (the work data and
 * the signal rollups dominate). The step's own progress fills the span up to the next one.
 */
const STEPS = {
  people: { at: 0, step: 'people and teams' },
  conversations: { at: 8, step: 'conversations' },
  profiles: { at: 20, step: 'profiles' },
  accounts: { at: 23, step: 'demo accounts' },
  work: { at: 26, step: '18 months of work data' },
  goals: { at: 76, step: 'goals' },
  signals: { at: 78, step: 'signal rollups' },
} as const;
type StepName = keyof typeof STEPS;
const ORDER = Object.keys(STEPS) as StepName[];

/** A work-data load writes one transaction per calendar month of an 18-month window (≈ 19 months). */
const DEMO_WORK_MONTHS = 19;

function progressReporter(onProgress: ((p: DemoProgress) => void) | undefined) {
  let last = -1;
  return (name: StepName | 'done', fraction = 0) => {
    if (!onProgress) return;
    if (name === 'done') {
      onProgress({ percent: 100, step: 'ready' });
      return;
    }
    const next = ORDER[ORDER.indexOf(name) + 1];
    const end = next ? STEPS[next].at : 100;
    const span = end - STEPS[name].at;
    const percent = Math.max(last, Math.floor(STEPS[name].at + span * Math.min(Math.max(fraction, 0), 0.99)));
    last = percent;
    onProgress({ percent, step: STEPS[name].step });
  };
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
  const report = progressReporter(options.onProgress);
  const progress: typeof report = (name, fraction) => {
    options.signal?.throwIfAborted();
    report(name, fraction);
  };
  const done = await readSetting(db, DEMO_SETTING);
  if (done) {
    progress('work');
    await withWorkProgress(db, progress, () =>
      seedDemoWork(db, { seed: Number(done.seed), referenceDate: String(done.referenceDate), log }),
    );
    await seedDemoGoals(db, { referenceDate: String(done.referenceDate), log });
    await buildDemoSignals(db, progress, log);
    await seedDemoLinkedGoals(db, { referenceDate: String(done.referenceDate), log });
    // After the signals, so dips and strengths are among the opportunities; a scan is idempotent.
    await seedDemoOpportunities(db, { referenceDate: String(done.referenceDate), log });
    progress('done');
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

  progress('people');
  const org = generateDemoOrganisation(state.seed, { referenceDate: state.referenceDate });
  if (state.stage === 'started') {
    await importSnapshot(db, org.snapshots.history, 'the older people export');
    state = { ...state, stage: 'history' };
    await writeSetting(db, LOADING_SETTING, state);
  }
  progress('people', 0.5);
  if (state.stage === 'history') {
    await importSnapshot(db, org.snapshots.current, "today's people export");
    state = { ...state, stage: 'current' };
    await writeSetting(db, LOADING_SETTING, state);
  }
  progress('conversations');
  await seedDemoConversations(db, { seed: state.seed, referenceDate: state.referenceDate, log });
  progress('profiles');
  await seedDemoProfiles(db, { seed: state.seed, referenceDate: state.referenceDate });
  progress('accounts');
  await createDemoAccounts(db, org);
  progress('work');
  await withWorkProgress(db, progress, () =>
    seedDemoWork(db, {
      seed: org.seed,
      referenceDate: org.referenceDate,
      log,
      ...(options.workPrPerDay !== undefined ? { prPerDay: options.workPrPerDay } : {}),
    }),
  );
  progress('goals');
  await seedDemoGoals(db, { referenceDate: state.referenceDate, log });
  const counts = await countOrg(db);
  log(`Loaded the demo organisation: ${counts.people} people in ${counts.teams} teams (seed ${org.seed}).`);
  await buildDemoSignals(db, progress, log);
  await seedDemoLinkedGoals(db, { referenceDate: state.referenceDate, log });
  // After the signals, so dips and strengths are among the opportunities.
  await seedDemoOpportunities(db, { referenceDate: state.referenceDate, log });
  progress('done');
  return { loaded: true, seed: org.seed, ...counts, logins: org.logins };
}

/**
 * Runs the work-data load while reading its per-month progress (the loader records each month in
 * the transaction that writes it) to report how far it is.
 */
async function withWorkProgress<T>(
  db: Kysely<DB>,
  progress: ReturnType<typeof progressReporter>,
  load: () => Promise<T>,
): Promise<T> {
  let stopped = false;
  const poll = async () => {
    while (!stopped) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      if (stopped) break;
      const value = await readSetting(db, 'demo.work').catch(() => undefined);
      const months = Array.isArray(value?.months) ? value.months.length : 0;
      try {
        if (!stopped) progress('work', months / DEMO_WORK_MONTHS);
      } catch {
        // Aborted: the load itself stops at its next step.
        break;
      }
    }
  };
  const polling = poll();
  try {
    return await load();
  } finally {
    stopped = true;
    await polling;
  }
}

/**
 * The work data arrives through the ingest pipeline, whose triggers queue one signals change per
 * row (~26k for the demo). Replaying them one by one takes several times longer than computing the
 * rollups once from the work model, so the loader rebuilds them and the queue is left empty.
 */
async function buildDemoSignals(
  db: Kysely<DB>,
  progress: ReturnType<typeof progressReporter>,
  log: (line: string) => void,
): Promise<void> {
  const pending = await pendingChangeCount(db);
  if (pending === 0) return;
  progress('signals');
  const started = Date.now();
  const total = await db
    .selectFrom('ingest_work_event')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const events = Math.max(Number(total.n), 1);
  const onProgress = (p: RebuildProgress) => {
    if (p.phase === 'events') progress('signals', 0.6 * (p.done / events));
    else if (p.phase === 'items') progress('signals', 0.8);
    else progress('signals', 0.95);
  };
  // A running server may be applying the same changes meanwhile: the rebuild waits for its lock first.
  const result = await rebuildSignals(db, { onProgress });
  log(
    `Built the signal rollups from ${result.events} events and ${result.items} work items in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  );
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
