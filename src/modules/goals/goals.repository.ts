import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import type { GoalChange, GoalCriteria, GoalRow } from './goals.tables.js';

/** A goal as the module works with it: dates as strings, numbers as numbers, owner name resolved. */
export interface Goal extends Omit<GoalRow, 'current_value' | 'criteria'> {
  criteria: GoalCriteria;
  current_value: number | null;
  owner_name: string;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const day = (v: unknown): string => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v));

function goalQuery(db: Kysely<DB>) {
  return db
    .selectFrom('goal as g')
    .leftJoin('person as op', 'op.id', 'g.owner_person_id')
    .leftJoin('team as ot', 'ot.id', 'g.owner_team_id')
    .selectAll('g')
    .select([
      sql<string>`g.period_start::text`.as('period_start'),
      sql<string>`g.period_end::text`.as('period_end'),
      sql<string>`coalesce(op.name, ot.name)`.as('owner_name'),
    ]);
}

function toGoal(row: Record<string, unknown>): Goal {
  const r = row as unknown as GoalRow & { owner_name: string };
  const criteria = (typeof r.criteria === 'string' ? JSON.parse(r.criteria) : r.criteria) as GoalCriteria;
  return {
    ...r,
    criteria,
    current_value: num(r.current_value),
    period_start: day(r.period_start),
    period_end: day(r.period_end),
  };
}

export async function findGoal(db: Kysely<DB>, id: string): Promise<Goal | undefined> {
  const row = await goalQuery(db).where('g.id', '=', id).executeTakeFirst();
  return row ? toGoal(row) : undefined;
}

export interface GoalFilter {
  ids?: string[];
  ownerPersonIds?: string[];
  ownerTeamIds?: string[];
  stewardPersonId?: string;
  level?: string;
  period?: string;
  status?: string;
  activeOn?: string;
}

export async function listGoals(db: Kysely<DB>, f: GoalFilter = {}): Promise<Goal[]> {
  let q = goalQuery(db);
  if (f.ids) q = f.ids.length ? q.where('g.id', 'in', f.ids) : q.where(sql<boolean>`false`);
  if (f.ownerPersonIds || f.ownerTeamIds || f.stewardPersonId) {
    const persons = f.ownerPersonIds ?? [];
    const teams = f.ownerTeamIds ?? [];
    q = q.where((eb) =>
      eb.or([
        ...(persons.length ? [eb('g.owner_person_id', 'in', persons)] : []),
        ...(teams.length ? [eb('g.owner_team_id', 'in', teams)] : []),
        ...(f.stewardPersonId ? [eb('g.steward_person_id', '=', f.stewardPersonId)] : []),
        eb.val(false),
      ]),
    );
  }
  if (f.level) q = q.where('g.level', '=', f.level as Goal['level']);
  if (f.period) q = q.where('g.period_label', '=', f.period);
  if (f.status) q = q.where('g.status', '=', f.status as Goal['status']);
  if (f.activeOn) q = q.where('g.status', '=', 'active').where('g.period_start', '<=', f.activeOn);
  const rows = await q.orderBy('g.period_start', 'desc').orderBy('g.level').orderBy('g.title').execute();
  return rows.map(toGoal);
}

export async function listPeriods(db: Kysely<DB>): Promise<string[]> {
  const rows = await db
    .selectFrom('goal')
    .select('period_label')
    .groupBy('period_label')
    .orderBy(sql`min(period_start)`, 'desc')
    .execute();
  return rows.map((r) => r.period_label);
}

/** Every alignment edge (child → parent). Small enough to hold in memory for cycle checks and trees. */
export async function listAlignments(db: Kysely<DB>): Promise<{ goal_id: string; parent_goal_id: string }[]> {
  return db.selectFrom('goal_alignment').select(['goal_id', 'parent_goal_id']).execute();
}

export interface CheckInRecord {
  id: string;
  goal_id: string;
  value: number;
  confidence: number;
  blockers: string | null;
  note: string | null;
  source: string;
  author_label: string | null;
  checked_at: Date;
}

export async function listCheckIns(db: Kysely<DB>, goalIds: string[]): Promise<CheckInRecord[]> {
  if (!goalIds.length) return [];
  const rows = await db
    .selectFrom('goal_check_in as c')
    .leftJoin('account as a', 'a.id', 'c.author_account_id')
    .leftJoin('person as p', 'p.id', 'a.person_id')
    .select([
      'c.id',
      'c.goal_id',
      'c.value',
      'c.confidence',
      'c.blockers',
      'c.note',
      'c.source',
      'c.checked_at',
      sql<string | null>`coalesce(p.name, a.email)`.as('author_label'),
    ])
    .where('c.goal_id', 'in', goalIds)
    .orderBy('c.checked_at')
    .orderBy('c.created_at')
    .execute();
  return rows.map((r) => ({ ...r, value: Number(r.value), checked_at: new Date(r.checked_at) }));
}

export async function countCheckIns(db: Kysely<DB>, goalId: string): Promise<number> {
  const row = await db
    .selectFrom('goal_check_in')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('goal_id', '=', goalId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface HistoryEntry {
  goalId: string;
  change: GoalChange;
  actorAccountId: string | null;
  actorLabel: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  reason?: string | null;
}

export async function insertHistory(db: Kysely<DB>, e: HistoryEntry): Promise<void> {
  await db
    .insertInto('goal_history')
    .values({
      goal_id: e.goalId,
      change: e.change,
      actor_account_id: e.actorAccountId,
      actor_label: e.actorLabel,
      before: e.before ? JSON.stringify(e.before) : null,
      after: e.after ? JSON.stringify(e.after) : null,
      reason: e.reason ?? null,
    })
    .execute();
}

export async function listHistory(db: Kysely<DB>, goalId: string) {
  return db
    .selectFrom('goal_history')
    .selectAll()
    .where('goal_id', '=', goalId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** Current (not yet left) people who have `managerId` anywhere above them on `asOf`. */
export async function findReportsDeep(db: Kysely<DB>, managerId: string, asOf: string): Promise<string[]> {
  const result = await sql<{ id: string }>`
    with recursive down(id, depth) as (
      select rl.person_id, 1 from reporting_line rl
      where rl.manager_id = ${managerId}
        and rl.valid_from <= ${asOf}::date and (rl.valid_to is null or rl.valid_to > ${asOf}::date)
      union
      select rl.person_id, d.depth + 1 from reporting_line rl join down d on rl.manager_id = d.id
      where rl.valid_from <= ${asOf}::date and (rl.valid_to is null or rl.valid_to > ${asOf}::date)
        and d.depth < 50
    )
    select distinct d.id from down d join person p on p.id = d.id
    where p.leave_date is null or p.leave_date > ${asOf}::date
  `.execute(db);
  return result.rows.map((r) => r.id);
}

/** A team and every team below it. */
export async function findSubtree(db: Kysely<DB>, teamId: string): Promise<string[]> {
  const result = await sql<{ id: string }>`
    with recursive sub(id, depth) as (
      select id, 0 from team where id = ${teamId}
      union all
      select t.id, sub.depth + 1 from team t join sub on t.parent_id = sub.id where sub.depth < 50
    )
    select id from sub
  `.execute(db);
  return result.rows.map((r) => r.id);
}

/** A team and every team above it, nearest first. */
export async function findTeamAndAncestors(db: Kysely<DB>, teamId: string): Promise<string[]> {
  const result = await sql<{ id: string }>`
    with recursive up(id, parent_id, depth) as (
      select id, parent_id, 0 from team where id = ${teamId}
      union all
      select t.id, t.parent_id, up.depth + 1 from team t join up on t.id = up.parent_id where up.depth < 50
    )
    select id from up order by depth
  `.execute(db);
  return result.rows.map((r) => r.id);
}
