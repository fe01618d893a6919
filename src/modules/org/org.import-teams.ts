import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, Team, TeamKind } from '../../db/types.js';
import type { PersonRecord } from './org.csv.js';
import * as repo from './org.repository.js';
import { uniqueSlug } from './org.rules.js';

/** Setting holding the company root's name for imports: `{ "name": "Acme" }`. */
export const COMPANY_NAME_SETTING = 'org.companyName';

export interface NewTeamRow {
  id: string;
  name: string;
  slug: string;
  kind: TeamKind;
  parent_id: string | null;
  description: string | null;
}

export interface TeamPlan {
  /** Teams to create, parents before children. */
  created: NewTeamRow[];
  /** The team a record puts the person in: undefined when the record says nothing about teams. */
  teamIdOf(record: PersonRecord): string | null | undefined;
}

/**
 * Resolves department and team names to teams, planning the missing ones: one company root, its
 * departments, and teams under their department (or under the root when no department is given).
 */
export async function planTeams(db: Kysely<DB>, companyName: string | undefined): Promise<TeamPlan> {
  const teams: Team[] = await repo.findAllTeams(db);
  const slugs = new Set(teams.map((t) => t.slug));
  const created: NewTeamRow[] = [];
  const setting = await repo.findSetting(db, COMPANY_NAME_SETTING);
  const rootName =
    companyName ??
    (typeof setting?.name === 'string' && setting.name.trim() ? setting.name.trim() : 'Company');
  let rootId: string | undefined = teams.find((t) => t.kind === 'company' && t.parent_id === null)?.id;

  const add = (name: string, kind: TeamKind, parentId: string | null): string => {
    const row = {
      id: crypto.randomUUID(),
      name,
      slug: uniqueSlug(name, slugs),
      kind,
      parent_id: parentId,
      description: null,
    };
    created.push(row);
    teams.push({ ...row, created_at: new Date(), updated_at: new Date() });
    return row.id;
  };
  const root = (): string => (rootId ??= add(rootName, 'company', null));
  const departments = new Map<string, string>();
  const subteams = new Map<string, string>();

  const department = (name: string): string => {
    const key = name.toLowerCase();
    let id = departments.get(key);
    if (!id) {
      const matches = teams.filter((t) => t.kind === 'department' && t.name.toLowerCase() === key);
      id = (matches.find((t) => t.parent_id === rootId) ?? matches[0])?.id ?? add(name, 'department', root());
      departments.set(key, id);
    }
    return id;
  };
  const team = (name: string, departmentId: string | null): string => {
    const key = `${departmentId ?? ''}/${name.toLowerCase()}`;
    let id = subteams.get(key);
    if (!id) {
      const matches = teams.filter(
        (t) =>
          t.kind === 'team' &&
          t.name.toLowerCase() === name.toLowerCase() &&
          (departmentId === null || t.parent_id === departmentId),
      );
      id = matches[0]?.id ?? add(name, 'team', departmentId ?? root());
      subteams.set(key, id);
    }
    return id;
  };

  return {
    created,
    teamIdOf(r) {
      if (r.department === undefined && r.team === undefined) return undefined;
      const departmentId = r.department ? department(r.department) : null;
      if (r.team) return team(r.team, departmentId);
      return departmentId;
    },
  };
}
