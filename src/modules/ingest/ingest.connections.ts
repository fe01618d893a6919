import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { AppError, type FieldProblem } from '../../shared/app-error.js';
import { getConnector } from './ingest.connectors.js';
import { findConnection, loadConnectors } from './ingest.runner.js';
import type { Connection, ConnectionKind } from './ingest.tables.js';

/** Connections: create, update, delete, and find-or-create (the CLI's `cairn import <kind>`). */

export const CONNECTION_KINDS: readonly ConnectionKind[] = ['git', 'github', 'jira', 'metrics'];

export interface ConnectionInput {
  kind: ConnectionKind;
  name: string;
  config?: Record<string, unknown>;
  /** Webhook secret; `true` generates a random one. */
  secret?: string | true | null;
}

async function validate(
  kind: string,
  name: string | undefined,
  config: Record<string, unknown>,
): Promise<void> {
  const problems: FieldProblem[] = [];
  if (!CONNECTION_KINDS.includes(kind as ConnectionKind))
    problems.push({ path: 'kind', message: `must be one of ${CONNECTION_KINDS.join(', ')}` });
  if (name !== undefined && !name.trim()) problems.push({ path: 'name', message: 'must not be empty' });
  await loadConnectors();
  const connector = getConnector(kind as ConnectionKind);
  if (connector?.validateConfig) problems.push(...connector.validateConfig(config));
  if (problems.length)
    throw new AppError(
      'validation_failed',
      problems.map((p) => `${p.path} ${p.message}`).join('; '),
      problems,
    );
}

function secretValue(secret: string | true | null | undefined): string | null {
  if (secret === true) return crypto.randomBytes(24).toString('base64url');
  return secret ?? null;
}

export async function createConnection(db: Kysely<DB>, input: ConnectionInput): Promise<Connection> {
  const config = input.config ?? {};
  await validate(input.kind, input.name, config);
  const clash = await db
    .selectFrom('ingest_connection')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['name']), '=', input.name.trim().toLowerCase()))
    .executeTakeFirst();
  if (clash)
    throw new AppError('conflict', `A connection named “${input.name}” exists.`, [
      { path: 'name', message: 'is taken' },
    ]);
  return db
    .insertInto('ingest_connection')
    .values({
      kind: input.kind,
      name: input.name.trim(),
      config: JSON.stringify(config),
      secret: secretValue(input.secret),
      cursor: '{}',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface ConnectionPatch {
  name?: string;
  config?: Record<string, unknown>;
  secret?: string | true | null;
  /** Replace the cursor (e.g. `{}` to re-import from the start). */
  cursor?: Record<string, unknown>;
  enabled?: boolean;
}

export async function updateConnection(
  db: Kysely<DB>,
  id: string,
  patch: ConnectionPatch,
): Promise<Connection> {
  const current = await findConnection(db, id);
  await validate(current.kind, patch.name, patch.config ?? current.config);
  return db
    .updateTable('ingest_connection')
    .set({
      ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
      ...(patch.config !== undefined ? { config: JSON.stringify(patch.config) } : {}),
      ...(patch.secret !== undefined ? { secret: secretValue(patch.secret) } : {}),
      ...(patch.cursor !== undefined ? { cursor: JSON.stringify(patch.cursor) } : {}),
      ...(patch.enabled === false ? { status: 'disabled' as const } : {}),
      ...(patch.enabled === true && current.status === 'disabled' ? { status: 'idle' as const } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Deletes a connection and its runs; imported work data stays (its connection reference is cleared). */
export async function deleteConnection(db: Kysely<DB>, id: string): Promise<void> {
  await findConnection(db, id);
  await db.deleteFrom('ingest_connection').where('id', '=', id).execute();
}

/**
 * The connection a CLI import uses: found by kind + name, created with `config` when missing, its
 * config updated when it differs (the cursor is kept, so repeated imports are incremental).
 */
export async function ensureConnection(
  db: Kysely<DB>,
  kind: ConnectionKind,
  name: string,
  config: Record<string, unknown>,
): Promise<Connection> {
  const existing = await db
    .selectFrom('ingest_connection')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.trim().toLowerCase()))
    .executeTakeFirst();
  if (!existing) return createConnection(db, { kind, name, config });
  if (existing.kind !== kind)
    throw new AppError('conflict', `Connection “${name}” is a ${existing.kind} connection, not ${kind}.`, [
      { path: 'name', message: 'belongs to another kind' },
    ]);
  if (JSON.stringify(existing.config) === JSON.stringify(config)) return existing;
  return updateConnection(db, existing.id, { config });
}
