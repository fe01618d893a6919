import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.js';

export type WorkMomentKind = 'sprint_start' | 'sprint_close' | 'epic_kickoff' | 'epic_debrief';

export interface WorkMoment {
  kind: WorkMomentKind;
  /** Stable id of the sprint or epic at its source, e.g. 'jira:sprint:12' or the epic's item source id. */
  sourceId: string;
  name: string;
  project: string | null;
  /** 'YYYY-MM-DD' (UTC) */
  on: string;
  /** Sprint goal or epic summary when the source has one. */
  goal: string | null;
  /** People who worked in the project over the four weeks before (and the epic's own assignee). */
  participantIds: string[];
}

const LOOKBACK_DAYS = 28;

/**
 * Moments in the flow of work between two days (inclusive): sprints that started or closed, epics that
 * were opened (kickoff) or completed (debrief). For the coaching engine's workflow prompts.
 */
export async function findWorkMoments(db: Kysely<DB>, from: string, to: string): Promise<WorkMoment[]> {
  const start = new Date(`${from}T00:00:00Z`);
  const end = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000);
  const sprints = await db
    .selectFrom('ingest_work_event')
    .select(['source_id', 'kind', 'project', 'occurred_at', 'attributes'])
    .where('kind', 'in', ['sprint_started', 'sprint_closed'])
    .where('occurred_at', '>=', start)
    .where('occurred_at', '<', end)
    .execute();
  const epics = await db
    .selectFrom('ingest_work_item')
    .select(['source_id', 'project', 'title', 'opened_at', 'closed_at', 'person_id'])
    .where(sql<string>`attributes->>'issueType'`, '=', 'Epic')
    .where((eb) =>
      eb.or([
        eb.and([eb('opened_at', '>=', start), eb('opened_at', '<', end)]),
        eb.and([eb('closed_at', '>=', start), eb('closed_at', '<', end)]),
      ]),
    )
    .execute();
  const moments: (Omit<WorkMoment, 'participantIds'> & { owner: string | null })[] = [];
  for (const s of sprints) {
    const a = (s.attributes ?? {}) as Record<string, unknown>;
    moments.push({
      kind: s.kind === 'sprint_started' ? 'sprint_start' : 'sprint_close',
      sourceId: s.source_id.replace(/:(started|closed)$/, ''),
      name: typeof a.name === 'string' ? a.name : 'Sprint',
      project: s.project,
      on: s.occurred_at.toISOString().slice(0, 10),
      goal: typeof a.goal === 'string' ? a.goal : null,
      owner: null,
    });
  }
  for (const e of epics) {
    const base = {
      sourceId: e.source_id,
      name: e.title ?? 'Epic',
      project: e.project,
      goal: e.title,
      owner: e.person_id,
    };
    if (e.opened_at && e.opened_at >= start && e.opened_at < end)
      moments.push({ ...base, kind: 'epic_kickoff', on: e.opened_at.toISOString().slice(0, 10) });
    if (e.closed_at && e.closed_at >= start && e.closed_at < end)
      moments.push({ ...base, kind: 'epic_debrief', on: e.closed_at.toISOString().slice(0, 10) });
  }
  const projects = [...new Set(moments.flatMap((m) => (m.project ? [m.project] : [])))];
  const active = new Map<string, Set<string>>();
  if (projects.length) {
    const since = new Date(start.getTime() - LOOKBACK_DAYS * 86_400_000);
    const rows = await db
      .selectFrom('ingest_work_event')
      .select(['project', 'person_id'])
      .distinct()
      .where('project', 'in', projects)
      .where('person_id', 'is not', null)
      .where('occurred_at', '>=', since)
      .where('occurred_at', '<', end)
      .execute();
    for (const r of rows) {
      const set = active.get(r.project!) ?? new Set<string>();
      set.add(r.person_id!);
      active.set(r.project!, set);
    }
  }
  return moments.map(({ owner, ...m }) => {
    const ids = new Set(m.project ? (active.get(m.project) ?? []) : []);
    if (owner) ids.add(owner);
    return { ...m, participantIds: [...ids].sort() };
  });
}
