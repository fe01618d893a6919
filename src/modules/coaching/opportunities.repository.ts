import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import type { OpportunityStatusValue } from './opportunities.tables.js';
import type { ReportLine } from './opportunities.sources.js';

/** SQL of coaching opportunities. */

/** Every current direct-report line on a day, with what the rules need about the report. */
export async function findReportLines(db: Kysely<DB>, asOf: string): Promise<ReportLine[]> {
  const rows = await db
    .selectFrom('reporting_line as rl')
    .innerJoin('person as p', 'p.id', 'rl.person_id')
    .innerJoin('person as m', 'm.id', 'rl.manager_id')
    .select([
      'p.id as person_id',
      'p.name',
      'rl.manager_id',
      'p.team_id',
      sql<string | null>`p.hire_date::text`.as('hire_date'),
      sql<string>`rl.valid_from::text`.as('valid_from'),
    ])
    .where('rl.valid_from', '<=', asOf)
    .where((eb) => eb.or([eb('rl.valid_to', 'is', null), eb('rl.valid_to', '>', asOf)]))
    .where((eb) => eb.or([eb('p.leave_date', 'is', null), eb('p.leave_date', '>', asOf)]))
    .where((eb) => eb.or([eb('m.leave_date', 'is', null), eb('m.leave_date', '>', asOf)]))
    .orderBy('rl.manager_id')
    .orderBy('p.name')
    .execute();
  return rows.map((r) => ({
    personId: r.person_id,
    name: r.name,
    managerId: r.manager_id,
    teamId: r.team_id,
    hireDate: r.hire_date,
    lineFrom: r.valid_from,
  }));
}

export async function findTeamNames(db: Kysely<DB>): Promise<Map<string, string>> {
  const rows = await db.selectFrom('team').select(['id', 'name']).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Which of the keys each recipient already has (any status). */
export async function findExistingKeys(db: Kysely<DB>, recipientIds: string[]): Promise<Set<string>> {
  if (recipientIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('coaching_opportunity')
    .select(['recipient_person_id', 'dedupe_key'])
    .where('recipient_person_id', 'in', recipientIds)
    .execute();
  return new Set(rows.map((r) => `${r.recipient_person_id}#${r.dedupe_key}`));
}

/** How many opportunities each recipient already received for a scan week. */
export async function countCreatedInWeek(
  db: Kysely<DB>,
  recipientIds: string[],
  week: string,
): Promise<Map<string, number>> {
  if (recipientIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('coaching_opportunity')
    .select(['recipient_person_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('recipient_person_id', 'in', recipientIds)
    .where('scan_week', '=', week)
    .groupBy('recipient_person_id')
    .execute();
  return new Map(rows.map((r) => [r.recipient_person_id, Number(r.n)]));
}

/** Wakes snoozed opportunities whose day has come. */
export async function wakeSnoozed(db: Kysely<DB>, asOf: string, recipientId?: string): Promise<number> {
  let q = db
    .updateTable('coaching_opportunity')
    .set({ status: 'open', snoozed_until: null, updated_at: new Date() })
    .where('status', '=', 'snoozed')
    .where('snoozed_until', '<=', asOf);
  if (recipientId) q = q.where('recipient_person_id', '=', recipientId);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export const SUMMARY_COLUMNS = [
  'o.id',
  'o.recipient_person_id',
  'o.subject_type',
  'o.subject_person_id',
  'o.subject_team_id',
  'o.trigger',
  'o.polarity',
  'o.priority',
  'o.framework',
  'o.title',
  'o.reason',
  'o.period',
  'o.status',
  'o.acted_at',
  'o.acted_note',
  'o.dismiss_reason',
  'o.useful',
  'o.created_at',
  'o.evidence',
  'o.facts',
] as const;

function baseQuery(db: Kysely<DB>) {
  return db
    .selectFrom('coaching_opportunity as o')
    .leftJoin('person as sp', 'sp.id', 'o.subject_person_id')
    .leftJoin('team as st', 'st.id', 'o.subject_team_id')
    .select(SUMMARY_COLUMNS)
    .select([
      sql<string | null>`o.snoozed_until::text`.as('snoozed_until'),
      sql<string>`coalesce(sp.name, st.name, '')`.as('subject_name'),
    ]);
}

export type OpportunityRow = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

const PRIORITY_ORDER = sql<number>`case o.priority when 'high' then 0 when 'medium' then 1 else 2 end`;

/** A recipient's opportunities in one status (or all), highest priority and newest first. */
export async function listForRecipient(
  db: Kysely<DB>,
  recipientId: string,
  status: OpportunityStatusValue | 'all',
  limit = 200,
): Promise<OpportunityRow[]> {
  let q = baseQuery(db).where('o.recipient_person_id', '=', recipientId);
  if (status !== 'all') q = q.where('o.status', '=', status);
  return q.orderBy(PRIORITY_ORDER).orderBy('o.created_at', 'desc').orderBy('o.id').limit(limit).execute();
}

export async function findOpportunity(db: Kysely<DB>, id: string): Promise<OpportunityRow | undefined> {
  return baseQuery(db).where('o.id', '=', id).executeTakeFirst();
}

export async function countByStatus(
  db: Kysely<DB>,
  recipientId: string,
  week: string,
): Promise<Record<OpportunityStatusValue, number> & { suppressedThisWeek: number }> {
  const rows = await db
    .selectFrom('coaching_opportunity')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('recipient_person_id', '=', recipientId)
    .groupBy('status')
    .execute();
  const suppressed = await db
    .selectFrom('coaching_opportunity_suppressed as s')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('s.recipient_person_id', '=', recipientId)
    .where('s.scan_week', '=', week)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('coaching_opportunity as o')
            .select('o.id')
            .whereRef('o.recipient_person_id', '=', 's.recipient_person_id')
            .whereRef('o.dedupe_key', '=', 's.dedupe_key'),
        ),
      ),
    )
    .executeTakeFirstOrThrow();
  const counts = { open: 0, snoozed: 0, acted: 0, dismissed: 0, suppressedThisWeek: Number(suppressed.n) };
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}
