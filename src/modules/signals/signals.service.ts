import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { AppError } from '../../shared/app-error.js';
import {
  computeFlags,
  controlCharts,
  EWMA,
  listFlags,
  loadSeries,
  seriesFor,
  seriesMaps,
  WATCHED_KEYS,
  type Flag,
} from './signals.flags.js';
import { loadMemberships } from './signals.rollups.js';
import {
  addWeeks,
  EVENT_KINDS_BY_KEY,
  eventContributions,
  itemContributions,
  METRICS,
  metricById,
  CYCLE_HISTOGRAM,
  histogramPercentile,
  PROJECT_COMMITS,
  PROJECT_PRS,
  SPRINT_ISSUES,
  SPRINT_POINTS,
  weekOf,
  type ItemFact,
  type MetricDefinition,
  type SignalEvent,
} from './signals.metrics.js';
import type {
  CycleStageType,
  EvidenceRowType,
  EvidenceType,
  FlagType,
  MetricInfoType,
  OrgOverviewType,
  PersonSignalsType,
  ReviewGraphType,
  TeamDashboardType,
} from './signals.schema.js';

/** Read side of the signals: dashboards from the rollups, and the events behind any number. */

export interface WeekRange {
  from: string;
  to: string;
}

const DEFAULT_WEEKS = 26;
const DEFS = METRICS as readonly MetricDefinition[];
const SUM_KEYS = [
  'prs_merged',
  'issues_completed',
  'story_points',
  'items_done',
  'commits',
  'reverts',
  'reviews_given',
  'incidents_linked',
];
const RATIO_KEYS = ['bugfix_done', 'changes_requested_received'];

/** Resolves `from`/`to` dates (any day) to whole UTC ISO weeks; default: the last 26 weeks. */
export function weekRange(
  query: { from?: string | undefined; to?: string | undefined },
  now = new Date(),
): WeekRange {
  const to = weekOf(query.to ? `${query.to}T00:00:00Z` : now);
  const from = query.from ? weekOf(`${query.from}T00:00:00Z`) : addWeeks(to, -(DEFAULT_WEEKS - 1));
  if (from > to)
    throw new AppError('validation_failed', 'The range starts after it ends.', [
      { path: 'from', message: 'must not be after to' },
    ]);
  if (addWeeks(from, 160) < to)
    throw new AppError('validation_failed', 'The range is longer than three years.', [
      { path: 'from', message: 'at most 160 weeks before to' },
    ]);
  return { from, to };
}

export function metricInfo(): MetricInfoType[] {
  return DEFS.map((m) => ({
    id: m.id,
    family: m.family,
    label: m.label,
    description: m.description,
    unit: m.unit,
    levels: [...m.levels],
    aggregation: m.aggregation,
  }));
}

type Subject = { type: 'person'; id: string } | { type: 'team'; id: string } | { type: 'org' };

/** Sums of rollup keys over the range for a subject: `metric → value`, and weekly `metric → week → value`. */
async function rollupSums(
  db: Kysely<DB>,
  subject: Subject,
  range: WeekRange,
  keys: readonly string[],
): Promise<{ totals: Map<string, number>; weekly: Map<string, Map<string, number>> }> {
  const rows =
    subject.type === 'person'
      ? await db
          .selectFrom('signals_person_week')
          .select(['week', 'metric', 'value'])
          .where('person_id', '=', subject.id)
          .where('week', '>=', range.from)
          .where('week', '<=', range.to)
          .where('metric', 'in', [...keys])
          .execute()
      : subject.type === 'team'
        ? await db
            .selectFrom('signals_team_week')
            .select(['week', 'metric', 'value'])
            .where('team_id', '=', subject.id)
            .where('week', '>=', range.from)
            .where('week', '<=', range.to)
            .where('metric', 'in', [...keys])
            .execute()
        : await db
            .selectFrom('signals_org_week')
            .select(['week', 'metric', 'value'])
            .where('week', '>=', range.from)
            .where('week', '<=', range.to)
            .where('metric', 'in', [...keys])
            .execute();
  const totals = new Map<string, number>();
  const weekly = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const v = Number(r.value);
    totals.set(r.metric, (totals.get(r.metric) ?? 0) + v);
    let m = weekly.get(r.metric);
    if (!m) weekly.set(r.metric, (m = new Map()));
    m.set(String(r.week), (m.get(String(r.week)) ?? 0) + v);
  }
  return { totals, weekly };
}

/** Folds rollup rows (week, metric, value) into totals and weekly maps, for the given keys only. */
function foldSums(
  rows: readonly { week: string; metric: string; value: number }[],
  keys: readonly string[],
): { totals: Map<string, number>; weekly: Map<string, Map<string, number>> } {
  const wanted = new Set(keys);
  const totals = new Map<string, number>();
  const weekly = new Map<string, Map<string, number>>();
  for (const r of rows) {
    if (!wanted.has(r.metric)) continue;
    const v = Number(r.value);
    totals.set(r.metric, (totals.get(r.metric) ?? 0) + v);
    let m = weekly.get(r.metric);
    if (!m) weekly.set(r.metric, (m = new Map()));
    m.set(String(r.week), (m.get(String(r.week)) ?? 0) + v);
  }
  return { totals, weekly };
}

/** Range totals of the rollup keys with a prefix: `key → value`. */
function prefixTotals(
  rows: readonly { metric: string; value: number }[],
  ...prefixes: string[]
): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows)
    if (prefixes.some((p) => r.metric.startsWith(p)))
      out.set(r.metric, (out.get(r.metric) ?? 0) + Number(r.value));
  return out;
}

function metricTotals(sums: Map<string, number>, cycle: CycleStageType[]): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const m of DEFS) {
    if (m.aggregation === 'sum' && m.rollup) out[m.id] = sums.get(m.rollup.numerator) ?? 0;
    if (m.aggregation === 'ratio' && m.rollup) {
      const d = sums.get(m.rollup.denominator!) ?? 0;
      out[m.id] = d === 0 ? null : (sums.get(m.rollup.numerator) ?? 0) / d;
    }
    if (m.aggregation === 'percentile') out[m.id] = cycle.find((c) => c.metric === m.id)?.p50 ?? null;
  }
  return out;
}

function weeksOf(range: WeekRange): string[] {
  const out: string[] = [];
  for (let w = range.from; w <= range.to; w = addWeeks(w, 1)) out.push(w);
  return out;
}

function series(weekly: Map<string, Map<string, number>>, range: WeekRange) {
  const weeks = weeksOf(range);
  return DEFS.filter((m) => m.aggregation === 'sum' && m.rollup).map((m) => ({
    metric: m.id,
    points: weeks.map((week) => ({ week, value: weekly.get(m.rollup!.numerator)?.get(week) ?? 0 })),
  }));
}

/**
 * Organisation-wide cycle-time percentiles from the quarter-octave histograms in the org rollup
 * (exact percentiles over every pull request of a large organisation would sort them all on each
 * request); within ±9% of the exact value.
 */
async function orgCycleStages(db: Kysely<DB>, range: WeekRange): Promise<CycleStageType[]> {
  const rows = await db
    .selectFrom('signals_org_week')
    .select(['week', 'metric', 'value'])
    .where('week', '>=', range.from)
    .where('week', '<=', range.to)
    .where('metric', 'like', `${CYCLE_HISTOGRAM}%`)
    .execute();
  const hours = (v: number | null) => (v === null ? null : v / 3600);
  return (['coding', 'pickup', 'review'] as const).map((stage) => {
    const prefix = `${CYCLE_HISTOGRAM}${stage}:`;
    const all = new Map<number, number>();
    const byWeek = new Map<string, Map<number, number>>();
    for (const r of rows) {
      if (!r.metric.startsWith(prefix)) continue;
      const b = Number(r.metric.slice(prefix.length));
      const v = Number(r.value);
      all.set(b, (all.get(b) ?? 0) + v);
      const w = String(r.week);
      const m = byWeek.get(w) ?? new Map<number, number>();
      m.set(b, (m.get(b) ?? 0) + v);
      byWeek.set(w, m);
    }
    const n = (m: Map<number, number>) => [...m.values()].reduce((a, b) => a + b, 0);
    return {
      metric: `cycle_${stage}`,
      n: n(all),
      p50: hours(histogramPercentile(all, 0.5)),
      p85: hours(histogramPercentile(all, 0.85)),
      weekly: [...byWeek]
        .sort((a, b) => (a[0] < b[0] ? -1 : 1))
        .map(([week, m]) => ({
          week,
          n: n(m),
          p50: hours(histogramPercentile(m, 0.5)),
          p85: hours(histogramPercentile(m, 0.85)),
        })),
    };
  });
}

/** Medians and 85th percentiles of the cycle-time stages (hours), over the range and per week. */
async function cycleStages(db: Kysely<DB>, subject: Subject, range: WeekRange): Promise<CycleStageType[]> {
  if (subject.type === 'org') return orgCycleStages(db, range);
  const where =
    subject.type === 'person'
      ? sql`f.person_id = ${subject.id}`
      : subject.type === 'team'
        ? sql`f.team_id = ${subject.id}`
        : sql`true`;
  // The range and each week in one statement (grouping sets: the row with no week is the range's).
  const result = await sql<Record<string, number | string | null>>`
    select f.week::text as week,
      count(f.coding_s)::int as coding_n, percentile_cont(0.5) within group (order by f.coding_s) as coding_p50,
      percentile_cont(0.85) within group (order by f.coding_s) as coding_p85,
      count(f.pickup_s)::int as pickup_n, percentile_cont(0.5) within group (order by f.pickup_s) as pickup_p50,
      percentile_cont(0.85) within group (order by f.pickup_s) as pickup_p85,
      count(f.review_s)::int as review_n, percentile_cont(0.5) within group (order by f.review_s) as review_p50,
      percentile_cont(0.85) within group (order by f.review_s) as review_p85
    from signals_item_fact f
    where f.kind = 'pull_request' and f.week >= ${range.from}::date and f.week <= ${range.to}::date and ${where}
    group by grouping sets ((f.week), ())
    order by f.week nulls first`.execute(db);
  const hours = (v: unknown) => (v === null || v === undefined ? null : Number(v) / 3600);
  const o = result.rows.find((r) => r.week === null) ?? {};
  const weekly = { rows: result.rows.filter((r) => r.week !== null) };
  return (['coding', 'pickup', 'review'] as const).map((stage) => ({
    metric: `cycle_${stage}`,
    n: Number(o[`${stage}_n`] ?? 0),
    p50: hours(o[`${stage}_p50`]),
    p85: hours(o[`${stage}_p85`]),
    weekly: weekly.rows.map((r) => ({
      week: String(r.week),
      n: Number(r[`${stage}_n`] ?? 0),
      p50: hours(r[`${stage}_p50`]),
      p85: hours(r[`${stage}_p85`]),
    })),
  }));
}

async function names(db: Kysely<DB>, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('person')
    .select(['id', 'name'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

async function namedFlags(db: Kysely<DB>, flags: Flag[]): Promise<FlagType[]> {
  const personNames = await names(
    db,
    flags.filter((f) => f.subject.type === 'person').map((f) => f.subject.id),
  );
  const teamIds = flags.filter((f) => f.subject.type === 'team').map((f) => f.subject.id);
  const teams = teamIds.length
    ? new Map(
        (await db.selectFrom('team').select(['id', 'name']).where('id', 'in', teamIds).execute()).map((t) => [
          t.id,
          t.name,
        ]),
      )
    : new Map<string, string>();
  return flags.map((f) => ({
    ...f,
    subject: {
      ...f.subject,
      name: (f.subject.type === 'person' ? personNames.get(f.subject.id) : teams.get(f.subject.id)) ?? '',
    },
  }));
}

/** The review graph around a team: edges from the reviewer → author rollup, where either is a member. */
async function reviewGraph(
  db: Kysely<DB>,
  teamId: string,
  memberIds: readonly string[],
  range: WeekRange,
): Promise<ReviewGraphType> {
  // Edges and the names of everyone on them, in one round trip.
  const result =
    memberIds.length === 0
      ? { rows: [] }
      : await sql<{
          reviewer: string;
          author: string;
          reviews: number;
          r_name: string;
          r_team: string | null;
          r_team_name: string | null;
          a_name: string;
          a_team: string | null;
          a_team_name: string | null;
        }>`
          with edges as (
            select reviewer_id, author_id, sum(reviews)::float8 as reviews from signals_review_week
            where week >= ${range.from}::date and week <= ${range.to}::date
              and (reviewer_id in (${sql.join(memberIds)}) or author_id in (${sql.join(memberIds)}))
            group by 1, 2
          )
          select e.reviewer_id as reviewer, e.author_id as author, e.reviews,
            r.name as r_name, r.team_id as r_team, rt.name as r_team_name,
            a.name as a_name, a.team_id as a_team, atm.name as a_team_name
          from edges e
          join person r on r.id = e.reviewer_id left join team rt on rt.id = r.team_id
          join person a on a.id = e.author_id left join team atm on atm.id = a.team_id`.execute(db);
  const edges = result.rows.map((r) => ({
    reviewer: r.reviewer,
    author: r.author,
    reviews: Number(r.reviews),
  }));
  const byId = new Map<
    string,
    { id: string; name: string; team_id: string | null; team_name: string | null }
  >();
  for (const r of result.rows) {
    byId.set(r.reviewer, { id: r.reviewer, name: r.r_name, team_id: r.r_team, team_name: r.r_team_name });
    byId.set(r.author, { id: r.author, name: r.a_name, team_id: r.a_team, team_name: r.a_team_name });
  }
  const people = [...byId.values()];
  const teamOf = new Map(people.map((p) => [p.id, p.team_id]));
  let within = 0;
  let cross = 0;
  for (const r of edges) {
    if (teamOf.get(r.reviewer) === teamOf.get(r.author)) within += r.reviews;
    else cross += r.reviews;
  }
  return {
    nodes: people
      .map((p) => ({ id: p.id, name: p.name, teamName: p.team_name ?? '', inTeam: p.team_id === teamId }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    edges: edges.map((r) => ({ from: r.reviewer, to: r.author, reviews: r.reviews })),
    withinTeamReviews: within,
    crossTeamReviews: cross,
  };
}

/** Issues and points per sprint for a team, from the team rollup, named from the sprint events. */
async function sprintVelocity(db: Kysely<DB>, totals: ReadonlyMap<string, number>) {
  const rows = [...totals].map(([metric, value]) => ({ metric, value }));
  const by = new Map<string, { issues: number; points: number }>();
  for (const r of rows) {
    const id = r.metric.slice(3);
    const v = by.get(id) ?? { issues: 0, points: 0 };
    if (r.metric.startsWith(SPRINT_ISSUES)) v.issues += Number(r.value);
    else v.points += Number(r.value);
    by.set(id, v);
  }
  if (by.size === 0) return [];
  const events = await db
    .selectFrom('ingest_work_event')
    .select(['kind', 'occurred_at', 'project', 'attributes'])
    .where('kind', 'in', ['sprint_started', 'sprint_closed'])
    .where(sql<boolean>`attributes->>'sprintId' in (${sql.join([...by.keys()].map((k) => sql`${k}`))})`)
    .execute();
  const info = new Map<
    string,
    { name: string; project: string | null; started: string | null; closed: string | null }
  >();
  for (const e of events) {
    const a = e.attributes as Record<string, unknown>;
    const id = String(a.sprintId);
    const i = info.get(id) ?? { name: '', project: e.project, started: null, closed: null };
    if (typeof a.name === 'string') i.name = a.name;
    const at = new Date(e.occurred_at).toISOString();
    if (e.kind === 'sprint_started') i.started = at;
    else i.closed = at;
    info.set(id, i);
  }
  return [...by]
    .map(([sprintId, v]) => {
      const i = info.get(sprintId);
      return {
        sprintId,
        name: i?.name || `Sprint ${sprintId}`,
        project: i?.project ?? null,
        startedAt: i?.started ?? null,
        closedAt: i?.closed ?? null,
        issues: v.issues,
        points: v.points,
      };
    })
    .sort(
      (a, b) =>
        (a.startedAt ?? '9999').localeCompare(b.startedAt ?? '9999') ||
        a.sprintId.localeCompare(b.sprintId, 'en', { numeric: true }),
    );
}

export async function teamDashboard(
  db: Kysely<DB>,
  teamId: string,
  range: WeekRange,
  visiblePerson: (id: string) => boolean,
): Promise<TeamDashboardType> {
  const [team, members] = await Promise.all([
    db.selectFrom('team').select(['id', 'name']).where('id', '=', teamId).executeTakeFirst(),
    db.selectFrom('person').select(['id', 'name', 'team_id']).where('team_id', '=', teamId).execute(),
  ]);
  if (!team) throw new AppError('not_found', 'No such team.');
  const memberIds = members.map((m) => m.id);
  const visible = members.filter((m) => visiblePerson(m.id));
  const visibleIds = visible.map((m) => m.id);
  const subject: Subject = { type: 'team', id: teamId };
  // The weeks before the range are the control charts' and flags' baseline.
  const start = addWeeks(range.from, -EWMA.baselineWeeks);
  // Independent reads, all from the rollups, run at once (a pool on PostgreSQL serves them in parallel).
  const [teamRowsAll, personData, memberships, cycle, graph, areas] = await Promise.all([
    // Every rollup key of the team over the baseline and the range, once: totals, series, projects,
    // sprints, control charts and the team's flags.
    db
      .selectFrom('signals_team_week')
      .select(['week', 'metric', 'value'])
      .where('team_id', '=', teamId)
      .where('week', '>=', start)
      .where('week', '<=', range.to)
      .execute(),
    // The watched series of the members whose flags the viewer may see.
    loadSeries(db, 'person', visibleIds, start, range.to),
    visibleIds.length === 0 ? Promise.resolve(null) : loadMemberships(db, visibleIds),
    cycleStages(db, subject, range),
    reviewGraph(db, teamId, memberIds, range),
    memberIds.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('signals_person_week')
          .select([
            sql<string>`substr(metric, 6)`.as('area'),
            sql<number>`count(distinct person_id)::int`.as('people'),
            sql<number>`sum(value)::float8`.as('commits'),
          ])
          .where('person_id', 'in', memberIds)
          .where('week', '>=', range.from)
          .where('week', '<=', range.to)
          .where('metric', 'like', 'area:%')
          .groupBy(sql`substr(metric, 6)`)
          .orderBy(sql`substr(metric, 6)`)
          .execute(),
  ]);
  const teamRows = teamRowsAll.filter((r) => String(r.week) >= range.from);
  const teamData = seriesMaps(
    teamRowsAll.filter((r) => WATCHED_KEYS.includes(r.metric)).map((r) => ({ ...r, id: teamId })),
  );
  const flags = computeFlags({
    from: range.from,
    to: range.to,
    teamIds: [teamId],
    persons: visible,
    personData,
    teamData,
    teamAt: memberships?.teamAt ?? (() => null),
  });
  const sums = foldSums(teamRows, [...SUM_KEYS, ...RATIO_KEYS]);
  const sprints = await sprintVelocity(db, prefixTotals(teamRows, SPRINT_ISSUES, SPRINT_POINTS));
  const projects = new Map<string, { commits: number; prsMerged: number }>();
  for (const [metric, value] of prefixTotals(teamRows, PROJECT_COMMITS, PROJECT_PRS)) {
    const name = metric.slice(3);
    const p = projects.get(name) ?? { commits: 0, prsMerged: 0 };
    if (metric.startsWith(PROJECT_COMMITS)) p.commits += value;
    else p.prsMerged += value;
    projects.set(name, p);
  }
  const byProject = [...projects]
    .map(([project, v]) => ({ project, ...v }))
    .sort((a, b) => (a.project < b.project ? -1 : a.project > b.project ? 1 : 0));
  const memberNames = new Map(members.map((m) => [m.id, m.name]));
  return {
    team: { id: team.id, name: team.name, memberCount: members.length },
    range,
    metrics: metricInfo(),
    totals: metricTotals(sums.totals, cycle),
    series: series(sums.weekly, range),
    control: controlCharts(teamData, teamId, range.from, range.to),
    cycle,
    byProject,
    sprints,
    graph,
    silos: {
      singleOwnerAreas: areas
        .filter((a) => Number(a.people) === 1)
        .map((a) => ({ area: a.area, commits: Number(a.commits) })),
      areasTouched: areas.length,
    },
    // Names from the members already read (the flags are this team's and its members').
    flags: flags.map((f) => ({
      ...f,
      subject: {
        ...f.subject,
        name: (f.subject.type === 'team' ? team.name : memberNames.get(f.subject.id)) ?? '',
      },
    })),
  };
}

export async function personSignals(
  db: Kysely<DB>,
  personId: string,
  range: WeekRange,
): Promise<PersonSignalsType> {
  const person = await db
    .selectFrom('person')
    .select(['id', 'name', 'team_id'])
    .where('id', '=', personId)
    .executeTakeFirst();
  if (!person) throw new AppError('not_found', 'No such person.');
  const subject: Subject = { type: 'person', id: personId };
  const [sums, cycle, control, flags] = await Promise.all([
    rollupSums(db, subject, range, [...SUM_KEYS, ...RATIO_KEYS]),
    cycleStages(db, subject, range),
    seriesFor(db, 'person', personId, range.from, range.to),
    listFlags(db, { personIds: [personId], from: range.from, to: range.to }),
  ]);
  const skillRows = await db
    .selectFrom('signals_person_week')
    .select(['week', 'metric', 'value'])
    .where('person_id', '=', personId)
    .where('week', '>=', range.from)
    .where('week', '<=', range.to)
    .where((eb) => eb.or([eb('metric', 'like', 'area:%'), eb('metric', 'like', 'lang:%')]))
    .execute();
  const weeks = weeksOf(range);
  const skill = (prefix: string) => {
    const by = new Map<string, Map<string, number>>();
    for (const r of skillRows) {
      if (!r.metric.startsWith(prefix)) continue;
      const name = r.metric.slice(prefix.length);
      let m = by.get(name);
      if (!m) by.set(name, (m = new Map()));
      m.set(String(r.week), r.value);
    }
    return [...by]
      .map(([name, m]) => ({
        name,
        total: [...m.values()].reduce((a, b) => a + b, 0),
        points: weeks.map((week) => ({ week, value: m.get(week) ?? 0 })),
      }))
      .sort((a, b) => b.total - a.total || a.name.localeCompare(b.name))
      .slice(0, 12);
  };
  let teamReviewShare: number | null = null;
  if (person.team_id) {
    const team = await rollupSums(db, { type: 'team', id: person.team_id }, range, ['reviews_given']);
    const t = team.totals.get('reviews_given') ?? 0;
    teamReviewShare = t === 0 ? null : (sums.totals.get('reviews_given') ?? 0) / t;
  }
  return {
    person: { id: person.id, name: person.name, teamId: person.team_id },
    range,
    metrics: metricInfo(),
    totals: metricTotals(sums.totals, cycle),
    control,
    cycle,
    skills: { areas: skill('area:'), languages: skill('lang:') },
    glue: {
      reviewsGiven: sums.totals.get('reviews_given') ?? 0,
      prsMerged: sums.totals.get('prs_merged') ?? 0,
      teamReviewShare,
    },
    flags: await namedFlags(db, flags),
  };
}

export async function orgOverview(db: Kysely<DB>, range: WeekRange): Promise<OrgOverviewType> {
  const [sums, cycle, teamRows, teams] = await Promise.all([
    rollupSums(db, { type: 'org' }, range, [...SUM_KEYS, ...RATIO_KEYS]),
    cycleStages(db, { type: 'org' }, range),
    db
      .selectFrom('signals_team_week')
      .select(['team_id', 'metric', (eb) => eb.fn.sum<number>('value').as('value')])
      .where('week', '>=', range.from)
      .where('week', '<=', range.to)
      .where('metric', 'in', [...SUM_KEYS, ...RATIO_KEYS])
      .groupBy(['team_id', 'metric'])
      .execute(),
    sql<{ id: string; name: string; members: number }>`
      select t.id, t.name, count(p.id)::int as members from team t left join person p on p.team_id = t.id
      group by t.id, t.name having count(p.id) > 0 order by t.name
    `.execute(db),
  ]);
  const perTeam = new Map<string, Map<string, number>>();
  for (const r of teamRows) {
    let m = perTeam.get(r.team_id);
    if (!m) perTeam.set(r.team_id, (m = new Map()));
    m.set(r.metric, Number(r.value));
  }
  return {
    range,
    metrics: metricInfo(),
    totals: metricTotals(sums.totals, cycle),
    series: series(sums.weekly, range),
    cycle,
    // Teams in name order: an overview, never a ranking.
    teams: teams.rows.map((t) => ({
      id: t.id,
      name: t.name,
      memberCount: t.members,
      totals: metricTotals(perTeam.get(t.id) ?? new Map(), []),
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// "Why this number?"

/** A link to the PR / issue / commit / review at its source, when the source is on the web. */
export function sourceUrl(
  source: string,
  kind: string,
  project: string | null,
  sourceId: string,
  itemSourceId: string | null,
  attributes: Record<string, unknown>,
  itemAttributes: Record<string, unknown> = {},
  itemKind: string | null = null,
): string | null {
  for (const u of [attributes.url, attributes.html_url, itemAttributes.url, itemAttributes.html_url]) {
    if (typeof u === 'string' && /^https?:\/\//.test(u)) return u;
  }
  if (source !== 'github') return null;
  const item = itemSourceId ?? (/^[\w.-]+\/[\w.-]+#\d+$/.test(sourceId) ? sourceId : null);
  if (kind === 'commit' || kind === 'commit_coauthored') {
    const sha = attributes.sha;
    return typeof sha === 'string' && project ? `https://github.com/${project}/commit/${sha}` : null;
  }
  if (item) {
    const m = /^([\w.-]+\/[\w.-]+)#(\d+)$/.exec(item);
    if (!m) return null;
    const path = itemKind === 'issue' ? 'issues' : 'pull';
    const review = /^review:(\d+)$/.exec(sourceId);
    return `https://github.com/${m[1]}/${path}/${m[2]}${review ? `#pullrequestreview-${review[1]}` : ''}`;
  }
  return null;
}

/**
 * Whose events can count for the subject: the person; for a team everyone who was a member at some
 * point of the range (each row is then checked against the membership at its own time); null: everyone.
 */
async function subjectPeople(
  db: Kysely<DB>,
  scope: 'person' | 'team' | 'org',
  id: string | null,
  start: Date,
  end: Date,
): Promise<string[] | null> {
  if (scope === 'org') return null;
  if (scope === 'person') return [id!];
  const rows = await db
    .selectFrom('signals_team_membership')
    .select('person_id')
    .distinct()
    .where('team_id', '=', id!)
    .where((eb) => eb.or([eb('valid_from', 'is', null), eb('valid_from', '<', end)]))
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', start)]))
    .execute();
  return rows.map((r) => r.person_id);
}

/** The source events (or finished items) behind a metric's value for a subject and range. */
export async function evidence(
  db: Kysely<DB>,
  query: {
    metric: string;
    scope: 'person' | 'team' | 'org';
    id: string | null;
    range: WeekRange;
    limit: number;
    sprint?: string | null;
  },
): Promise<EvidenceType> {
  const def = metricById(query.metric);
  if (!def)
    throw new AppError('validation_failed', `Unknown metric "${query.metric}".`, [
      { path: 'metric', message: `one of ${METRICS.map((m) => m.id).join(', ')}` },
    ]);
  if (query.scope !== 'org' && !query.id)
    throw new AppError('validation_failed', 'Say whose number it is.', [
      { path: 'id', message: `required for scope ${query.scope}` },
    ]);
  const { range } = query;
  const start = new Date(`${range.from}T00:00:00Z`);
  const end = new Date(`${addWeeks(range.to, 1)}T00:00:00Z`);
  const people = await subjectPeople(db, query.scope, query.id, start, end);
  // A team's number counts what its members did while they were in it.
  const { teamAt } = await loadMemberships(db, people ?? []);
  const counts = (personId: string | null, at: string | Date | null) =>
    query.scope !== 'team' ||
    (personId !== null && at !== null && teamAt(personId, new Date(at).toISOString()) === query.id);
  const info = metricInfo().find((m) => m.id === def.id)!;
  const rows: EvidenceRowType[] = [];
  let total = 0;
  let value: number | null = 0;
  if (people && people.length === 0)
    return { metric: info, scope: query.scope, id: query.id, range, total: 0, value: 0, rows };
  const nameOf = new Map<string, string>();

  if (def.evidence === 'events') {
    const key =
      def.id === 'review_graph' ? 'reviews_given' : def.id === 'skills' ? 'commits' : def.rollup!.numerator;
    const kinds = EVENT_KINDS_BY_KEY[key] ?? [];
    let q = db
      .selectFrom('ingest_work_event as e')
      .leftJoin('ingest_work_item as i', (j) =>
        j.onRef('i.source', '=', 'e.source').onRef('i.source_id', '=', 'e.item_source_id'),
      )
      .select([
        'e.id',
        'e.source',
        'e.source_id',
        'e.kind',
        'e.person_id',
        'e.actor_identity_id',
        'e.occurred_at',
        'e.project',
        'e.item_source_id',
        'e.attributes',
        'i.title',
        'i.number',
        'i.kind as item_kind',
        'i.person_id as item_person_id',
        'i.attributes as item_attributes',
      ])
      .where('e.kind', 'in', [...kinds])
      .where('e.occurred_at', '>=', start)
      .where('e.occurred_at', '<', end)
      .where('e.person_id', 'is not', null)
      .orderBy('e.occurred_at', 'desc')
      .limit(20000);
    if (people) q = q.where('e.person_id', 'in', people);
    const events = await q.execute();
    const bots = new Set(
      (await db.selectFrom('ingest_identity').select('id').where('is_bot', '=', true).execute()).map(
        (r) => r.id,
      ),
    );
    const isBot = (id: string | null) => id !== null && bots.has(id);
    for (const e of events) {
      const c = eventContributions(e as unknown as SignalEvent, isBot, e.item_person_id).find(
        (x) => x.metric === key,
      );
      if (!c || !counts(e.person_id, e.occurred_at)) continue;
      total++;
      value += c.value;
      if (rows.length >= query.limit) continue;
      const attrs = e.attributes as Record<string, unknown>;
      rows.push({
        at: new Date(e.occurred_at).toISOString(),
        kind: e.kind,
        title:
          e.title ??
          (typeof attrs.subject === 'string'
            ? attrs.subject
            : typeof attrs.sha === 'string'
              ? attrs.sha.slice(0, 12)
              : e.source_id),
        project: e.project,
        person: e.person_id ? { id: e.person_id, name: '' } : null,
        url: sourceUrl(
          e.source,
          e.kind,
          e.project,
          e.source_id,
          e.item_source_id,
          attrs,
          (e.item_attributes ?? {}) as Record<string, unknown>,
          e.item_kind,
        ),
        sourceId: e.source_id,
        value: c.value,
        detail: e.kind === 'review_submitted' ? String(attrs.state ?? '') : e.number ? `#${e.number}` : '',
      });
    }
  } else if (def.id === 'incidents_linked') {
    // Incidents raised in the range, each counted once per attributed author in the subject.
    const facts = await db
      .selectFrom('signals_item_fact as f')
      .innerJoin('ingest_work_item as i', (j) =>
        j.onRef('i.source', '=', 'f.source').onRef('i.source_id', '=', 'f.source_id'),
      )
      .select(['f.source', 'f.source_id', 'f.kind', 'f.project', 'f.fact', 'i.title', 'i.attributes'])
      .where(sql<boolean>`(f.fact->>'incident') = 'true'`)
      .where(sql<boolean>`(f.fact->>'incidentWeek') between ${range.from} and ${range.to}`)
      .orderBy(sql`f.fact->>'incidentAt'`, 'desc')
      .limit(20000)
      .execute();
    const { teamAt: causeTeamAt } = await loadMemberships(db, [
      ...new Set(facts.flatMap((f) => (f.fact as unknown as ItemFact).causePersons ?? [])),
    ]);
    for (const f of facts) {
      const fact = f.fact as unknown as ItemFact;
      for (const c of itemContributions(fact)) {
        if (c.metric !== 'incidents_linked') continue;
        if (people && !people.includes(c.personId)) continue;
        if (query.scope === 'team' && causeTeamAt(c.personId, c.at) !== query.id) continue;
        total++;
        value += 1;
        if (rows.length >= query.limit) continue;
        rows.push({
          at: c.at,
          kind: 'incident',
          title: f.title ?? f.source_id,
          project: f.project,
          person: { id: c.personId, name: '' },
          url: sourceUrl(
            f.source,
            'issue',
            f.project,
            f.source_id,
            f.source_id,
            {},
            f.attributes as Record<string, unknown>,
            f.kind,
          ),
          sourceId: f.source_id,
          value: 1,
          detail: `caused by ${(fact.causedBy ?? []).map((r) => r.replace(/^(pr|sha|ghc|key):/, '')).join(', ')}`,
        });
      }
    }
  } else {
    let q = db
      .selectFrom('signals_item_fact as f')
      .innerJoin('ingest_work_item as i', (j) =>
        j.onRef('i.source', '=', 'f.source').onRef('i.source_id', '=', 'f.source_id'),
      )
      .select([
        'f.source',
        'f.source_id',
        'f.kind',
        'f.person_id',
        'f.done_at',
        'f.project',
        'f.fact',
        'i.title',
        'i.number',
        'i.attributes',
      ])
      .where('f.week', '>=', range.from)
      .where('f.week', '<=', range.to)
      .where('f.person_id', 'is not', null)
      .orderBy('f.done_at', 'desc')
      .limit(20000);
    if (query.scope === 'team') q = q.where('f.team_id', '=', query.id!);
    else if (people) q = q.where('f.person_id', 'in', people);
    const sprintMetric = def.id === 'sprint_issues' || def.id === 'sprint_points';
    if (sprintMetric && query.sprint) q = q.where(sql<boolean>`f.fact->>'sprintId' = ${query.sprint}`);
    const facts = await q.execute();
    const stage = def.stage;
    const values: number[] = [];
    let num = 0;
    let den = 0;
    for (const f of facts) {
      const fact = f.fact as unknown as ItemFact;
      if (!fact.done) continue;
      let v: number;
      let detail: string;
      if (stage) {
        const s = fact[stage];
        if (s === null) continue;
        v = s / 3600;
        values.push(v);
        detail = `${v.toFixed(1)} h`;
      } else if (def.id === 'issues_completed' || def.id === 'story_points') {
        if (fact.kind === 'pull_request') continue;
        v = def.id === 'story_points' ? fact.storyPoints : 1;
        detail = `${fact.storyPoints} points`;
      } else if (sprintMetric) {
        if (fact.kind === 'pull_request' || !fact.sprintId) continue;
        v = def.id === 'sprint_points' ? fact.storyPoints : 1;
        detail = `sprint ${fact.sprintId}, ${fact.storyPoints} points`;
      } else if (def.id === 'changes_requested_per_pr') {
        if (fact.kind !== 'pull_request') continue;
        v = fact.changesRequested;
        num += v;
        den++;
        detail = `${fact.changesRequested} changes requested`;
      } else if (def.id === 'bugfix_share') {
        v = fact.bugfix ? 1 : 0;
        num += v;
        den++;
        detail = fact.bugfix ? 'bug fix' : 'not a bug fix';
      } else {
        v = 1;
        detail = fact.kind === 'pull_request' ? 'merged' : 'completed';
      }
      total++;
      value += v;
      if (rows.length >= query.limit) continue;
      const attrs = f.attributes as Record<string, unknown>;
      rows.push({
        at: f.done_at ? new Date(f.done_at).toISOString() : '',
        kind: f.kind,
        title: f.title ?? f.source_id,
        project: f.project,
        person: f.person_id ? { id: f.person_id, name: '' } : null,
        url: sourceUrl(
          f.source,
          f.kind === 'pull_request' ? 'pr' : 'issue',
          f.project,
          f.source_id,
          f.source_id,
          {},
          attrs,
          f.kind,
        ),
        sourceId: f.source_id,
        value: v,
        detail,
      });
    }
    if (stage) {
      values.sort((a, b) => a - b);
      value = values.length === 0 ? null : percentile(values, 0.5);
    } else if (def.aggregation === 'ratio') value = den === 0 ? null : num / den;
  }
  const ids = [...new Set(rows.flatMap((r) => (r.person ? [r.person.id] : [])))];
  for (const [id, name] of await names(db, ids)) nameOf.set(id, name);
  for (const r of rows) if (r.person) r.person.name = nameOf.get(r.person.id) ?? '';
  return { metric: info, scope: query.scope, id: query.id, range, total, value, rows };
}

/** Linear-interpolated percentile, as PostgreSQL's percentile_cont. */
export function percentile(sorted: readonly number[], p: number): number {
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
