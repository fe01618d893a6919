import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { AppError } from '../../shared/app-error.js';
import { todayUtc } from '../access/access.service.js';
import * as repo from './org.repository.js';
import { diffRecords, uniqueSlug } from './org.rules.js';
import type { ChangeContext } from './org.service.js';
import type { TeamCreateInput, TeamDetailType, TeamSummaryType, TeamUpdateInput } from './org.schema.js';

function summary(t: repo.TeamRow): TeamSummaryType {
  return {
    id: t.id,
    name: t.name,
    slug: t.slug,
    kind: t.kind,
    parentId: t.parent_id,
    memberCount: t.member_count,
  };
}

function teamNotFound(): AppError {
  return new AppError('not_found', 'No team with that id.');
}

/** Every team with its current head count (direct members who have not left). */
export async function listTeams(db: Kysely<DB>): Promise<{ items: TeamSummaryType[] }> {
  return { items: (await repo.listTeams(db, todayUtc())).map(summary) };
}

/** A team with its path from the root, its sub-teams and its current members. */
export async function getTeam(db: Kysely<DB>, id: string): Promise<TeamDetailType> {
  const asOf = todayUtc();
  const team = await repo.findTeam(db, id, asOf);
  if (!team) throw teamNotFound();
  const [path, children, members] = [
    await repo.findTeamAncestors(db, id),
    await repo.listTeams(db, asOf, { parentId: id }),
    await repo.findPersonCards(db, { teamIds: [id], includeLeavers: false }, asOf),
  ];
  return {
    team: { ...summary(team), description: team.description },
    path,
    children: children.map(summary),
    members,
  };
}

async function checkSiblingName(
  db: Kysely<DB>,
  name: string,
  parentId: string | null,
  selfId: string | null,
): Promise<void> {
  let q = db
    .selectFrom('team')
    .select(['id', 'name'])
    .where(
      'name',
      'ilike',
      name.replace(/[\\%_]/g, (c) => `\\${c}`),
    );
  q = parentId ? q.where('parent_id', '=', parentId) : q.where('parent_id', 'is', null);
  const clash = (await q.execute()).find((t) => t.id !== selfId);
  if (clash) {
    throw new AppError(
      'conflict',
      `A team named "${clash.name}" already exists at that place in the organisation.`,
      [{ path: '/body/name', message: 'is already used by a sibling team' }],
    );
  }
}

/** Adds a team; departments and teams default to sitting under the company root. */
export async function createTeam(
  db: Kysely<DB>,
  input: TeamCreateInput,
  ctx: ChangeContext,
): Promise<TeamDetailType> {
  const name = input.name.trim();
  let parentId = input.parentId ?? null;
  const teams = await repo.findAllTeams(db);
  if (input.kind === 'company') {
    if (parentId) {
      throw new AppError(
        'validation_failed',
        'The company is the root of the organisation and has no parent.',
        [{ path: '/body/parentId', message: 'must be empty for a company' }],
      );
    }
    const existing = teams.find((t) => t.kind === 'company');
    if (existing) {
      throw new AppError('conflict', `The organisation already has a company root ("${existing.name}").`, [
        { path: '/body/kind', message: 'only one company team may exist' },
      ]);
    }
  } else if (parentId === null && input.parentId === undefined) {
    parentId = teams.find((t) => t.kind === 'company' && t.parent_id === null)?.id ?? null;
  }
  if (parentId && !teams.some((t) => t.id === parentId)) {
    throw new AppError('validation_failed', `No team with id ${parentId} to be the parent.`, [
      { path: '/body/parentId', message: 'is not a team' },
    ]);
  }
  await checkSiblingName(db, name, parentId, null);
  const row = {
    id: crypto.randomUUID(),
    name,
    slug: uniqueSlug(name, new Set(teams.map((t) => t.slug))),
    kind: input.kind,
    parent_id: parentId,
    description: input.description ?? null,
  };
  await db.transaction().execute(async (trx) => {
    await repo.insertTeams(trx, [row]);
    await repo.insertOrgChanges(trx, [
      {
        entityType: 'team',
        entityId: row.id,
        change: 'create',
        ...ctx,
        before: null,
        after: { name, slug: row.slug, kind: row.kind, parentId, description: row.description },
      },
    ]);
  });
  return getTeam(db, row.id);
}

/** Renames, re-describes or moves a team; a move under its own descendant is refused. */
export async function updateTeam(
  db: Kysely<DB>,
  id: string,
  input: TeamUpdateInput,
  ctx: ChangeContext,
): Promise<TeamDetailType> {
  const teams = await repo.findAllTeams(db);
  const team = teams.find((t) => t.id === id);
  if (!team) throw teamNotFound();
  const before = { name: team.name, parentId: team.parent_id, description: team.description };
  const next = {
    name: input.name?.trim() ?? team.name,
    parentId: input.parentId === undefined ? team.parent_id : input.parentId,
    description: input.description === undefined ? team.description : input.description,
  };
  if (next.parentId !== team.parent_id) {
    if (team.kind === 'company' && next.parentId) {
      throw new AppError(
        'validation_failed',
        'The company is the root of the organisation and cannot be moved.',
        [{ path: '/body/parentId', message: 'must be empty for a company' }],
      );
    }
    const byId = new Map(teams.map((t) => [t.id, t]));
    if (next.parentId && !byId.has(next.parentId)) {
      throw new AppError('validation_failed', `No team with id ${next.parentId} to be the parent.`, [
        { path: '/body/parentId', message: 'is not a team' },
      ]);
    }
    // Walk up from the new parent: meeting the team itself means the move would make a cycle.
    const chain: string[] = [];
    for (
      let at = next.parentId ? byId.get(next.parentId) : undefined;
      at;
      at = at.parent_id ? byId.get(at.parent_id) : undefined
    ) {
      chain.push(at.name);
      if (at.id === id) {
        const message = `cannot move "${team.name}" under ${chain.length === 1 ? 'itself' : `"${chain[0]}", which lies below it`}`;
        throw new AppError('validation_failed', `That would make a cycle in the team tree: ${message}.`, [
          { path: '/body/parentId', message },
        ]);
      }
      if (chain.length > 1000) break;
    }
  }
  if (next.name !== team.name || next.parentId !== team.parent_id) {
    await checkSiblingName(db, next.name, next.parentId, id);
  }
  const diff = diffRecords(before, next);
  if (diff) {
    await db.transaction().execute(async (trx) => {
      await repo.updateTeamRow(trx, id, {
        name: next.name,
        parent_id: next.parentId,
        description: next.description,
      });
      await repo.insertOrgChanges(trx, [
        { entityType: 'team', entityId: id, change: 'update', ...ctx, ...diff },
      ]);
    });
  }
  return getTeam(db, id);
}
