import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { AppError } from '../../shared/app-error.js';
import { getConnector } from './ingest.connectors.js';
import type { NormalisedBatch } from './ingest.model.js';
import { ingestBatchInTransaction } from './ingest.pipeline.js';
import { findConnection, loadConnectors } from './ingest.runner.js';
import type {
  ConnectionViewType,
  IdentityViewType,
  RunViewType,
  WorkEventViewType,
} from './ingest.schema.js';
import type { Connection, QuarantineEntry, Run } from './ingest.tables.js';

/** Read models and admin actions behind the work-data API (connections, runs, quarantine, identities, events). */

type Db = Kysely<DB>;
export const REDACTED = '********';
const SECRET_KEY = /token|password|secret|api_?key|credential/i;

const isoOrNull = (d: Date | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

/** Config as the API shows it: secret-looking values replaced by "********". */
export function redactConfig(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([k, v]) => [k, SECRET_KEY.test(k) && v !== null && v !== '' ? REDACTED : v]),
  );
}

/** Puts back stored secret values the client echoed as "********". */
export function unredactConfig(
  next: Record<string, unknown>,
  current: Record<string, unknown>,
): Record<string, unknown> {
  return Object.fromEntries(Object.entries(next).map(([k, v]) => [k, v === REDACTED ? current[k] : v]));
}

export function runView(r: Run): RunViewType {
  return {
    id: r.id,
    connectionId: r.connection_id,
    trigger: r.trigger,
    status: r.status,
    queuedAt: new Date(r.queued_at).toISOString(),
    startedAt: isoOrNull(r.started_at),
    finishedAt: isoOrNull(r.finished_at),
    read: r.read,
    created: r.created,
    updated: r.updated,
    unchanged: r.unchanged,
    rejected: r.rejected,
    unmatched: r.unmatched,
    progress: r.progress,
    error: r.error,
  };
}

async function views(db: Db, connections: Connection[]): Promise<ConnectionViewType[]> {
  if (!connections.length) return [];
  const ids = connections.map((c) => c.id);
  const lastRuns = await db
    .selectFrom('ingest_run')
    .selectAll()
    .distinctOn('connection_id')
    .where('connection_id', 'in', ids)
    .orderBy('connection_id')
    .orderBy('queued_at', 'desc')
    .execute();
  const pending = await db
    .selectFrom('ingest_quarantine')
    .select(['connection_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('connection_id', 'in', ids)
    .where('status', '=', 'pending')
    .groupBy('connection_id')
    .execute();
  return connections.map((c) => {
    const run = lastRuns.find((r) => r.connection_id === c.id);
    return {
      id: c.id,
      kind: c.kind,
      name: c.name,
      config: redactConfig(c.config),
      hasSecret: c.secret !== null,
      cursor: c.cursor,
      status: c.status,
      lastRunAt: isoOrNull(c.last_run_at),
      lastSuccessAt: isoOrNull(c.last_success_at),
      lastError: c.last_error,
      createdAt: new Date(c.created_at).toISOString(),
      lastRun: run ? runView(run) : null,
      pendingQuarantine: Number(pending.find((p) => p.connection_id === c.id)?.n ?? 0),
      webhookPath: c.kind === 'github' || c.kind === 'jira' ? `/hooks/${c.kind}/${c.id}` : null,
    };
  });
}

export async function listConnectionViews(db: Db): Promise<ConnectionViewType[]> {
  return views(db, await db.selectFrom('ingest_connection').selectAll().orderBy('name').execute());
}

export async function getConnectionView(db: Db, id: string): Promise<ConnectionViewType> {
  return (await views(db, [await findConnection(db, id)]))[0]!;
}

export async function listRuns(db: Db, connectionId: string, limit = 20): Promise<RunViewType[]> {
  await findConnection(db, connectionId);
  const rows = await db
    .selectFrom('ingest_run')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .orderBy('queued_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(runView);
}

export async function getRun(db: Db, id: string): Promise<RunViewType> {
  const run = await db.selectFrom('ingest_run').selectAll().where('id', '=', id).executeTakeFirst();
  if (!run) throw new AppError('not_found', `No run ${id}.`);
  return runView(run);
}

export async function testConnection(db: Db, id: string): Promise<{ ok: boolean; message: string }> {
  await loadConnectors();
  const connection = await findConnection(db, id);
  const connector = getConnector(connection.kind);
  if (!connector)
    return { ok: false, message: `No connector is installed for ${connection.kind} connections.` };
  try {
    return await connector.test(db, connection);
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

// ------------------------------------------------------------------------------------------ quarantine

function quarantineView(q: QuarantineEntry & { connection_name: string | null }) {
  return {
    id: q.id,
    connectionId: q.connection_id,
    connectionName: q.connection_name,
    runId: q.run_id,
    source: q.source,
    recordRef: q.record_ref,
    field: q.field,
    problem: q.problem,
    status: q.status,
    attempts: q.attempts,
    createdAt: new Date(q.created_at).toISOString(),
    lastAttemptAt: isoOrNull(q.last_attempt_at),
  };
}

export async function listQuarantine(
  db: Db,
  query: { status?: string; connectionId?: string; limit?: number; offset?: number },
) {
  let q = db
    .selectFrom('ingest_quarantine as q')
    .leftJoin('ingest_connection as c', 'c.id', 'q.connection_id');
  const status = query.status ?? 'pending';
  if (status !== 'all') q = q.where('q.status', '=', status as QuarantineEntry['status']);
  if (query.connectionId) q = q.where('q.connection_id', '=', query.connectionId);
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll('q')
    .select('c.name as connection_name')
    .orderBy('q.created_at', 'desc')
    .orderBy('q.id')
    .limit(query.limit ?? 50)
    .offset(query.offset ?? 0)
    .execute();
  return { items: rows.map(quarantineView), total: Number(total.n) };
}

async function findQuarantine(db: Db, id: string) {
  const row = await db
    .selectFrom('ingest_quarantine as q')
    .leftJoin('ingest_connection as c', 'c.id', 'q.connection_id')
    .selectAll('q')
    .select('c.name as connection_name')
    .where('q.id', '=', id)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', `No quarantined record ${id}.`);
  return row;
}

export async function getQuarantine(db: Db, id: string) {
  const row = await findQuarantine(db, id);
  return { ...quarantineView(row), raw: row.raw };
}

/**
 * Feeds a quarantined record through the pipeline again (after the cause was fixed, e.g. the
 * person now exists). Records rejected by the pipeline are retried as they were; connector-level
 * rejections need the connector's `retry`. Resolved when accepted; otherwise it stays pending with
 * the new problem.
 */
export async function retryQuarantine(
  db: Db,
  id: string,
): Promise<{ status: 'resolved' | 'pending'; problem: string | null }> {
  await loadConnectors();
  const entry = await findQuarantine(db, id);
  if (entry.status !== 'pending') throw new AppError('conflict', `This record is already ${entry.status}.`);
  let batch: NormalisedBatch | null = null;
  const raw = entry.raw as { kind?: string; record?: unknown } | null;
  if (raw && raw.record && (raw.kind === 'event' || raw.kind === 'item' || raw.kind === 'metric')) {
    batch = { source: entry.source, [`${raw.kind}s`]: [raw.record] };
  } else if (entry.connection_id) {
    const connection = await findConnection(db, entry.connection_id);
    const connector = getConnector(connection.kind);
    if (connector?.retry) batch = await connector.retry(db, entry);
  }
  if (!batch)
    throw new AppError(
      'conflict',
      'This record cannot be retried on its own: fix it at the source and run the connection again.',
    );
  const connection = entry.connection_id ? { id: entry.connection_id } : null;
  return db.transaction().execute(async (trx) => {
    const summary = await ingestBatchInTransaction(trx, connection, batch);
    if (summary.rejected === 0) {
      await trx
        .updateTable('ingest_quarantine')
        .set({ status: 'resolved', last_attempt_at: new Date() })
        .where('id', '=', id)
        .execute();
      return { status: 'resolved' as const, problem: null };
    }
    const again = await trx
      .selectFrom('ingest_quarantine')
      .select(['problem', 'status'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    // The re-rejection either updated this entry (same record and field) or added a new one.
    if (again.status === 'pending')
      await trx
        .updateTable('ingest_quarantine')
        .set({ last_attempt_at: new Date() })
        .where('id', '=', id)
        .execute();
    return { status: 'pending' as const, problem: again.problem };
  });
}

export async function discardQuarantine(db: Db, id: string): Promise<void> {
  const entry = await findQuarantine(db, id);
  if (entry.status !== 'pending') throw new AppError('conflict', `This record is already ${entry.status}.`);
  await db.updateTable('ingest_quarantine').set({ status: 'discarded' }).where('id', '=', id).execute();
}

// ------------------------------------------------------------------------------------------ identities

export async function listIdentities(
  db: Db,
  query: { status?: string; q?: string; id?: string; limit?: number; offset?: number },
): Promise<{ items: IdentityViewType[]; total: number }> {
  const status = query.status ?? 'unmatched';
  const where = [sql`true`];
  if (status === 'unmatched') where.push(sql`i.person_id is null and not i.is_bot`);
  if (status === 'matched') where.push(sql`i.person_id is not null`);
  if (status === 'bot') where.push(sql`i.is_bot`);
  if (query.id) where.push(sql`i.id = ${query.id}`);
  if (query.q) {
    const like = `%${query.q.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    where.push(
      sql`(lower(coalesce(i.email, '')) like ${like} or lower(coalesce(i.login, '')) like ${like} or lower(coalesce(i.display_name, '')) like ${like} or lower(i.external_id) like ${like})`,
    );
  }
  const cond = sql.join(where, sql` and `);
  const total = await sql<{
    n: number;
  }>`select count(*)::int as n from ingest_identity i where ${cond}`.execute(db);
  const rows = await sql<{
    id: string;
    source: string;
    external_id: string;
    login: string | null;
    email: string | null;
    display_name: string | null;
    is_bot: boolean;
    person_id: string | null;
    person_name: string | null;
    mapped_by: string | null;
    event_count: number;
    last_event_at: Date | null;
  }>`
    select i.id, i.source, i.external_id, i.login, i.email, i.display_name, i.is_bot, i.person_id, p.name as person_name,
      i.mapped_by, coalesce(e.n, 0)::int as event_count, e.last_at as last_event_at
    from ingest_identity i
    left join person p on p.id = i.person_id
    left join lateral (
      select count(*) as n, max(occurred_at) as last_at from ingest_work_event where actor_identity_id = i.id
    ) e on true
    where ${cond}
    order by coalesce(e.n, 0) desc, i.external_id
    limit ${query.limit ?? 50} offset ${query.offset ?? 0}
  `.execute(db);
  return {
    total: total.rows[0]?.n ?? 0,
    items: rows.rows.map((r) => ({
      id: r.id,
      source: r.source,
      externalId: r.external_id,
      login: r.login,
      email: r.email,
      displayName: r.display_name,
      isBot: r.is_bot,
      personId: r.person_id,
      personName: r.person_name,
      mappedBy: r.mapped_by,
      eventCount: Number(r.event_count),
      lastEventAt: isoOrNull(r.last_event_at),
    })),
  };
}

export async function getIdentityView(db: Db, id: string): Promise<IdentityViewType> {
  const { items } = await listIdentities(db, { status: 'all', id, limit: 1 });
  if (!items[0]) throw new AppError('not_found', `No identity ${id}.`);
  return items[0];
}

// ------------------------------------------------------------------------------------------ events

export async function listPersonEvents(
  db: Db,
  personId: string,
  query: { kind?: string; from?: string; to?: string; limit?: number; offset?: number },
): Promise<{ items: WorkEventViewType[]; total: number }> {
  let q = db.selectFrom('ingest_work_event as e').where('e.person_id', '=', personId);
  const kinds = query.kind
    ?.split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  if (kinds?.length) q = q.where('e.kind', 'in', kinds);
  if (query.from) q = q.where('e.occurred_at', '>=', new Date(`${query.from}T00:00:00Z`));
  if (query.to)
    q = q.where('e.occurred_at', '<', new Date(new Date(`${query.to}T00:00:00Z`).getTime() + 86_400_000));
  if (query.from && query.to && query.to < query.from)
    throw new AppError('validation_failed', 'to is before from.', [
      { path: 'querystring.to', message: 'is before from' },
    ]);
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .leftJoin('ingest_identity as i', 'i.id', 'e.actor_identity_id')
    .select([
      'e.id',
      'e.kind',
      'e.source',
      'e.source_id',
      'e.occurred_at',
      'e.project',
      'e.item_source_id',
      'e.attributes',
      'i.id as identity_id',
      'i.source as identity_source',
      'i.login',
      'i.email',
      'i.external_id',
    ])
    .orderBy('e.occurred_at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(query.limit ?? 50)
    .offset(query.offset ?? 0)
    .execute();
  return {
    total: Number(total.n),
    items: rows.map((r) => ({
      id: Number(r.id),
      kind: r.kind,
      source: r.source,
      sourceId: r.source_id,
      occurredAt: new Date(r.occurred_at).toISOString(),
      project: r.project,
      itemSourceId: r.item_source_id,
      attributes: r.attributes,
      identity: r.identity_id
        ? {
            id: r.identity_id,
            source: r.identity_source ?? '',
            label: r.login ?? r.email ?? r.external_id ?? '',
          }
        : null,
    })),
  };
}
