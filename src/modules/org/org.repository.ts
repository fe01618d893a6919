import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { DB, NewPerson, OrgChangeTable, Person, Team } from '../../db/types.js';
import { isActive } from './org.rules.js';
import type { PersonCardType } from './org.schema.js';

/** SQL of the organisation module. Every function takes `db` or a transaction first. */

export type Db = Kysely<DB>;

export interface OrgChangeInsert {
  entityType: OrgChangeTable['entity_type'];
  entityId: string;
  change: OrgChangeTable['change'];
  source: OrgChangeTable['source'];
  actorAccountId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** Writes change-log rows in batches. */
export async function insertOrgChanges(db: Db, rows: OrgChangeInsert[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insertInto('org_change')
      .values(
        rows.slice(i, i + 1000).map((r) => ({
          entity_type: r.entityType,
          entity_id: r.entityId,
          change: r.change,
          source: r.source,
          actor_account_id: r.actorAccountId,
          before: r.before === null ? null : JSON.stringify(r.before),
          after: r.after === null ? null : JSON.stringify(r.after),
        })),
      )
      .execute();
  }
}

// ---------------------------------------------------------------------------------------------- teams

export interface TeamRow extends Team {
  member_count: number;
}

function currentMemberCount(asOf: string) {
  return (eb: ExpressionBuilder<DB, 'team'>) =>
    eb
      .selectFrom('person')
      .select(eb.fn.countAll<number>().as('n'))
      .whereRef('person.team_id', '=', 'team.id')
      .where((w) => w.or([w('person.leave_date', 'is', null), w('person.leave_date', '>=', asOf)]))
      .as('member_count');
}

export async function listTeams(
  db: Db,
  asOf: string,
  filter: { parentId?: string } = {},
): Promise<TeamRow[]> {
  let q = db
    .selectFrom('team')
    .selectAll('team')
    .select(currentMemberCount(asOf))
    .orderBy('team.name')
    .orderBy('team.id');
  if (filter.parentId) q = q.where('team.parent_id', '=', filter.parentId);
  const rows = await q.execute();
  return rows.map((r) => ({ ...r, member_count: Number(r.member_count) }));
}

export async function findTeam(db: Db, id: string, asOf: string): Promise<TeamRow | undefined> {
  const row = await db
    .selectFrom('team')
    .selectAll('team')
    .select(currentMemberCount(asOf))
    .where('team.id', '=', id)
    .executeTakeFirst();
  return row ? { ...row, member_count: Number(row.member_count) } : undefined;
}

/** Ancestors of a team from the root down (the team itself excluded). */
export async function findTeamAncestors(db: Db, id: string): Promise<{ id: string; name: string }[]> {
  const result = await sql<{ id: string; name: string; depth: number }>`
    with recursive up(id, name, parent_id, depth) as (
      select id, name, parent_id, 0 from team where id = ${id}
      union all
      select t.id, t.name, t.parent_id, up.depth + 1 from team t join up on t.id = up.parent_id where up.depth < 100
    )
    select id, name, depth from up where depth > 0 order by depth desc
  `.execute(db);
  return result.rows.map((r) => ({ id: r.id, name: r.name }));
}

/** The team and every team below it. */
export async function findTeamSubtreeIds(db: Db, id: string): Promise<string[]> {
  const result = await sql<{ id: string }>`
    with recursive down(id, depth) as (
      select id, 0 from team where id = ${id}
      union all
      select t.id, down.depth + 1 from team t join down on t.parent_id = down.id where down.depth < 100
    )
    select id from down
  `.execute(db);
  return result.rows.map((r) => r.id);
}

export async function findAllTeams(db: Db): Promise<Team[]> {
  return db.selectFrom('team').selectAll().orderBy('created_at').orderBy('id').execute();
}

export async function findTeamSlugs(db: Db): Promise<Set<string>> {
  const rows = await db.selectFrom('team').select('slug').execute();
  return new Set(rows.map((r) => r.slug));
}

export async function insertTeams(
  db: Db,
  rows: {
    id: string;
    name: string;
    slug: string;
    kind: Team['kind'];
    parent_id: string | null;
    description: string | null;
  }[],
): Promise<void> {
  if (rows.length) await db.insertInto('team').values(rows).execute();
}

export async function updateTeamRow(
  db: Db,
  id: string,
  values: Partial<Pick<Team, 'name' | 'slug' | 'parent_id' | 'description'>>,
): Promise<void> {
  await db
    .updateTable('team')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function findSetting(db: Db, key: string): Promise<Record<string, unknown> | undefined> {
  const row = await db.selectFrom('app_setting').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

// --------------------------------------------------------------------------------------------- people

export interface PeopleFilter {
  ids?: string[];
  q?: string;
  teamIds?: string[];
  /** Current direct reports of this manager. */
  managerId?: string;
  includeLeavers: boolean;
  after?: { name: string; id: string };
  limit?: number;
}

/** Directory cards (with today's manager and team name), ordered by name. */
export async function findPersonCards(db: Db, filter: PeopleFilter, asOf: string): Promise<PersonCardType[]> {
  if (filter.ids && filter.ids.length === 0) return [];
  if (filter.teamIds && filter.teamIds.length === 0) return [];
  let q = db
    .selectFrom('person')
    .leftJoin('team', 'team.id', 'person.team_id')
    .select((eb) => [
      'person.id',
      'person.name',
      'person.email',
      'person.title',
      'person.team_id',
      'team.name as team_name',
      'person.leave_date',
      eb
        .selectFrom('reporting_line as rl')
        .select('rl.manager_id')
        .whereRef('rl.person_id', '=', 'person.id')
        .where('rl.valid_from', '<=', asOf)
        .where((w) => w.or([w('rl.valid_to', 'is', null), w('rl.valid_to', '>', asOf)]))
        .orderBy('rl.valid_from', 'desc')
        .limit(1)
        .as('manager_id'),
    ])
    .orderBy('person.name')
    .orderBy('person.id');
  if (filter.ids) q = q.where('person.id', 'in', filter.ids);
  if (filter.teamIds) q = q.where('person.team_id', 'in', filter.teamIds);
  if (!filter.includeLeavers) {
    q = q.where((w) => w.or([w('person.leave_date', 'is', null), w('person.leave_date', '>=', asOf)]));
  }
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((w) =>
      w.or([
        w('person.name', 'ilike', pattern),
        w('person.email', 'ilike', pattern),
        w('person.title', 'ilike', pattern),
      ]),
    );
  }
  if (filter.managerId) {
    const managerId = filter.managerId;
    q = q.where('person.id', 'in', (eb) =>
      eb
        .selectFrom('reporting_line as r')
        .select('r.person_id')
        .where('r.manager_id', '=', managerId)
        .where('r.valid_from', '<=', asOf)
        .where((w) => w.or([w('r.valid_to', 'is', null), w('r.valid_to', '>', asOf)])),
    );
  }
  if (filter.after) {
    const { name, id } = filter.after;
    q = q.where((w) => w(w.refTuple('person.name', 'person.id'), '>', w.tuple(name, id)));
  }
  if (filter.limit) q = q.limit(filter.limit);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    email: r.email,
    title: r.title,
    teamId: r.team_id,
    teamName: r.team_name,
    managerId: r.manager_id ?? null,
    active: isActive(r.leave_date, asOf),
  }));
}

export async function findPerson(db: Db, id: string): Promise<Person | undefined> {
  const row = await db.selectFrom('person').selectAll().where('id', '=', id).executeTakeFirst();
  return row && row;
}

export async function findPersonByEmail(db: Db, email: string): Promise<Person | undefined> {
  const row = await db
    .selectFrom('person')
    .selectAll()
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
  return row && row;
}

export async function findPersonByEmployeeId(db: Db, employeeId: string): Promise<Person | undefined> {
  const row = await db
    .selectFrom('person')
    .selectAll()
    .where('employee_id', '=', employeeId)
    .executeTakeFirst();
  return row && row;
}

/** People whose employee id or (lower-cased) e-mail is among those given; batched. */
export async function findPeopleByKeys(db: Db, employeeIds: string[], emails: string[]): Promise<Person[]> {
  const found = new Map<string, Person>();
  for (let i = 0; i < employeeIds.length; i += 1000) {
    const rows = await db
      .selectFrom('person')
      .selectAll()
      .where('employee_id', 'in', employeeIds.slice(i, i + 1000))
      .execute();
    for (const r of rows) found.set(r.id, r);
  }
  for (let i = 0; i < emails.length; i += 1000) {
    const rows = await db
      .selectFrom('person')
      .selectAll()
      .where(sql<string>`lower(email)`, 'in', emails.slice(i, i + 1000))
      .execute();
    for (const r of rows) found.set(r.id, r);
  }
  return [...found.values()];
}

export async function insertPeople(db: Db, rows: NewPerson[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('person')
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

/** Rewrites every column of the people given (one statement per 500 rows). */
export async function updatePeople(db: Db, rows: (NewPerson & { id: string })[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500).map((r) => ({
      ...r,
      attributes: typeof r.attributes === 'string' ? JSON.parse(r.attributes) : (r.attributes ?? {}),
    }));
    await sql`
      update person p set
        employee_id = v.employee_id, email = v.email, name = v.name, title = v.title, level = v.level,
        team_id = v.team_id, hire_date = v.hire_date, leave_date = v.leave_date, leave_reason = v.leave_reason,
        location = v.location, time_zone = v.time_zone, work_mode = v.work_mode, attributes = v.attributes,
        updated_at = now()
      from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as v(
        id uuid, employee_id text, email text, name text, title text, level text, team_id uuid,
        hire_date date, leave_date date, leave_reason text, location text, time_zone text, work_mode text,
        attributes jsonb)
      where p.id = v.id
    `.execute(db);
  }
}

/** Active people with the fields segments are computed from. */
export async function findActiveSegmentRows(db: Db, asOf: string) {
  const rows = await db
    .selectFrom('person')
    .select(['id', 'team_id', 'level', 'hire_date', 'leave_date', 'location', 'work_mode', 'attributes'])
    .where((w) => w.or([w('leave_date', 'is', null), w('leave_date', '>=', asOf)]))
    .execute();
  return rows;
}

/** Change-log entries about a person and their reporting lines, newest first. */
export async function findPersonChanges(db: Db, personId: string, limit: number) {
  return db
    .selectFrom('org_change')
    .selectAll()
    .where((w) =>
      w.or([
        w.and([w('entity_type', '=', 'person'), w('entity_id', '=', personId)]),
        w.and([
          w('entity_type', '=', 'reporting_line'),
          w(
            'entity_id',
            'in',
            w
              .selectFrom('reporting_line')
              .select('reporting_line.id')
              .where('reporting_line.person_id', '=', personId),
          ),
        ]),
      ]),
    )
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export interface ProfileCardRow {
  id: string;
  name: string;
  email: string;
  title: string | null;
  team_id: string | null;
  team_name: string | null;
  manager_id: string | null;
  leave_date: string | null;
}

export interface PersonProfileRow extends Pick<
  Person,
  | 'id'
  | 'name'
  | 'email'
  | 'title'
  | 'team_id'
  | 'employee_id'
  | 'level'
  | 'hire_date'
  | 'leave_date'
  | 'leave_reason'
  | 'location'
  | 'time_zone'
  | 'work_mode'
  | 'attributes'
> {
  team_name: string | null;
  manager_id: string | null;
  department: string | null;
  lines: { manager_id: string; manager_name: string; valid_from: string; valid_to: string | null }[];
  chain: ProfileCardRow[];
}

/**
 * Everything a private profile shows, in one round trip (the `org_person_profile` database
 * function, whose plan is kept): the person, today's manager, the department above their team,
 * every reporting line (newest first) and today's management chain (nearest first) as cards.
 */
export async function findPersonProfile(
  db: Db,
  id: string,
  asOf: string,
): Promise<PersonProfileRow | undefined> {
  const result = await sql<{
    profile: PersonProfileRow | string | null;
  }>`select org_person_profile(${id}::uuid, ${asOf}::date) as profile`.execute(db);
  const profile = result.rows[0]?.profile ?? null;
  if (profile === null) return undefined;
  // json (not jsonb) arrives parsed from PGlite and from node-postgres alike; a string is tolerated.
  return typeof profile === 'string' ? (JSON.parse(profile) as PersonProfileRow) : profile;
}

export function profileCard(r: ProfileCardRow, asOf: string): PersonCardType {
  return {
    id: r.id,
    name: r.name,
    email: r.email,
    title: r.title,
    teamId: r.team_id,
    teamName: r.team_name,
    managerId: r.manager_id ?? null,
    active: isActive(r.leave_date, asOf),
  };
}
