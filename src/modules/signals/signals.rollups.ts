import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import {
  changeRefs,
  computeItemFact,
  eventContributions,
  incidentCauses,
  isIncident,
  itemContributions,
  REVIEW_PAIR,
  ticketKeys,
  type Contribution,
  type ItemFact,
  type IsBot,
  type SignalEvent,
  type SignalItem,
} from './signals.metrics.js';

/**
 * The rollups: person × week and team × week sums of the metric keys in signals.metrics.ts, and the
 * review graph (reviewer → author × week), maintained incrementally from the trigger-fed change log
 * (−old +new per event; per item, the difference between its stored fact and its fact now), and
 * rebuildable from scratch. A contribution counts for the team the person belonged to when it
 * happened (signals_team_membership, dated), not their team today.
 */

/** Serialises every writer of the rollups (consumers on several app instances, the rebuild). */
const ROLLUP_LOCK = 734_251_901;
/** Channel the triggers notify when work data changed. */
export const CHANGE_CHANNEL = 'signals_change';
/** Channel the consumer notifies once rollups moved: `{ persons, teams }`. */
export const UPDATED_CHANNEL = 'signals_updated';

export interface ApplyResult {
  changes: number;
  persons: string[];
  teams: string[];
}

type Db = Kysely<DB> | Transaction<DB>;

async function botChecker(db: Db): Promise<IsBot> {
  const rows = await db.selectFrom('ingest_identity').select('id').where('is_bot', '=', true).execute();
  const bots = new Set(rows.map((r) => r.id));
  return (id) => id !== null && bots.has(id);
}

function toEvent(row: Record<string, unknown>): SignalEvent {
  return {
    id: Number(row.id),
    source: String(row.source),
    source_id: String(row.source_id),
    kind: String(row.kind),
    person_id: (row.person_id as string | null) ?? null,
    actor_identity_id: (row.actor_identity_id as string | null) ?? null,
    occurred_at: row.occurred_at as string | Date,
    project: (row.project as string | null) ?? null,
    item_source_id: (row.item_source_id as string | null) ?? null,
    attributes:
      typeof row.attributes === 'string'
        ? (JSON.parse(row.attributes) as Record<string, unknown>)
        : ((row.attributes as Record<string, unknown> | null) ?? {}),
  };
}

const itemKey = (source: string, sourceId: string): string => `${source}\u0000${sourceId}`;

async function itemAuthors(db: Db, keys: Iterable<[string, string]>): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  const list = [...keys];
  for (let i = 0; i < list.length; i += 500) {
    const chunk = list.slice(i, i + 500);
    if (chunk.length === 0) continue;
    const rows = await db
      .selectFrom('ingest_work_item')
      .select(['source', 'source_id', 'person_id'])
      .where((eb) => eb.or(chunk.map(([s, id]) => eb.and([eb('source', '=', s), eb('source_id', '=', id)]))))
      .execute();
    for (const r of rows) out.set(itemKey(r.source, r.source_id), r.person_id);
  }
  return out;
}

/** Who made the changes an incident references (see incidentCauses): `ref → person ids`. */
async function resolveCauses(db: Db, refs: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const add = (ref: string, person: string | null) => {
    if (!person) return;
    const list = out.get(ref) ?? [];
    if (!list.includes(person)) list.push(person);
    out.set(ref, list);
  };
  const of = (prefix: string) => refs.filter((r) => r.startsWith(prefix)).map((r) => r.slice(prefix.length));
  const prs = of('pr:');
  if (prs.length)
    for (const r of await db
      .selectFrom('ingest_work_item')
      .select(['source_id', 'person_id'])
      .where('kind', '=', 'pull_request')
      .where('source_id', 'in', prs)
      .execute())
      add(`pr:${r.source_id}`, r.person_id);
  const shas = of('sha:');
  if (shas.length)
    for (const r of await db
      .selectFrom('ingest_work_event')
      .select(['source_id', 'person_id'])
      .where('source', '=', 'git')
      .where('kind', '=', 'commit')
      .where('source_id', 'in', shas)
      .execute())
      add(`sha:${r.source_id.toLowerCase()}`, r.person_id);
  const gh = of('ghc:');
  if (gh.length)
    for (const r of await db
      .selectFrom('ingest_work_event')
      .select(['source_id', 'person_id'])
      .where('source', '=', 'github')
      .where('kind', '=', 'commit')
      .where(
        'source_id',
        'in',
        gh.map((g) => `commit:${g}`),
      )
      .execute())
      add(`ghc:${r.source_id.slice('commit:'.length).toLowerCase()}`, r.person_id);
  for (const key of of('key:')) {
    const rows = await db
      .selectFrom('ingest_work_item')
      .select(['title', 'person_id'])
      .where('kind', '=', 'pull_request')
      .where(sql<boolean>`position(${key} in title) > 0`)
      .execute();
    for (const r of rows) if (ticketKeys(r.title).includes(key)) add(`key:${key}`, r.person_id);
  }
  return out;
}

async function loadItemFact(
  db: Db,
  source: string,
  sourceId: string,
  isBot: IsBot,
): Promise<ItemFact | null> {
  const item = await db
    .selectFrom('ingest_work_item')
    .selectAll()
    .where('source', '=', source)
    .where('source_id', '=', sourceId)
    .executeTakeFirst();
  if (!item) return null;
  const events = await db
    .selectFrom('ingest_work_event')
    .selectAll()
    .where('source', '=', source)
    .where('item_source_id', '=', sourceId)
    .execute();
  const signalItem = item as unknown as SignalItem;
  const causes = isIncident(signalItem)
    ? await resolveCauses(db, incidentCauses(signalItem))
    : new Map<string, string[]>();
  return computeItemFact(
    signalItem,
    events.map((e) => toEvent(e as unknown as Record<string, unknown>)),
    isBot,
    (ref) => causes.get(ref) ?? [],
  );
}

function factRow(f: ItemFact, teamAt: TeamAt) {
  return {
    source: f.source,
    source_id: f.source_id,
    kind: f.kind,
    person_id: f.person_id,
    team_id: f.person_id && f.done_at ? teamAt(f.person_id, f.done_at) : null,
    week: f.week,
    done_at: f.done_at ? new Date(f.done_at) : null,
    project: f.project,
    fact: JSON.stringify(f),
    coding_s: f.coding_s,
    pickup_s: f.pickup_s,
    review_s: f.review_s,
  };
}

// ---------------------------------------------------------------------------------------------
// Team membership over time

/** The team a person belonged to at an instant (ISO), or null. */
export type TeamAt = (personId: string, at: string) => string | null;

interface Membership {
  team: string;
  from: number;
  to: number;
}

/**
 * Loads the dated memberships of these people (all people when omitted). `persons` holds every
 * person that exists, so deltas for a deleted person are dropped rather than violating a key.
 */
export async function loadMemberships(
  db: Db,
  personIds?: readonly string[],
): Promise<{ teamAt: TeamAt; persons: Set<string> }> {
  const byPerson = new Map<string, Membership[]>();
  const persons = new Set<string>();
  const load = async (chunk?: readonly string[]) => {
    let q = db
      .selectFrom('person as p')
      .leftJoin('signals_team_membership as m', 'm.person_id', 'p.id')
      .select(['p.id', 'm.team_id', 'm.valid_from', 'm.valid_to']);
    if (chunk) q = q.where('p.id', 'in', [...chunk]);
    for (const r of await q.execute()) {
      persons.add(r.id);
      if (!r.team_id) continue;
      const list = byPerson.get(r.id) ?? [];
      list.push({
        team: r.team_id,
        from: r.valid_from ? new Date(r.valid_from).getTime() : -Infinity,
        to: r.valid_to ? new Date(r.valid_to).getTime() : Infinity,
      });
      byPerson.set(r.id, list);
    }
  };
  if (!personIds) await load();
  else for (let i = 0; i < personIds.length; i += 1000) await load(personIds.slice(i, i + 1000));
  const teamAt: TeamAt = (personId, at) => {
    const list = byPerson.get(personId);
    if (!list) return null;
    const t = new Date(at).getTime();
    for (const m of list) if (m.from <= t && t < m.to) return m.team;
    return null;
  };
  return { teamAt, persons };
}

/** Accumulated rollup changes: person × week, team × week (team at the time), reviewer → author × week. */
class Deltas {
  readonly person = new Map<string, number>();
  readonly team = new Map<string, number>();
  readonly pairs = new Map<string, number>();

  constructor(private readonly teamAt: TeamAt) {}

  get size(): number {
    return this.person.size + this.team.size + this.pairs.size;
  }

  clear(): void {
    this.person.clear();
    this.team.clear();
    this.pairs.clear();
  }

  add(contributions: readonly Contribution[], sign: 1 | -1 = 1): void {
    for (const c of contributions) {
      if (c.metric.startsWith(REVIEW_PAIR)) {
        bump(this.pairs, `${c.personId}|${c.metric.slice(REVIEW_PAIR.length)}|${c.week}`, sign * c.value);
        continue;
      }
      bump(this.person, `${c.personId}|${c.week}|${c.metric}`, sign * c.value);
      const team = this.teamAt(c.personId, c.at);
      if (team) bump(this.team, `${team}|${c.week}|${c.metric}`, sign * c.value);
    }
  }
}

function bump(into: Map<string, number>, key: string, v: number): void {
  const next = (into.get(key) ?? 0) + v;
  if (Math.abs(next) < 1e-9) into.delete(key);
  else into.set(key, next);
}

const split3 = (key: string): [string, string, string] => {
  const a = key.indexOf('|');
  const b = key.indexOf('|', a + 1);
  return [key.slice(0, a), key.slice(a + 1, b), key.slice(b + 1)];
};

const UPSERT_BATCH = 5000;

/**
 * Adds rows to a rollup table, `value = value + excluded.value` on conflict: one statement per
 * 5,000 rows with the rows as one JSON parameter (far cheaper to send and plan than 20,000 binds).
 */
async function upsertRows(
  db: Db,
  table: 'signals_person_week' | 'signals_team_week' | 'signals_review_week',
  columns: string,
  key: readonly string[],
  valueColumn: string,
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  const names = columns.split(',').map((c) => c.trim().split(' ')[0]!);
  for (let i = 0; i < rows.length; i += UPSERT_BATCH) {
    const json = JSON.stringify(rows.slice(i, i + UPSERT_BATCH));
    await sql`
      insert into ${sql.table(table)} (${sql.join(names.map((n) => sql.ref(n)))})
      select ${sql.join(names.map((n) => sql.ref(n)))} from jsonb_to_recordset(${json}::jsonb) as r(${sql.raw(columns)})
      on conflict (${sql.join(key.map((k) => sql.ref(k)))})
      do update set ${sql.ref(valueColumn)} = ${sql.raw(`${table}.${valueColumn}`)} + excluded.${sql.ref(valueColumn)}`.execute(
      db,
    );
  }
}

/** Adds the deltas to the rollup tables (no clean-up); returns the rows written per table. */
async function writeDeltas(
  db: Db,
  d: Deltas,
  persons: Set<string>,
): Promise<{
  personRows: { person_id: string }[];
  teamRows: { team_id: string }[];
  pairRows: { reviewer_id: string }[];
}> {
  const personRows = [...d.person]
    .map(([k, value]) => {
      const [person_id, week, metric] = split3(k);
      return { person_id, week, metric, value };
    })
    .filter((r) => persons.has(r.person_id));
  await upsertRows(
    db,
    'signals_person_week',
    'person_id uuid, week date, metric text, value float8',
    ['person_id', 'week', 'metric'],
    'value',
    personRows,
  );
  const teamRows = [...d.team].map(([k, value]) => {
    const [team_id, week, metric] = split3(k);
    return { team_id, week, metric, value };
  });
  await upsertRows(
    db,
    'signals_team_week',
    'team_id uuid, week date, metric text, value float8',
    ['team_id', 'week', 'metric'],
    'value',
    teamRows,
  );
  const pairRows = [...d.pairs]
    .map(([k, reviews]) => {
      const [reviewer_id, author_id, week] = split3(k);
      return { reviewer_id, author_id, week, reviews };
    })
    .filter((r) => persons.has(r.reviewer_id) && persons.has(r.author_id));
  await upsertRows(
    db,
    'signals_review_week',
    'reviewer_id uuid, author_id uuid, week date, reviews float8',
    ['reviewer_id', 'week', 'author_id'],
    'reviews',
    pairRows,
  );
  return { personRows, teamRows, pairRows };
}

/** Adds the deltas to the rollup tables; rows that cancel to 0 are removed. */
async function applyDeltas(
  db: Db,
  d: Deltas,
  persons: Set<string>,
): Promise<{ persons: string[]; teams: string[] }> {
  const { personRows, teamRows, pairRows } = await writeDeltas(db, d, persons);
  const touchedPersons = [...new Set(personRows.map((r) => r.person_id))];
  const touchedTeams = [...new Set(teamRows.map((r) => r.team_id))];
  const reviewers = [...new Set(pairRows.map((r) => r.reviewer_id))];
  // Only the touched subjects' rows can have cancelled out (primary-key prefix, no table scan).
  for (let i = 0; i < touchedPersons.length; i += 1000)
    await db
      .deleteFrom('signals_person_week')
      .where('person_id', 'in', touchedPersons.slice(i, i + 1000))
      .where(sql<boolean>`abs(value) < 1e-9`)
      .execute();
  for (let i = 0; i < touchedTeams.length; i += 1000)
    await db
      .deleteFrom('signals_team_week')
      .where('team_id', 'in', touchedTeams.slice(i, i + 1000))
      .where(sql<boolean>`abs(value) < 1e-9`)
      .execute();
  for (let i = 0; i < reviewers.length; i += 1000)
    await db
      .deleteFrom('signals_review_week')
      .where('reviewer_id', 'in', reviewers.slice(i, i + 1000))
      .where(sql<boolean>`abs(reviews) < 1e-9`)
      .execute();
  return { persons: touchedPersons, teams: touchedTeams };
}

/** Tries of a locked snapshot that a concurrent write outside the lock made fail. */
const SNAPSHOT_TRIES = 3;

/**
 * Runs `fn` in a repeatable-read transaction holding the rollup lock. The lock is taken on the
 * connection before the transaction begins: a snapshot is taken by the transaction's first statement,
 * and one taken while waiting for the lock would miss what the holder (another applier, a rebuild)
 * commits — changes it already applied would look pending, and PostgreSQL would refuse the deletes.
 * A rollup row written outside the lock meanwhile (a cascade from a deleted team or person) fails
 * the transaction with a serialization failure (40001); it is rolled back and run again on a fresh
 * snapshot, still under the lock.
 */
async function inLockedSnapshot<T>(db: Kysely<DB>, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${ROLLUP_LOCK})`.execute(conn);
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return await conn.transaction().setIsolationLevel('repeatable read').execute(fn);
        } catch (error) {
          if (attempt >= SNAPSHOT_TRIES || (error as { code?: unknown }).code !== '40001') throw error;
        }
      }
    } finally {
      await sql`select pg_advisory_unlock(${ROLLUP_LOCK})`.execute(conn);
    }
  });
}

/** Changes a change-log row stands for: the events of an insert statement, else one. */
function changeCount(c: { event_ids: readonly unknown[] | null }): number {
  return c.event_ids?.length ?? 1;
}

/**
 * Inserted events (captured by id) as they were inserted: the old side of the first later change of
 * each (an update or a delete carries the event as it was before), else the event row as it is —
 * both read in the applier's snapshot, so an update committed after it is neither seen in the row
 * nor pending, and is applied later from its own change. An event gone without a captured delete
 * (a TRUNCATE) counts for nothing.
 */
async function insertedEvents(
  trx: Transaction<DB>,
  ids: number[],
  beforeRows?: () => Promise<void>,
): Promise<SignalEvent[]> {
  const out: SignalEvent[] = [];
  for (let i = 0; i < ids.length; i += 10_000) {
    const chunk = ids.slice(i, i + 10_000);
    const later = await sql<{ old_event_id: number; old_event: Record<string, unknown> }>`
      select distinct on (old_event_id) old_event_id, old_event from signals_change
      where old_event_id = any(${chunk}::bigint[]) order by old_event_id, id`.execute(trx);
    const before = new Map(later.rows.map((r) => [Number(r.old_event_id), r.old_event]));
    for (const e of before.values()) out.push(toEvent(e));
    const rest = chunk.filter((id) => !before.has(id));
    if (rest.length === 0) continue;
    await beforeRows?.();
    const rows = await trx.selectFrom('ingest_work_event').selectAll().where('id', 'in', rest).execute();
    for (const r of rows) out.push(toEvent(r as unknown as Record<string, unknown>));
  }
  return out;
}

/**
 * Applies about `limit` captured changes (whole change-log rows, at least one) in one transaction —
 * rollups, item facts and the applied counter move together — under the rollup lock, so several
 * instances never apply the same change.
 */
export async function applyPendingChanges(
  db: Kysely<DB>,
  options: {
    limit?: number;
    /**
     * Called between reading the change log and reading inserted events' rows (tests commit a
     * concurrent write there, which the snapshot must not see).
     */
    beforeEventRows?: () => Promise<void>;
  } = {},
): Promise<ApplyResult> {
  const limit = options.limit ?? 5000;
  return inLockedSnapshot(db, async (trx) => {
    const rows = await trx.selectFrom('signals_change').selectAll().orderBy('id').limit(limit).execute();
    const changes: typeof rows = [];
    let count = 0;
    for (const c of rows) {
      if (changes.length > 0 && count + changeCount(c) > limit) break;
      changes.push(c);
      count += changeCount(c);
    }
    if (changes.length === 0) return { changes: 0, persons: [], teams: [] };
    const isBot = await botChecker(trx);
    const items = new Map<string, [string, string]>();
    const oldEvents: SignalEvent[] = [];
    const newEvents: SignalEvent[] = [];
    const inserted: number[] = [];
    for (const c of changes) {
      if (c.event_ids) for (const id of c.event_ids) inserted.push(Number(id));
      if (c.old_event) oldEvents.push(toEvent(c.old_event));
      if (c.new_event) newEvents.push(toEvent(c.new_event));
      if (c.item_source && c.item_source_id)
        items.set(itemKey(c.item_source, c.item_source_id), [c.item_source, c.item_source_id]);
    }
    if (inserted.length) newEvents.push(...(await insertedEvents(trx, inserted, options.beforeEventRows)));
    for (const e of [...oldEvents, ...newEvents]) {
      if (e.item_source_id) items.set(itemKey(e.source, e.item_source_id), [e.source, e.item_source_id]);
    }
    const reviewItems = [...oldEvents, ...newEvents]
      .filter((e) => e.kind === 'review_submitted' && e.item_source_id)
      .map((e) => [e.source, e.item_source_id as string] as [string, string]);
    const authors = await itemAuthors(trx, reviewItems);
    const authorOf = (e: SignalEvent) =>
      e.item_source_id ? (authors.get(itemKey(e.source, e.item_source_id)) ?? null) : null;
    // Reviews are judged against the item author as known now, for old and new alike, so a change
    // of the author mapping is applied when the item itself changes (below, via its fact) or on rebuild.
    const signed: [Contribution[], 1 | -1][] = [];
    for (const e of oldEvents) signed.push([eventContributions(e, isBot, authorOf(e)), -1]);
    for (const e of newEvents) signed.push([eventContributions(e, isBot, authorOf(e)), 1]);

    // Incidents naming a change that moved (a pull request, a commit) are recomputed too.
    const refs = new Set<string>();
    for (const e of [...oldEvents, ...newEvents])
      if (e.kind === 'commit') changeRefs('commit', e.source, e.source_id).forEach((r) => refs.add(r));
    const changedItems = [...items.values()];
    for (let i = 0; i < changedItems.length; i += 500) {
      const chunk = changedItems.slice(i, i + 500);
      const prs = await trx
        .selectFrom('ingest_work_item')
        .select(['source', 'source_id', 'title'])
        .where('kind', '=', 'pull_request')
        .where((eb) =>
          eb.or(chunk.map(([s, id]) => eb.and([eb('source', '=', s), eb('source_id', '=', id)]))),
        )
        .execute();
      for (const pr of prs) changeRefs('pr', pr.source, pr.source_id, pr.title).forEach((r) => refs.add(r));
      // A pull request that is gone: the references its stored fact was found by.
      for (const [source, id] of chunk) if (source === 'github' && id.includes('#')) refs.add(`pr:${id}`);
    }
    if (refs.size > 0) {
      const list = [...refs];
      for (let i = 0; i < list.length; i += 500) {
        const incidents = await trx
          .selectFrom('signals_item_fact')
          .select(['source', 'source_id'])
          .where(sql<boolean>`(fact->>'incident') = 'true'`)
          .where(
            sql<boolean>`(fact->'causedBy') ?| array[${sql.join(list.slice(i, i + 500).map((r) => sql`${r}`))}]::text[]`,
          )
          .execute();
        for (const r of incidents) items.set(itemKey(r.source, r.source_id), [r.source, r.source_id]);
      }
    }

    const factUpdates: { source: string; sourceId: string; after: ItemFact | null }[] = [];
    for (const [source, sourceId] of items.values()) {
      const stored = await trx
        .selectFrom('signals_item_fact')
        .select('fact')
        .where('source', '=', source)
        .where('source_id', '=', sourceId)
        .executeTakeFirst();
      const before = stored ? (stored.fact as unknown as ItemFact) : null;
      const after = await loadItemFact(trx, source, sourceId, isBot);
      signed.push([itemContributions(before), -1]);
      signed.push([itemContributions(after), 1]);
      factUpdates.push({ source, sourceId, after });
    }
    const involved = new Set<string>();
    for (const [cs] of signed) for (const c of cs) involved.add(c.personId);
    for (const e of [...oldEvents, ...newEvents]) {
      const a = authorOf(e);
      if (a) involved.add(a);
    }
    for (const f of factUpdates) if (f.after?.person_id) involved.add(f.after.person_id);
    const { teamAt, persons } = await loadMemberships(trx, [...involved]);
    const deltas = new Deltas(teamAt);
    for (const [cs, sign] of signed) deltas.add(cs, sign);
    for (const { source, sourceId, after } of factUpdates) {
      if (!after) {
        await trx
          .deleteFrom('signals_item_fact')
          .where('source', '=', source)
          .where('source_id', '=', sourceId)
          .execute();
      } else {
        const row = factRow(after, teamAt);
        await trx
          .insertInto('signals_item_fact')
          .values(row)
          .onConflict((oc) => oc.columns(['source', 'source_id']).doUpdateSet(row))
          .execute();
      }
    }
    const touched = await applyDeltas(trx, deltas, persons);
    const lastId = changes[changes.length - 1]!.id;
    await trx.deleteFrom('signals_change').where('id', '<=', lastId).execute();
    await trx
      .updateTable('signals_state')
      .set({ applied_changes: sql`applied_changes + ${count}`, last_applied_at: new Date() })
      .where('id', '=', 1)
      .execute();
    return { changes: count, ...touched };
  });
}

/** Applies every pending change, batch by batch. */
export async function applyAllPendingChanges(db: Kysely<DB>, limit = 5000): Promise<ApplyResult> {
  const total: ApplyResult = { changes: 0, persons: [], teams: [] };
  const persons = new Set<string>();
  const teams = new Set<string>();
  for (;;) {
    const r = await applyPendingChanges(db, { limit });
    if (r.changes === 0) break;
    total.changes += r.changes;
    r.persons.forEach((p) => persons.add(p));
    r.teams.forEach((t) => teams.add(t));
  }
  return { ...total, persons: [...persons], teams: [...teams] };
}

export async function pendingChangeCount(db: Kysely<DB>): Promise<number> {
  const row = await sql<{ n: number }>`
    select coalesce(sum(coalesce(cardinality(event_ids), 1)), 0)::int8 as n from signals_change`.execute(db);
  return Number(row.rows[0]?.n ?? 0);
}

export interface RebuildProgress {
  phase: 'events' | 'items' | 'writing';
  done: number;
}

/** Rollup entries a rebuild accumulates before it adds them to the tables (bounds its memory). */
const REBUILD_FLUSH_AT = 200_000;

/**
 * Recomputes the rollups and item facts from the work model, from scratch, in one repeatable-read
 * transaction: changes captured before its snapshot are covered and cleared; later ones stay queued.
 * It streams: events are read in keyset pages (by id), items in keyset pages (by source, source_id)
 * with the events of each page's items, and the accumulated sums are added to the tables every
 * REBUILD_FLUSH_AT entries, so memory depends on the page size, not on the number of events.
 */
export async function rebuildSignals(
  db: Kysely<DB>,
  options: { onProgress?: (p: RebuildProgress) => void; pageSize?: number; flushAt?: number } = {},
): Promise<{ events: number; items: number; rows: number }> {
  const pageSize = options.pageSize ?? 10_000;
  const result = await inLockedSnapshot(db, (trx) =>
    rebuildIn(trx, options, pageSize, options.flushAt ?? REBUILD_FLUSH_AT),
  );
  // Every rollup row was rewritten: reclaim the old ones and mark the pages all-visible, so the
  // dashboards' index-only scans need no heap visits (outside the transaction, as VACUUM must be).
  await sql`vacuum analyze signals_person_week, signals_team_week, signals_org_week, signals_review_week, signals_item_fact`.execute(
    db,
  );
  return result;
}

async function insertFacts(trx: Db, factRows: readonly ReturnType<typeof factRow>[]): Promise<void> {
  for (let i = 0; i < factRows.length; i += UPSERT_BATCH) {
    const json = JSON.stringify(
      factRows.slice(i, i + UPSERT_BATCH).map((r) => ({ ...r, fact: JSON.parse(r.fact) as unknown })),
    );
    await sql`
      insert into signals_item_fact (source, source_id, kind, person_id, team_id, week, done_at, project, fact, coding_s, pickup_s, review_s)
      select source, source_id, kind, person_id, team_id, week, done_at, project, fact, coding_s, pickup_s, review_s
      from jsonb_to_recordset(${json}::jsonb) as r(source text, source_id text, kind text, person_id uuid, team_id uuid,
        week date, done_at timestamptz, project text, fact jsonb, coding_s float8, pickup_s float8, review_s float8)`.execute(
      trx,
    );
  }
}

/** The rebuild itself, in the locked repeatable-read transaction `trx` (see rebuildSignals). */
async function rebuildIn(
  trx: Transaction<DB>,
  options: { onProgress?: (p: RebuildProgress) => void },
  pageSize: number,
  flushAt: number,
): Promise<{ events: number; items: number; rows: number }> {
  await trx.deleteFrom('signals_change').execute();
  await trx.deleteFrom('signals_item_fact').execute();
  await trx.deleteFrom('signals_person_week').execute();
  await trx.deleteFrom('signals_team_week').execute();
  await trx.deleteFrom('signals_review_week').execute();
  const isBot = await botChecker(trx);
  // Bounded by the number of people, not events.
  const { teamAt, persons } = await loadMemberships(trx);
  const totals = new Deltas(teamAt);
  const flush = async (force = false) => {
    if (totals.size === 0 || (!force && totals.size < flushAt)) return;
    await writeDeltas(trx, totals, persons);
    totals.clear();
  };

  // Events, page by page; a review is judged against its pull request's author (joined per row).
  let events = 0;
  let lastId = 0;
  for (;;) {
    const page = await sql<Record<string, unknown>>`
      select e.id, e.source, e.source_id, e.kind, e.person_id, e.actor_identity_id, e.occurred_at,
        e.project, e.item_source_id, e.attributes, i.person_id as item_author
      from ingest_work_event e
      left join ingest_work_item i on e.kind = 'review_submitted' and i.kind = 'pull_request'
        and i.source = e.source and i.source_id = e.item_source_id
      where e.id > ${lastId}
      order by e.id
      limit ${pageSize}`.execute(trx);
    if (page.rows.length === 0) break;
    for (const row of page.rows) {
      const e = toEvent(row);
      totals.add(eventContributions(e, isBot, (row.item_author as string | null) ?? null));
    }
    events += page.rows.length;
    lastId = Number(page.rows[page.rows.length - 1]!.id);
    await flush();
    options.onProgress?.({ phase: 'events', done: events });
  }

  // Items, page by page in key order, each page with all the events of its items (one range read
  // of the (source, item_source_id) index).
  let items = 0;
  let after: { source: string; source_id: string } | null = null;
  const itemPage = Math.max(1, Math.floor(pageSize / 4));
  for (;;) {
    // Keyset: the rest of the current source, then the next sources (both plain index ranges).
    let page: Selectable<DB['ingest_work_item']>[] = after
      ? await trx
          .selectFrom('ingest_work_item')
          .selectAll()
          .where('source', '=', after.source)
          .where('source_id', '>', after.source_id)
          .orderBy('source_id')
          .limit(itemPage)
          .execute()
      : [];
    if (page.length === 0) {
      let q = trx.selectFrom('ingest_work_item').selectAll();
      if (after) q = q.where('source', '>', after.source);
      page = await q.orderBy('source').orderBy('source_id').limit(itemPage).execute();
    }
    if (page.length === 0) break;
    const first = page[0]!;
    const last = page[page.length - 1]!;
    const eventRows = await trx
      .selectFrom('ingest_work_event')
      .selectAll()
      .where(
        first.source === last.source
          ? sql<boolean>`source = ${first.source} and item_source_id >= ${first.source_id} and item_source_id <= ${last.source_id}`
          : sql<boolean>`(source, item_source_id) >= (${first.source}, ${first.source_id}) and (source, item_source_id) <= (${last.source}, ${last.source_id})`,
      )
      .where('item_source_id', 'is not', null)
      .execute();
    const byItem = new Map<string, SignalEvent[]>();
    for (const row of eventRows) {
      const e = toEvent(row as unknown as Record<string, unknown>);
      const k = itemKey(e.source, e.item_source_id as string);
      const list = byItem.get(k);
      if (list) list.push(e);
      else byItem.set(k, [e]);
    }
    const incidentRefs = new Set<string>();
    for (const item of page)
      if (isIncident(item as unknown as SignalItem))
        incidentCauses(item as unknown as SignalItem).forEach((r) => incidentRefs.add(r));
    const causes = incidentRefs.size > 0 ? await resolveCauses(trx, [...incidentRefs]) : new Map();
    const factRows: ReturnType<typeof factRow>[] = [];
    for (const item of page) {
      const fact = computeItemFact(
        item as unknown as SignalItem,
        (byItem.get(itemKey(item.source, item.source_id)) ?? []).sort((a, b) => a.id - b.id),
        isBot,
        (ref) => (causes.get(ref) as string[] | undefined) ?? [],
      );
      totals.add(itemContributions(fact));
      factRows.push(factRow(fact, teamAt));
    }
    await insertFacts(trx, factRows);
    items += page.length;
    after = { source: last.source, source_id: last.source_id };
    await flush();
    options.onProgress?.({ phase: 'items', done: items });
  }
  options.onProgress?.({ phase: 'items', done: items });
  await flush(true);
  // Sums split across flushes can cancel only once added up: drop the rows that did.
  await sql`delete from signals_person_week where abs(value) < 1e-9`.execute(trx);
  await sql`delete from signals_team_week where abs(value) < 1e-9`.execute(trx);
  await sql`delete from signals_review_week where abs(reviews) < 1e-9`.execute(trx);
  const rows = await trx
    .selectFrom('signals_person_week')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  options.onProgress?.({ phase: 'writing', done: Number(rows.n) });
  // Fresh statistics for the planner (PGlite has no autovacuum to gather them).
  await sql`analyze signals_person_week, signals_team_week, signals_review_week, signals_item_fact`.execute(
    trx,
  );
  await trx.updateTable('signals_state').set({ rebuilt_at: new Date() }).where('id', '=', 1).execute();
  return { events, items, rows: Number(rows.n) };
}
