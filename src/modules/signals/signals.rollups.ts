import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import {
  computeItemFact,
  eventContributions,
  itemContributions,
  sumContributions,
  type ItemFact,
  type IsBot,
  type SignalEvent,
  type SignalItem,
} from './signals.metrics.js';

/**
 * The rollups: person × week and team × week sums of the metric keys in signals.metrics.ts,
 * maintained incrementally from the trigger-fed change log (−old +new per event; per item, the
 * difference between its stored fact and its fact now), and rebuildable from scratch.
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

async function lock(trx: Transaction<DB>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${ROLLUP_LOCK})`.execute(trx);
}

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
  return computeItemFact(
    item as unknown as SignalItem,
    events.map((e) => toEvent(e as unknown as Record<string, unknown>)),
    isBot,
  );
}

function factRow(f: ItemFact) {
  return {
    source: f.source,
    source_id: f.source_id,
    kind: f.kind,
    person_id: f.person_id,
    week: f.week,
    done_at: f.done_at ? new Date(f.done_at) : null,
    project: f.project,
    fact: JSON.stringify(f),
    coding_s: f.coding_s,
    pickup_s: f.pickup_s,
    review_s: f.review_s,
  };
}

async function personTeams(db: Db, personIds: string[]): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  for (let i = 0; i < personIds.length; i += 1000) {
    const chunk = personIds.slice(i, i + 1000);
    if (chunk.length === 0) continue;
    const rows = await db.selectFrom('person').select(['id', 'team_id']).where('id', 'in', chunk).execute();
    for (const r of rows) out.set(r.id, r.team_id);
  }
  return out;
}

/** Adds `person|week|metric` deltas to both rollup tables (team = the person's current team). */
async function applyDeltas(
  db: Db,
  deltas: Map<string, number>,
): Promise<{ persons: string[]; teams: string[] }> {
  const personRows: { person_id: string; week: string; metric: string; value: number }[] = [];
  for (const [key, value] of deltas) {
    const [person_id, week, metric] = key.split('|') as [string, string, string];
    personRows.push({ person_id, week, metric, value });
  }
  const persons = [...new Set(personRows.map((r) => r.person_id))];
  const teamOf = await personTeams(db, persons);
  const teamDeltas = new Map<string, number>();
  for (const r of personRows) {
    const team = teamOf.get(r.person_id);
    if (!team) continue;
    const k = `${team}|${r.week}|${r.metric}`;
    teamDeltas.set(k, (teamDeltas.get(k) ?? 0) + r.value);
  }
  const existing = personRows.filter((r) => teamOf.has(r.person_id));
  for (let i = 0; i < existing.length; i += 1000) {
    await db
      .insertInto('signals_person_week')
      .values(existing.slice(i, i + 1000))
      .onConflict((oc) =>
        oc.columns(['person_id', 'week', 'metric']).doUpdateSet({
          value: sql`signals_person_week.value + excluded.value`,
        }),
      )
      .execute();
  }
  const teamRows = [...teamDeltas].map(([k, value]) => {
    const [team_id, week, metric] = k.split('|') as [string, string, string];
    return { team_id, week, metric, value };
  });
  for (let i = 0; i < teamRows.length; i += 1000) {
    await db
      .insertInto('signals_team_week')
      .values(teamRows.slice(i, i + 1000))
      .onConflict((oc) =>
        oc.columns(['team_id', 'week', 'metric']).doUpdateSet({
          value: sql`signals_team_week.value + excluded.value`,
        }),
      )
      .execute();
  }
  if (existing.length > 0) {
    await db
      .deleteFrom('signals_person_week')
      .where(sql<boolean>`abs(value) < 1e-9`)
      .execute();
  }
  if (teamRows.length > 0) {
    await db
      .deleteFrom('signals_team_week')
      .where(sql<boolean>`abs(value) < 1e-9`)
      .execute();
  }
  return { persons, teams: [...new Set(teamRows.map((r) => r.team_id))] };
}

/**
 * Applies up to `limit` captured changes in one transaction (rollups, item facts and the applied
 * counter move together), under an advisory lock so several instances never apply the same change.
 */
export async function applyPendingChanges(
  db: Kysely<DB>,
  options: { limit?: number } = {},
): Promise<ApplyResult> {
  const limit = options.limit ?? 5000;
  return db.transaction().execute(async (trx) => {
    await lock(trx);
    const changes = await trx.selectFrom('signals_change').selectAll().orderBy('id').limit(limit).execute();
    if (changes.length === 0) return { changes: 0, persons: [], teams: [] };
    const isBot = await botChecker(trx);
    const deltas = new Map<string, number>();
    const items = new Map<string, [string, string]>();
    const oldEvents: SignalEvent[] = [];
    const newEvents: SignalEvent[] = [];
    for (const c of changes) {
      if (c.old_event) oldEvents.push(toEvent(c.old_event));
      if (c.new_event) newEvents.push(toEvent(c.new_event));
      if (c.item_source && c.item_source_id)
        items.set(itemKey(c.item_source, c.item_source_id), [c.item_source, c.item_source_id]);
    }
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
    for (const e of oldEvents) sumContributions(deltas, eventContributions(e, isBot, authorOf(e)), -1);
    for (const e of newEvents) sumContributions(deltas, eventContributions(e, isBot, authorOf(e)), 1);

    const keys = [...items.values()];
    for (const [source, sourceId] of keys) {
      const stored = await trx
        .selectFrom('signals_item_fact')
        .select('fact')
        .where('source', '=', source)
        .where('source_id', '=', sourceId)
        .executeTakeFirst();
      const before = stored ? (stored.fact as unknown as ItemFact) : null;
      const after = await loadItemFact(trx, source, sourceId, isBot);
      sumContributions(deltas, itemContributions(before), -1);
      sumContributions(deltas, itemContributions(after), 1);
      if (!after) {
        await trx
          .deleteFrom('signals_item_fact')
          .where('source', '=', source)
          .where('source_id', '=', sourceId)
          .execute();
      } else {
        const row = factRow(after);
        await trx
          .insertInto('signals_item_fact')
          .values(row)
          .onConflict((oc) => oc.columns(['source', 'source_id']).doUpdateSet(row))
          .execute();
      }
    }
    const touched = await applyDeltas(trx, deltas);
    const lastId = changes[changes.length - 1]!.id;
    await trx.deleteFrom('signals_change').where('id', '<=', lastId).execute();
    await trx
      .updateTable('signals_state')
      .set({ applied_changes: sql`applied_changes + ${changes.length}`, last_applied_at: new Date() })
      .where('id', '=', 1)
      .execute();
    return { changes: changes.length, ...touched };
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
  const row = await db
    .selectFrom('signals_change')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface RebuildProgress {
  phase: 'events' | 'items' | 'writing';
  done: number;
}

/**
 * Recomputes the rollups and item facts from the work model, from scratch, in one repeatable-read
 * transaction: changes captured before its snapshot are covered and cleared; later ones stay queued.
 */
export async function rebuildSignals(
  db: Kysely<DB>,
  options: { onProgress?: (p: RebuildProgress) => void; pageSize?: number } = {},
): Promise<{ events: number; items: number; rows: number }> {
  const pageSize = options.pageSize ?? 5000;
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      await lock(trx);
      await trx.deleteFrom('signals_change').execute();
      await trx.deleteFrom('signals_item_fact').execute();
      await trx.deleteFrom('signals_person_week').execute();
      await trx.deleteFrom('signals_team_week').execute();
      const isBot = await botChecker(trx);
      const authorRows = await trx
        .selectFrom('ingest_work_item')
        .select(['source', 'source_id', 'person_id'])
        .where('kind', '=', 'pull_request')
        .execute();
      const authors = new Map(authorRows.map((r) => [itemKey(r.source, r.source_id), r.person_id]));
      const totals = new Map<string, number>();
      let events = 0;
      let lastId = 0;
      for (;;) {
        const page = await trx
          .selectFrom('ingest_work_event')
          .selectAll()
          .where('id', '>', lastId)
          .orderBy('id')
          .limit(pageSize)
          .execute();
        if (page.length === 0) break;
        for (const row of page) {
          const e = toEvent(row as unknown as Record<string, unknown>);
          const author = e.item_source_id ? (authors.get(itemKey(e.source, e.item_source_id)) ?? null) : null;
          sumContributions(totals, eventContributions(e, isBot, author));
        }
        events += page.length;
        lastId = Number(page[page.length - 1]!.id);
        options.onProgress?.({ phase: 'events', done: events });
      }
      // Items: all events of each item, grouped in one ordered pass.
      let items = 0;
      const allItems = await trx
        .selectFrom('ingest_work_item')
        .selectAll()
        .orderBy('source')
        .orderBy('source_id')
        .execute();
      const byItem = new Map<string, SignalEvent[]>();
      let lastEventId = 0;
      for (;;) {
        const page = await trx
          .selectFrom('ingest_work_event')
          .selectAll()
          .where('item_source_id', 'is not', null)
          .where('id', '>', lastEventId)
          .orderBy('id')
          .limit(pageSize)
          .execute();
        if (page.length === 0) break;
        for (const row of page) {
          const e = toEvent(row as unknown as Record<string, unknown>);
          const k = itemKey(e.source, e.item_source_id as string);
          const list = byItem.get(k);
          if (list) list.push(e);
          else byItem.set(k, [e]);
        }
        lastEventId = Number(page[page.length - 1]!.id);
      }
      const factRows: ReturnType<typeof factRow>[] = [];
      for (const item of allItems) {
        const fact = computeItemFact(
          item as unknown as SignalItem,
          byItem.get(itemKey(item.source, item.source_id)) ?? [],
          isBot,
        );
        sumContributions(totals, itemContributions(fact));
        factRows.push(factRow(fact));
        items++;
        if (items % pageSize === 0) options.onProgress?.({ phase: 'items', done: items });
      }
      options.onProgress?.({ phase: 'items', done: items });
      for (let i = 0; i < factRows.length; i += 1000) {
        await trx
          .insertInto('signals_item_fact')
          .values(factRows.slice(i, i + 1000))
          .execute();
      }
      const { persons } = await applyDeltas(trx, totals);
      options.onProgress?.({ phase: 'writing', done: persons.length });
      await trx.updateTable('signals_state').set({ rebuilt_at: new Date() }).where('id', '=', 1).execute();
      return { events, items, rows: totals.size };
    });
}
