import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { AppError } from '../../shared/app-error.js';
import { authorize, type RequestInfo } from '../access/access.service.js';
import type { Actor } from '../access/access.types.js';
import * as repo from './goals.repository.js';
import { formatValue, progressOf } from './goals.rules.js';
import type { GoalLinkInput } from './goals.schema.js';
import type { GoalLinkAggregation, GoalLinkKind } from './goals.tables.js';
import { changeActor, requireReasonAfterCheckIns } from './goals.service.js';

/**
 * Linked progress: a goal's progress may follow a business metric or a signal. The data lives in other
 * modules (ingest's business metrics, signals), so this module only defines the question it asks —
 * a `ProgressSource` per kind, registered with `registerProgressSource` — and `refreshLinkedGoals`,
 * which an importer calls after new data lands:
 *
 *   await importBusinessMetrics(db, file);                   // ingest (issue 3)
 *   await refreshLinkedGoals(db, { kind: 'business_metric', keys: ['revenue'], source: 'metrics import' });
 *
 * Each refresh whose value differs writes a `linked` check-in, moves the goal's current value, and
 * writes a history entry saying why ("revenue for team Payments 2026-Q4 reached 1.2M from metrics import").
 */

export interface ProgressQuery {
  key: string;
  aggregation: GoalLinkAggregation;
  scopePersonId: string | null;
  scopeTeamId: string | null;
  /** The goal's period (inclusive dates). */
  from: string;
  to: string;
}

/** Answers the current value of a key over a scope and period, or null when there is no data yet. */
export type ProgressSource = (db: Kysely<DB>, query: ProgressQuery) => Promise<number | null>;

/** A key a goal can follow, as the owning module names it (a signal id, a business metric). */
export interface LinkKey {
  key: string;
  label: string;
  unit: string;
}

export interface ProgressSourceOptions {
  /** The keys there is (or can be) data for, offered when a goal is linked. */
  keys?: (db: Kysely<DB>) => Promise<LinkKey[]>;
  /**
   * True when `keys` is the complete list (signals: a fixed set of definitions), so a link to any
   * other key is refused. False when data for a new key may still arrive (a metric not imported yet).
   */
  closed?: boolean;
}

interface Registered extends ProgressSourceOptions {
  answer: ProgressSource;
}

const sources = new Map<GoalLinkKind, Registered>();

/**
 * Registers the data behind a link kind; returns a function that puts back what was registered
 * before (tests replace a source for a while).
 */
export function registerProgressSource(
  kind: GoalLinkKind,
  source: ProgressSource,
  options: ProgressSourceOptions = {},
): () => void {
  const previous = sources.get(kind);
  const entry: Registered = { ...options, answer: source };
  sources.set(kind, entry);
  return () => {
    if (sources.get(kind) !== entry) return;
    if (previous) sources.set(kind, previous);
    else sources.delete(kind);
  };
}

/** Asks the source registered for a kind; undefined when none is (such links wait). */
export async function answerProgress(
  db: Kysely<DB>,
  kind: GoalLinkKind,
  query: ProgressQuery,
): Promise<number | null | undefined> {
  const source = sources.get(kind)?.answer;
  return source ? source(db, query) : undefined;
}

export const LINK_KINDS: readonly GoalLinkKind[] = ['business_metric', 'signal'];

/** For the link form: per kind, whether data is wired, the keys offered and whether others are refused. */
export async function listLinkKeys(
  db: Kysely<DB>,
): Promise<{ kind: GoalLinkKind; available: boolean; closed: boolean; keys: LinkKey[] }[]> {
  const out = [];
  for (const kind of LINK_KINDS) {
    const entry = sources.get(kind);
    const keys = entry?.keys ? await entry.keys(db) : [];
    out.push({
      kind,
      available: Boolean(entry),
      closed: Boolean(entry?.closed),
      keys: [...keys].sort((a, b) => a.label.localeCompare(b.label)),
    });
  }
  return out;
}

export function hasProgressSource(kind: GoalLinkKind): boolean {
  return sources.has(kind);
}

export interface RefreshOptions {
  kind?: GoalLinkKind;
  keys?: string[];
  goalIds?: string[];
  /** Where the data came from, for the history line: "metrics import", "signal recompute". */
  source: string;
  actorLabel?: string;
}

export interface RefreshResult {
  goalId: string;
  before: number | null;
  after: number;
  reason: string;
}

/** Recomputes linked goals from their sources; only goals whose value changed get a check-in and history. */
export async function refreshLinkedGoals(db: Kysely<DB>, options: RefreshOptions): Promise<RefreshResult[]> {
  let q = db
    .selectFrom('goal_link as l')
    .innerJoin('goal as g', 'g.id', 'l.goal_id')
    .leftJoin('person as sp', 'sp.id', 'l.scope_person_id')
    .leftJoin('team as st', 'st.id', 'l.scope_team_id')
    .select([
      'l.goal_id',
      'l.kind',
      'l.key',
      'l.aggregation',
      'l.scope_person_id',
      'l.scope_team_id',
      'sp.name as person_name',
      'st.name as team_name',
    ])
    .where('g.status', '=', 'active');
  if (options.kind) q = q.where('l.kind', '=', options.kind);
  if (options.keys)
    q = options.keys.length ? q.where('l.key', 'in', options.keys) : q.where('l.key', '=', '\u0000');
  if (options.goalIds)
    q = options.goalIds.length
      ? q.where('l.goal_id', 'in', options.goalIds)
      : q.where('l.key', '=', '\u0000');
  const links = await q.execute();
  const results: RefreshResult[] = [];
  for (const link of links) {
    const source = sources.get(link.kind)?.answer;
    if (!source) continue;
    const goal = await repo.findGoal(db, link.goal_id);
    if (!goal) continue;
    const value = await source(db, {
      key: link.key,
      aggregation: link.aggregation,
      scopePersonId: link.scope_person_id,
      scopeTeamId: link.scope_team_id,
      from: goal.period_start,
      to: goal.period_end,
    });
    const now = new Date();
    if (value === null || !Number.isFinite(value)) continue;
    await db
      .updateTable('goal_link')
      .set({ last_value: value, last_refreshed_at: now })
      .where('goal_id', '=', goal.id)
      .execute();
    if (goal.current_value !== null && Number(goal.current_value) === value) continue;
    const scope = link.person_name ?? (link.team_name ? `team ${link.team_name}` : 'the organisation');
    const unit = goal.criteria.kind === 'target' ? goal.criteria.unit : '';
    const reason = `${link.key} for ${scope} ${goal.period_label} reached ${formatValue(value, unit)} from ${options.source}`;
    const last = await db
      .selectFrom('goal_check_in')
      .select('confidence')
      .where('goal_id', '=', goal.id)
      .orderBy('checked_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('goal_check_in')
        .values({
          goal_id: goal.id,
          value,
          confidence: last?.confidence ?? 3,
          note: reason,
          source: 'linked',
          author_account_id: null,
          checked_at: now,
        })
        .execute();
      await trx
        .updateTable('goal')
        .set({ current_value: value, updated_at: now })
        .where('id', '=', goal.id)
        .execute();
      await repo.insertHistory(trx, {
        goalId: goal.id,
        change: 'progress',
        actorAccountId: null,
        actorLabel: options.actorLabel ?? `linked ${link.kind.replace('_', ' ')}`,
        before: { value: goal.current_value, progress: progressOf(goal.criteria, goal.current_value) },
        after: { value, progress: progressOf(goal.criteria, value) },
        reason,
      });
    });
    results.push({ goalId: goal.id, before: goal.current_value, after: value, reason });
  }
  return results;
}

/** Links a goal's progress to a metric or signal (or replaces the link) and refreshes it at once. */
export async function setLink(
  db: Kysely<DB>,
  actor: Actor,
  goal: repo.Goal,
  input: GoalLinkInput,
  request: RequestInfo,
): Promise<void> {
  if (goal.criteria.kind !== 'target') {
    throw new AppError(
      'validation_failed',
      'Only a goal with a measurable target can follow a metric or signal.',
      [{ path: '/body/kind', message: 'needs a target goal, not a rubric' }],
    );
  }
  let scopePersonId = input.scopePersonId ?? null;
  let scopeTeamId = input.scopeTeamId ?? null;
  if (scopePersonId && scopeTeamId) {
    throw new AppError('validation_failed', 'Scope a link to a person or a team, not both.', [
      { path: '/body/scopeTeamId', message: 'cannot be set together with scopePersonId' },
    ]);
  }
  if (!scopePersonId && !scopeTeamId) {
    scopePersonId = goal.owner_person_id;
    scopeTeamId = goal.owner_team_id;
  }
  await checkKey(db, input.kind, input.key);
  await checkScope(db, actor, goal, { scopePersonId, scopeTeamId }, request);
  await requireReasonAfterCheckIns(db, goal.id, input.reason);
  const who = changeActor(actor);
  const before = await db
    .selectFrom('goal_link')
    .select(['kind', 'key', 'aggregation'])
    .where('goal_id', '=', goal.id)
    .executeTakeFirst();
  const values = {
    kind: input.kind,
    key: input.key,
    aggregation: input.aggregation ?? 'sum',
    scope_person_id: scopePersonId,
    scope_team_id: scopeTeamId,
  };
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('goal_link')
      .values({ goal_id: goal.id, ...values })
      .onConflict((oc) =>
        oc.column('goal_id').doUpdateSet({ ...values, last_value: null, last_refreshed_at: null }),
      )
      .execute();
    await repo.insertHistory(trx, {
      goalId: goal.id,
      change: 'link',
      actorAccountId: who.accountId,
      actorLabel: who.label,
      before: before ?? null,
      after: { kind: input.kind, key: input.key, aggregation: values.aggregation },
      reason: input.reason ?? null,
    });
  });
  await refreshLinkedGoals(db, { goalIds: [goal.id], source: 'the new link' });
}

/** Refuses a key the source says does not exist (signals are a fixed set of definitions). */
async function checkKey(db: Kysely<DB>, kind: GoalLinkKind, key: string): Promise<void> {
  const entry = sources.get(kind);
  if (!entry?.closed || !entry.keys) return;
  const keys = await entry.keys(db);
  if (keys.some((k) => k.key === key)) return;
  const what = kind === 'signal' ? 'signal' : 'business metric';
  throw new AppError(
    'validation_failed',
    `There is no ${what} "${key}". Choose one of: ${keys.map((k) => k.key).join(', ')}.`,
    [{ path: '/body/key', message: `is not a known ${what}` }],
  );
}

/**
 * A link's scope other than the goal's owner must exist, and the caller must be allowed to read that
 * person's or team's signals: the goal's progress would show their numbers to the goal's readers.
 */
async function checkScope(
  db: Kysely<DB>,
  actor: Actor,
  goal: repo.Goal,
  scope: { scopePersonId: string | null; scopeTeamId: string | null },
  request: RequestInfo,
): Promise<void> {
  const scopes = [
    { type: 'person', id: scope.scopePersonId, owner: goal.owner_person_id, field: 'scopePersonId' },
    { type: 'team', id: scope.scopeTeamId, owner: goal.owner_team_id, field: 'scopeTeamId' },
  ] as const;
  for (const { type, id, owner, field } of scopes) {
    if (!id || id === owner) continue;
    const found = await db.selectFrom(type).select('id').where('id', '=', id).executeTakeFirst();
    if (!found) {
      throw new AppError('validation_failed', `No ${type} with that id.`, [
        { path: `/body/${field}`, message: `is not a ${type}` },
      ]);
    }
    await authorize(db, actor, `signals.${type}`, { type, id }, request);
  }
}

export async function removeLink(
  db: Kysely<DB>,
  actor: Actor,
  goal: repo.Goal,
  reason: string | undefined,
): Promise<void> {
  const before = await db
    .selectFrom('goal_link')
    .select(['kind', 'key', 'aggregation'])
    .where('goal_id', '=', goal.id)
    .executeTakeFirst();
  if (!before) throw new AppError('not_found', 'This goal is not linked to a metric or signal.');
  const who = changeActor(actor);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('goal_link').where('goal_id', '=', goal.id).execute();
    await repo.insertHistory(trx, {
      goalId: goal.id,
      change: 'link',
      actorAccountId: who.accountId,
      actorLabel: who.label,
      before,
      after: null,
      reason: reason ?? null,
    });
  });
}
