import crypto from 'node:crypto';
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import { identityKey, resolveIdentities, type ResolvedIdentity } from './ingest.identity.js';
import {
  emptySummary,
  type BatchSummary,
  type IdentityRef,
  type NormalisedBatch,
  type NormalisedEvent,
  type NormalisedItem,
  type NormalisedMetric,
  type Rejection,
} from './ingest.model.js';
import { checkEvent, checkItem, checkMetric, rejection, toDate } from './ingest.validate.js';

/**
 * The pipeline every connector writes through. `ingestBatch` validates a normalised batch,
 * resolves identities, upserts items, events and metrics keyed by `(source, sourceId)`, keeps raw
 * payloads, quarantines invalid records and commits the connection's cursor — all in ONE
 * transaction, so a batch is either wholly accepted or not at all, and a crash never leaves half a
 * batch or a cursor ahead of its data. Re-delivering the same records changes nothing and reports
 * them as `unchanged`.
 */

type Trx = Transaction<DB>;

/** The connection a batch belongs to (or null for ad-hoc ingestion, e.g. tests and the demo). */
export interface IngestTarget {
  id: string;
}

export interface IngestOptions {
  /** Adds the batch's counts to this run (`ingest_run`) in the same transaction. */
  runId?: string | null;
  /** Progress to store on the run with the counts: `{ done, total?, message? }`. */
  progress?: Record<string, unknown>;
}

function hash(value: unknown): string {
  return crypto.hash('sha1', JSON.stringify(value), 'base64url');
}

/**
 * A row's JSON for `json_to_recordset` with its content hash (of the row's own JSON, so it is
 * serialised once) and the columns that do not count as content (`extra`) added.
 */
function hashedJson(row: Record<string, unknown>, extra: Record<string, unknown>): string {
  const json = JSON.stringify(row);
  const tail = JSON.stringify({ ...extra, content_hash: crypto.hash('sha1', json, 'base64url') });
  return `${json.slice(0, -1)},${tail.slice(1)}`;
}

function iso(value: Date | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return toDate(value)?.toISOString() ?? null;
}

/**
 * Keeps one record per key — the last one, or with `newer` the one `newer` prefers (ties: the
 * later); the others in the same batch count as unchanged.
 */
function dedupe<T>(
  records: T[],
  key: (r: T) => string,
  newer?: (candidate: T, kept: T) => boolean,
): { unique: T[]; duplicates: number } {
  const map = new Map<string, T>();
  for (const r of records) {
    const k = key(r);
    const kept = map.get(k);
    if (kept === undefined || !newer || newer(r, kept)) map.set(k, r);
  }
  return { unique: [...map.values()], duplicates: records.length - map.size };
}

/** Milliseconds of a source timestamp, or null when absent or unreadable. */
function millis(value: Date | string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  return toDate(value)?.getTime() ?? null;
}

/** True unless `candidate` is known to be older than `kept` by the source's updated-at. */
function notOlder(candidate: NormalisedItem, kept: NormalisedItem): boolean {
  const a = millis(candidate.updatedAt);
  const b = millis(kept.updatedAt);
  return a === null || b === null || a >= b;
}

/**
 * Runs an `insert … returning (xmax = 0) as inserted` and counts created and updated rows in the
 * database, so a batch of thousands returns one row instead of one per record.
 */
async function countedUpsert(
  trx: Trx,
  upsert: RawBuilder<unknown>,
): Promise<{ created: number; touched: number }> {
  const result = await sql<{ created: number; touched: number }>`
    with upserted as (${upsert})
    select count(*) filter (where inserted)::int as created, count(*)::int as touched from upserted
  `.execute(trx);
  return result.rows[0] ?? { created: 0, touched: 0 };
}

/**
 * Ingests one batch in one transaction. See the module comment; `connection` may be null.
 * Returns the counts (read = created + updated + unchanged + rejected).
 */
export async function ingestBatch(
  db: Kysely<DB>,
  connection: IngestTarget | null,
  batch: NormalisedBatch,
  options: IngestOptions = {},
): Promise<BatchSummary> {
  return db.transaction().execute((trx) => ingestBatchInTransaction(trx, connection, batch, options));
}

/** `ingestBatch` inside a transaction the caller already holds (e.g. a webhook delivery row plus its batch). */
export async function ingestBatchInTransaction(
  trx: Trx,
  connection: IngestTarget | null,
  batch: NormalisedBatch,
  options: IngestOptions = {},
): Promise<BatchSummary> {
  const summary = emptySummary();
  const source = batch.source;
  const rejected: Rejection[] = [...(batch.rejected ?? [])];

  const items: NormalisedItem[] = [];
  for (const item of batch.items ?? []) {
    const p = checkItem(item);
    if (p)
      rejected.push(
        rejection(source, 'item', String(item.sourceId ?? '?'), p, { kind: 'item', record: item }),
      );
    else items.push(item);
  }
  const events: NormalisedEvent[] = [];
  for (const event of batch.events ?? []) {
    const p = checkEvent(event);
    if (p)
      rejected.push(
        rejection(source, 'event', String(event.sourceId ?? '?'), p, { kind: 'event', record: event }),
      );
    else events.push(event);
  }
  const metrics: NormalisedMetric[] = [];
  for (const metric of batch.metrics ?? []) {
    const p = checkMetric(metric);
    if (p)
      rejected.push(
        rejection(source, 'metric', metric.sourceId ?? String(metric.metric), p, {
          kind: 'metric',
          record: metric,
        }),
      );
    else metrics.push(metric);
  }

  const refs: IdentityRef[] = [];
  for (const e of events) if (e.actor) refs.push(e.actor);
  for (const i of items) if (i.author) refs.push(i.author);
  const identities = await resolveIdentities(trx, refs);
  const unmatched = new Set<string>();
  const lookup = (ref: IdentityRef | null | undefined): ResolvedIdentity | null => {
    if (!ref) return null;
    const found = identities.get(identityKey(ref)) ?? null;
    if (found && !found.personId && !found.isBot) unmatched.add(found.id);
    return found;
  };

  const itemCounts = await upsertItems(trx, connection, source, items, lookup);
  const eventCounts = await upsertEvents(trx, connection, source, events, lookup);
  const metricResult = await upsertMetrics(trx, connection, source, metrics);
  rejected.push(...metricResult.rejected);

  if (batch.raw?.length) await storeRaw(trx, connection, source, batch.raw);
  if (rejected.length) await quarantine(trx, connection, options.runId ?? null, source, rejected);

  for (const c of [itemCounts, eventCounts, metricResult.counts]) {
    summary.created += c.created;
    summary.updated += c.updated;
    summary.unchanged += c.unchanged;
  }
  summary.rejected = rejected.length;
  summary.read = summary.created + summary.updated + summary.unchanged + summary.rejected;
  summary.unmatchedIdentityIds = [...unmatched];
  summary.unmatched = unmatched.size;

  if (connection && batch.cursor) {
    await trx
      .updateTable('ingest_connection')
      .set({ cursor: JSON.stringify(batch.cursor), updated_at: new Date() })
      .where('id', '=', connection.id)
      .execute();
  }
  if (options.runId) {
    await sql`
      update ingest_run set
        read = read + ${summary.read}, created = created + ${summary.created}, updated = updated + ${summary.updated},
        unchanged = unchanged + ${summary.unchanged}, rejected = rejected + ${summary.rejected},
        progress = ${JSON.stringify(options.progress ?? {})}::jsonb
      where id = ${options.runId}
    `.execute(trx);
  }
  return summary;
}

interface Counts {
  created: number;
  updated: number;
  unchanged: number;
}

async function upsertItems(
  trx: Trx,
  connection: IngestTarget | null,
  source: string,
  input: NormalisedItem[],
  lookup: (ref: IdentityRef | null | undefined) => ResolvedIdentity | null,
): Promise<Counts> {
  if (!input.length) return { created: 0, updated: 0, unchanged: 0 };
  const { unique, duplicates } = dedupe(input, (i) => i.sourceId, notOlder);
  const rows = unique.map((i) => {
    const author = lookup(i.author);
    const row = {
      source,
      source_id: i.sourceId,
      kind: i.kind,
      project: i.project ?? null,
      number: i.number ?? null,
      title: i.title ?? null,
      state: i.state,
      author_identity_id: author?.id ?? null,
      opened_at: iso(i.openedAt),
      closed_at: iso(i.closedAt),
      merged_at: iso(i.mergedAt),
      source_updated_at: iso(i.updatedAt),
      attributes: i.attributes ?? {},
    };
    return hashedJson(row, { person_id: author?.personId ?? null });
  });
  // An older version of an item (by the source's updated-at) never replaces a newer one, whatever
  // order deliveries and backfill pages arrive in; an equal or unknown time lets the content win.
  const result = await countedUpsert(
    trx,
    sql`
    insert into ingest_work_item (source, source_id, connection_id, kind, project, number, title, state,
      author_identity_id, person_id, opened_at, closed_at, merged_at, source_updated_at, attributes, content_hash)
    select r.source, r.source_id, ${connection?.id ?? null}::uuid, r.kind, r.project, r.number, r.title, r.state,
      r.author_identity_id, r.person_id, r.opened_at, r.closed_at, r.merged_at, r.source_updated_at, coalesce(r.attributes, '{}'::jsonb), r.content_hash
    from json_to_recordset(${`[${rows.join(',')}]`}::json) as r(source text, source_id text, kind text, project text,
      number text, title text, state text, author_identity_id uuid, person_id uuid, opened_at timestamptz,
      closed_at timestamptz, merged_at timestamptz, source_updated_at timestamptz, attributes jsonb, content_hash text)
    on conflict (source, source_id) do update set
      kind = excluded.kind, project = excluded.project, number = excluded.number, title = excluded.title,
      state = excluded.state, author_identity_id = excluded.author_identity_id, person_id = excluded.person_id,
      opened_at = excluded.opened_at, closed_at = excluded.closed_at, merged_at = excluded.merged_at,
      source_updated_at = excluded.source_updated_at, attributes = excluded.attributes,
      content_hash = excluded.content_hash, connection_id = coalesce(excluded.connection_id, ingest_work_item.connection_id),
      updated_at = now()
    where (ingest_work_item.content_hash <> excluded.content_hash
        or ingest_work_item.person_id is distinct from excluded.person_id)
      and not coalesce(excluded.source_updated_at < ingest_work_item.source_updated_at, false)
    returning (xmax = 0) as inserted
  `,
  );
  return count(result, unique.length, duplicates);
}

async function upsertEvents(
  trx: Trx,
  connection: IngestTarget | null,
  source: string,
  input: NormalisedEvent[],
  lookup: (ref: IdentityRef | null | undefined) => ResolvedIdentity | null,
): Promise<Counts> {
  if (!input.length) return { created: 0, updated: 0, unchanged: 0 };
  const { unique, duplicates } = dedupe(input, (e) => e.sourceId);
  const rows = unique.map((e) => {
    const actor = lookup(e.actor);
    const row = {
      source,
      source_id: e.sourceId,
      kind: e.kind,
      actor_identity_id: actor?.id ?? null,
      occurred_at: iso(e.occurredAt),
      project: e.project ?? null,
      item_source_id: e.itemSourceId ?? null,
      attributes: e.attributes ?? {},
    };
    return hashedJson(row, { person_id: actor?.personId ?? null });
  });
  const result = await countedUpsert(
    trx,
    sql`
    insert into ingest_work_event (source, source_id, connection_id, kind, actor_identity_id, person_id,
      occurred_at, project, item_source_id, attributes, content_hash)
    select r.source, r.source_id, ${connection?.id ?? null}::uuid, r.kind, r.actor_identity_id, r.person_id,
      r.occurred_at, r.project, r.item_source_id, coalesce(r.attributes::jsonb, '{}'::jsonb), r.content_hash
    from json_to_recordset(${`[${rows.join(',')}]`}::json) as r(source text, source_id text, kind text,
      actor_identity_id uuid, person_id uuid, occurred_at timestamptz, project text, item_source_id text,
      attributes text, content_hash text)
    on conflict (source, source_id) do update set
      kind = excluded.kind, actor_identity_id = excluded.actor_identity_id, person_id = excluded.person_id,
      occurred_at = excluded.occurred_at, project = excluded.project, item_source_id = excluded.item_source_id,
      attributes = excluded.attributes, content_hash = excluded.content_hash,
      connection_id = coalesce(excluded.connection_id, ingest_work_event.connection_id), updated_at = now()
    where ingest_work_event.content_hash <> excluded.content_hash
       or ingest_work_event.person_id is distinct from excluded.person_id
    returning (xmax = 0) as inserted
  `,
  );
  return count(result, unique.length, duplicates);
}

function count(result: { created: number; touched: number }, unique: number, duplicates: number): Counts {
  return {
    created: result.created,
    updated: result.touched - result.created,
    unchanged: unique - result.touched + duplicates,
  };
}

function subjectKey(s: NormalisedMetric['subject']): string {
  if ('personEmail' in s) return `person:${s.personEmail.trim().toLowerCase()}`;
  if ('employeeId' in s) return `employee:${s.employeeId.trim()}`;
  if ('personId' in s) return `person-id:${s.personId}`;
  if ('teamSlug' in s) return `team:${s.teamSlug.trim().toLowerCase()}`;
  return `team-id:${s.teamId}`;
}

async function upsertMetrics(
  trx: Trx,
  connection: IngestTarget | null,
  source: string,
  input: NormalisedMetric[],
): Promise<{ counts: Counts; rejected: Rejection[] }> {
  const rejected: Rejection[] = [];
  if (!input.length) return { counts: { created: 0, updated: 0, unchanged: 0 }, rejected };
  const emails = new Set<string>();
  const employeeIds = new Set<string>();
  const personIds = new Set<string>();
  const slugs = new Set<string>();
  const teamIds = new Set<string>();
  for (const m of input) {
    const s = m.subject;
    if ('personEmail' in s) emails.add(s.personEmail.trim().toLowerCase());
    else if ('employeeId' in s) employeeIds.add(s.employeeId.trim());
    else if ('personId' in s) personIds.add(s.personId);
    else if ('teamSlug' in s) slugs.add(s.teamSlug.trim().toLowerCase());
    else teamIds.add(s.teamId);
  }
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const people = await sql<{ id: string; email: string; employee_id: string | null }>`
    select id, lower(email) as email, employee_id from person
    where lower(email) = any(${[...emails]}::text[]) or employee_id = any(${[...employeeIds]}::text[])
      or id = any(${[...personIds].filter((i) => uuid.test(i))}::uuid[])
  `.execute(trx);
  const teams = await sql<{ id: string; slug: string }>`
    select id, lower(slug) as slug from team
    where lower(slug) = any(${[...slugs]}::text[]) or id = any(${[...teamIds].filter((i) => uuid.test(i))}::uuid[])
  `.execute(trx);
  const subjects = new Map<string, { person_id: string | null; team_id: string | null }>();
  for (const p of people.rows) {
    subjects.set(`person:${p.email}`, { person_id: p.id, team_id: null });
    if (p.employee_id) subjects.set(`employee:${p.employee_id}`, { person_id: p.id, team_id: null });
    subjects.set(`person-id:${p.id}`, { person_id: p.id, team_id: null });
  }
  for (const t of teams.rows) {
    subjects.set(`team:${t.slug}`, { person_id: null, team_id: t.id });
    subjects.set(`team-id:${t.id}`, { person_id: null, team_id: t.id });
  }
  const accepted: (Record<string, unknown> & { source_id: string })[] = [];
  for (const m of input) {
    const key = subjectKey(m.subject);
    const subject = subjects.get(key);
    const sourceId = m.sourceId ?? `${m.metric}|${key}|${m.periodStart}|${m.periodEnd}`;
    if (!subject) {
      const [kind, value] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
      const what = kind.startsWith('team') ? 'team' : 'person';
      rejected.push({
        recordRef: `metric ${sourceId}`,
        field: 'subject',
        problem: `${source} metric ${sourceId}: subject names no known ${what} (${kind} ${value})`,
        raw: { kind: 'metric', record: m },
      });
      continue;
    }
    const row = {
      source_id: sourceId,
      metric: m.metric,
      value: m.value,
      unit: m.unit ?? null,
      person_id: subject.person_id,
      team_id: subject.team_id,
      period_start: m.periodStart,
      period_end: m.periodEnd,
      attributes: m.attributes ?? {},
    };
    accepted.push({ ...row, content_hash: hash(row) });
  }
  if (!accepted.length) return { counts: { created: 0, updated: 0, unchanged: 0 }, rejected };
  const { unique, duplicates } = dedupe(accepted, (r) => r.source_id);
  const result = await countedUpsert(
    trx,
    sql`
    insert into ingest_business_metric (source, source_id, connection_id, metric, value, unit, person_id, team_id,
      period_start, period_end, attributes, content_hash)
    select ${source}, r.source_id, ${connection?.id ?? null}::uuid, r.metric, r.value, r.unit, r.person_id, r.team_id,
      r.period_start, r.period_end, coalesce(r.attributes, '{}'::jsonb), r.content_hash
    from json_to_recordset(${JSON.stringify(unique)}::json) as r(source_id text, metric text, value double precision,
      unit text, person_id uuid, team_id uuid, period_start date, period_end date, attributes jsonb, content_hash text)
    on conflict (source, source_id) do update set
      metric = excluded.metric, value = excluded.value, unit = excluded.unit, person_id = excluded.person_id,
      team_id = excluded.team_id, period_start = excluded.period_start, period_end = excluded.period_end,
      attributes = excluded.attributes, content_hash = excluded.content_hash,
      connection_id = coalesce(excluded.connection_id, ingest_business_metric.connection_id), updated_at = now()
    where ingest_business_metric.content_hash <> excluded.content_hash
    returning (xmax = 0) as inserted
  `,
  );
  return { counts: count(result, unique.length, duplicates), rejected };
}

async function storeRaw(
  trx: Trx,
  connection: IngestTarget | null,
  source: string,
  raw: NonNullable<NormalisedBatch['raw']>,
): Promise<void> {
  const { unique } = dedupe(raw, (r) => r.sourceId);
  const rows = unique.map((r) => ({ source_id: r.sourceId, payload: r.payload ?? null }));
  await sql`
    insert into ingest_raw_payload (source, source_id, connection_id, payload)
    select ${source}, r.source_id, ${connection?.id ?? null}::uuid, coalesce(r.payload, 'null'::jsonb)
    from json_to_recordset(${JSON.stringify(rows)}::json) as r(source_id text, payload jsonb)
    on conflict (source, source_id) do update set payload = excluded.payload, received_at = now()
    where ingest_raw_payload.payload is distinct from excluded.payload
  `.execute(trx);
}

/**
 * Keeps rejected records. A record already waiting in quarantine (same source, record and field)
 * is updated and its attempt count raised instead of being added twice.
 */
async function quarantine(
  trx: Trx,
  connection: IngestTarget | null,
  runId: string | null,
  source: string,
  rejected: Rejection[],
): Promise<void> {
  const { unique } = dedupe(rejected, (r) => `${r.recordRef}\u0000${r.field ?? ''}`);
  const rows = unique.map((r) => ({
    record_ref: r.recordRef,
    field: r.field ?? null,
    problem: r.problem,
    raw: r.raw === undefined ? null : r.raw,
  }));
  await sql`
    insert into ingest_quarantine (connection_id, run_id, source, record_ref, field, problem, raw, attempts, last_attempt_at)
    select ${connection?.id ?? null}::uuid, ${runId}::uuid, ${source}, r.record_ref, r.field, r.problem, r.raw, 1, now()
    from json_to_recordset(${JSON.stringify(rows)}::json) as r(record_ref text, field text, problem text, raw jsonb)
    on conflict (source, record_ref, (coalesce(field, ''))) where status = 'pending' do update set
      problem = excluded.problem, raw = excluded.raw, run_id = coalesce(excluded.run_id, ingest_quarantine.run_id),
      attempts = ingest_quarantine.attempts + 1, last_attempt_at = now()
  `.execute(trx);
}

/** Deletes raw payloads older than `retentionDays` (bounded retention). Returns how many went. */
export async function purgeRawPayloads(
  db: Kysely<DB>,
  retentionDays: number,
  now = new Date(),
): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  const result = await db
    .deleteFrom('ingest_raw_payload')
    .where('received_at', '<', cutoff)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
