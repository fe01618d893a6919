import { sql } from 'kysely';
import type { Db } from './org.repository.js';

/** SQL for dated reporting lines (person → manager, valid_from inclusive, valid_to exclusive). */

export interface LineRow {
  id: string;
  person_id: string;
  manager_id: string;
  valid_from: string;
  valid_to: string | null;
}

/** Every line of a person, newest first, with the manager's name. */
export async function findLinesOfPerson(db: Db, personId: string) {
  const rows = await db
    .selectFrom('reporting_line')
    .innerJoin('person as m', 'm.id', 'reporting_line.manager_id')
    .select([
      'reporting_line.id',
      'reporting_line.manager_id',
      'm.name as manager_name',
      'reporting_line.valid_from',
      'reporting_line.valid_to',
    ])
    .where('reporting_line.person_id', '=', personId)
    .orderBy('reporting_line.valid_from', 'desc')
    .execute();
  return rows;
}

/** The latest line (by start date) of each person given; batched. */
export async function findLatestLines(db: Db, personIds: string[]): Promise<Map<string, LineRow>> {
  const out = new Map<string, LineRow>();
  for (let i = 0; i < personIds.length; i += 1000) {
    const rows = await db
      .selectFrom('reporting_line')
      .select(['id', 'person_id', 'manager_id', 'valid_from', 'valid_to'])
      .distinctOn('person_id')
      .where('person_id', 'in', personIds.slice(i, i + 1000))
      .orderBy('person_id')
      .orderBy('valid_from', 'desc')
      .execute();
    for (const r of rows) out.set(r.person_id, r);
  }
  return out;
}

/** Open lines (no end date): the structure going forward, as person → manager. */
export async function findOpenLines(db: Db): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('reporting_line')
    .select(['person_id', 'manager_id'])
    .where('valid_to', 'is', null)
    .execute();
  return new Map(rows.map((r) => [r.person_id, r.manager_id]));
}

/** Sets the end (exclusive) of lines; null reopens a line. */
export async function closeLines(db: Db, closes: { id: string; validTo: string | null }[]): Promise<void> {
  for (let i = 0; i < closes.length; i += 1000) {
    const chunk = closes.slice(i, i + 1000);
    await sql`
      update reporting_line rl set valid_to = v.valid_to
      from jsonb_to_recordset(${JSON.stringify(chunk.map((c) => ({ id: c.id, valid_to: c.validTo })))}::jsonb)
        as v(id uuid, valid_to date)
      where rl.id = v.id
    `.execute(db);
  }
}

export async function updateLineManager(db: Db, id: string, managerId: string): Promise<void> {
  await db.updateTable('reporting_line').set({ manager_id: managerId }).where('id', '=', id).execute();
}

export async function insertLines(
  db: Db,
  rows: { id: string; person_id: string; manager_id: string; valid_from: string }[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insertInto('reporting_line')
      .values(rows.slice(i, i + 1000).map((r) => ({ ...r, valid_to: null })))
      .execute();
  }
}

/** Today's managers above a person, nearest first. */
export async function findManagerChainIds(db: Db, personId: string, asOf: string): Promise<string[]> {
  const result = await sql<{ manager_id: string; depth: number }>`
    with recursive chain(manager_id, depth, path) as (
      select rl.manager_id, 1, array[rl.person_id, rl.manager_id]
      from reporting_line rl
      where rl.person_id = ${personId}
        and rl.valid_from <= ${asOf}::date and (rl.valid_to is null or rl.valid_to > ${asOf}::date)
      union all
      select rl.manager_id, c.depth + 1, c.path || rl.manager_id
      from reporting_line rl join chain c on rl.person_id = c.manager_id
      where rl.valid_from <= ${asOf}::date and (rl.valid_to is null or rl.valid_to > ${asOf}::date)
        and not rl.manager_id = any(c.path) and c.depth < 100
    )
    select manager_id, min(depth)::int as depth from chain group by manager_id order by depth
  `.execute(db);
  return result.rows.map((r) => r.manager_id);
}
