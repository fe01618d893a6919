import type { Kysely } from 'kysely';
import type { DB } from '../../../db/types.js';
import { generateDemoOrganisation } from '../../demo/demo.generator.js';
import { ensureConnection } from '../ingest.connections.js';
import type { NormalisedBatch } from '../ingest.model.js';
import { ingestBatchInTransaction } from '../ingest.pipeline.js';
import { toBatch } from '../remote/to-batch.js';
import { emptyDraft, type WorkDraft } from '../remote/work-drafts.js';
import { demoWorkChunks, generateDemoWork, type DemoWork } from './demo-work.generator.js';
import { DEMO_JIRA_SITE, DEMO_STORY_POINTS_FIELD } from './demo-work.jira.js';
import { generateDemoMetrics } from './demo-work.metrics.js';
import { ENGINEERING_TEAMS, type ActivityPattern } from './demo-work.people.js';

/**
 * Loads the demo organisation's 18 months of work THROUGH the ingest pipeline: GitHub and Jira
 * payloads from the generator are mapped by the connectors' own mappers and written by
 * `ingestBatch`, one transaction per month and project, on demo connections (one per repository and
 * Jira project, plus one for business metrics). Progress is recorded in the same transactions, so an
 * interrupted load resumes with the next month; a finished load is a no-op.
 */

const SETTING = 'demo.work';

interface Progress {
  seed: number;
  referenceDate: string;
  months: string[];
  metrics: boolean;
  completedAt?: string;
  patterns?: ActivityPattern[];
}

export interface SeedDemoWorkOptions {
  seed: number;
  referenceDate: string;
  log?: (line: string) => void;
  /** A busy engineer's chance of starting a pull request on a working day (tests use less). */
  prPerDay?: number;
  /** Tests: stop with an error after this many months were written, as a crash would. */
  crashAfterMonths?: number;
}

export interface SeedDemoWorkResult {
  loaded: boolean;
  months: number;
  items: number;
  events: number;
  metrics: number;
  durationMs: number;
}

async function readProgress(db: Kysely<DB>): Promise<Progress | undefined> {
  const row = await db
    .selectFrom('app_setting')
    .select('value')
    .where('key', '=', SETTING)
    .executeTakeFirst();
  return row?.value as Progress | undefined;
}

async function writeProgress(db: Kysely<DB>, value: Progress): Promise<void> {
  const json = JSON.stringify(value);
  await db
    .insertInto('app_setting')
    .values({ key: SETTING, value: json })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: new Date() }))
    .execute();
}

function split(draft: WorkDraft, source: 'github' | 'jira'): Map<string, WorkDraft> {
  const byProject = new Map<string, WorkDraft>();
  const get = (p: string) => {
    let d = byProject.get(p);
    if (!d) byProject.set(p, (d = emptyDraft()));
    return d;
  };
  for (const i of draft.items) if (i.source === source) get(i.project).items.push(i);
  for (const e of draft.events) if (e.source === source) get(e.project).events.push(e);
  return byProject;
}

/** The activity patterns (dips, strong periods) the demo work was generated with, once loaded. */
export async function demoWorkPatterns(db: Kysely<DB>): Promise<ActivityPattern[]> {
  return (await readProgress(db))?.patterns ?? [];
}

/** Seeds the demo's work data (resumable, idempotent). Call after the demo organisation is loaded. */
export async function seedDemoWork(
  db: Kysely<DB>,
  options: SeedDemoWorkOptions,
): Promise<SeedDemoWorkResult> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  let progress = await readProgress(db);
  if (progress?.completedAt)
    return { loaded: false, months: progress.months.length, items: 0, events: 0, metrics: 0, durationMs: 0 };
  // A resumed load keeps the seed and day it started with, so the months it already wrote still fit.
  progress ??= { seed: options.seed, referenceDate: options.referenceDate, months: [], metrics: false };
  const org = generateDemoOrganisation(progress.seed, { referenceDate: progress.referenceDate });
  const people = org.snapshots.current;
  const work: DemoWork = generateDemoWork(
    progress.seed,
    progress.referenceDate,
    people,
    options.prPerDay !== undefined ? { prPerDay: options.prPerDay } : {},
  );
  progress.patterns = work.patterns;

  const connections = new Map<string, string>();
  for (const team of ENGINEERING_TEAMS) {
    const gh = await ensureConnection(db, 'github', `${team.repo} (demo)`, { repo: team.repo, demo: true });
    const jira = await ensureConnection(db, 'jira', `Jira ${team.jiraProject} (demo)`, {
      site: DEMO_JIRA_SITE,
      project: team.jiraProject,
      storyPointsField: DEMO_STORY_POINTS_FIELD,
      demo: true,
    });
    connections.set(team.repo, gh.id);
    connections.set(team.jiraProject, jira.id);
  }

  let items = 0;
  let events = 0;
  const done = new Set(progress.months);
  for (const chunk of demoWorkChunks(work)) {
    if (done.has(chunk.month)) continue;
    const batches: { connectionId: string; batch: NormalisedBatch }[] = [];
    for (const source of ['github', 'jira'] as const) {
      for (const [project, draft] of split(chunk.draft, source)) {
        batches.push({ connectionId: connections.get(project)!, batch: toBatch(source, draft) });
        items += draft.items.length;
        events += draft.events.length;
      }
    }
    progress.months.push(chunk.month);
    const snapshot: Progress = { ...progress, months: [...progress.months] };
    await db.transaction().execute(async (trx) => {
      for (const b of batches) await ingestBatchInTransaction(trx, { id: b.connectionId }, b.batch);
      const json = JSON.stringify(snapshot);
      await trx
        .insertInto('app_setting')
        .values({ key: SETTING, value: json })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: new Date() }))
        .execute();
    });
    if (options.crashAfterMonths !== undefined && progress.months.length >= options.crashAfterMonths) {
      throw new Error(`demo work: stopped after ${progress.months.length} months (test crash)`);
    }
  }

  let metrics = 0;
  if (!progress.metrics) {
    const teams = await db.selectFrom('team').select(['id', 'name']).execute();
    const list = generateDemoMetrics(
      progress.seed,
      work,
      people,
      progress.referenceDate,
      new Map(teams.map((t) => [t.name, t.id])),
    );
    const conn = await ensureConnection(db, 'metrics', 'Business metrics (demo)', {
      file: 'kestrel-labs-business-metrics.json',
      demo: true,
    });
    await db.transaction().execute(async (trx) => {
      await ingestBatchInTransaction(trx, { id: conn.id }, { source: 'metrics', metrics: list });
    });
    metrics = list.length;
    progress.metrics = true;
  }
  progress.completedAt = new Date().toISOString();
  await writeProgress(db, progress);
  const durationMs = Date.now() - started;
  log(
    `Loaded the demo work data: ${items} work items, ${events} events, ${metrics} business metrics in ${(durationMs / 1000).toFixed(1)} s.`,
  );
  return { loaded: true, months: progress.months.length, items, events, metrics, durationMs };
}
