import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { addWeeks, METRICS, type MetricDefinition } from './signals.metrics.js';
import { loadMemberships, type TeamAt } from './signals.rollups.js';

/**
 * Baselines and flags: an EWMA control chart per weekly series (docs/signals.md). The baseline is
 * the mean and standard deviation of the `baselineWeeks` weeks before the evaluated range; the
 * EWMA starts at the baseline mean; a point is out of control when the EWMA leaves
 * mean ± L·σ·sqrt(λ/(2−λ)·(1−(1−λ)^(2t))). A flag needs `sustain` consecutive out-of-control weeks
 * on the same side, with at least `sustain` of those weeks' raw values on that side of the mean
 * (so a single outlier does not flag): below is a dip, above a strength.
 */
export const EWMA = { lambda: 0.2, L: 3, baselineWeeks: 12, sustain: 2, minSigma: 0.5 } as const;

export interface EwmaPoint {
  week: string;
  value: number;
  ewma: number;
  lower: number;
  upper: number;
  /** The baseline mean the chart is centred on. */
  center: number;
  out: -1 | 0 | 1;
}

export interface Baseline {
  mean: number;
  sigma: number;
}

export function baselineOf(values: readonly number[]): Baseline {
  if (values.length === 0) return { mean: 0, sigma: EWMA.minSigma };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance =
    values.length > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1) : 0;
  return { mean, sigma: Math.max(Math.sqrt(variance), EWMA.minSigma) };
}

/** The EWMA chart of `values` (one per week, in order) against a baseline. */
export function ewmaChart(
  weeks: readonly string[],
  values: readonly number[],
  baseline: Baseline,
  params: { lambda: number; L: number } = EWMA,
): EwmaPoint[] {
  const { lambda, L } = params;
  let z = baseline.mean;
  return values.map((x, i) => {
    z = lambda * x + (1 - lambda) * z;
    const t = i + 1;
    const width = L * baseline.sigma * Math.sqrt((lambda / (2 - lambda)) * (1 - (1 - lambda) ** (2 * t)));
    const lower = baseline.mean - width;
    const upper = baseline.mean + width;
    return {
      week: weeks[i]!,
      value: x,
      ewma: z,
      lower,
      upper,
      center: baseline.mean,
      out: z < lower ? -1 : z > upper ? 1 : 0,
    };
  });
}

/** Runs of at least `sustain` out-of-control weeks on one side: the latest such run, if any. */
export function sustainedShift(
  points: readonly EwmaPoint[],
  sustain: number = EWMA.sustain,
): { direction: 'dip' | 'strength'; since: string; until: string } | null {
  let found: { direction: 'dip' | 'strength'; since: string; until: string } | null = null;
  let runStart = -1;
  for (let i = 0; i <= points.length; i++) {
    const side = i < points.length ? points[i]!.out : 0;
    const prev = runStart >= 0 ? points[runStart]!.out : 0;
    if (runStart >= 0 && side !== prev) {
      // The raw values must agree too: one huge outlier keeps the EWMA out for weeks, but is not a shift.
      const agreeing = points
        .slice(runStart, i)
        .filter((p) => (prev < 0 ? p.value < p.center : p.value > p.center)).length;
      if (i - runStart >= sustain && agreeing >= sustain)
        found = {
          direction: prev < 0 ? 'dip' : 'strength',
          since: points[runStart]!.week,
          until: points[i - 1]!.week,
        };
      runStart = -1;
    }
    if (runStart < 0 && side !== 0) runStart = i;
  }
  return found;
}

export interface Flag {
  subject: { type: 'person' | 'team'; id: string };
  metric: string;
  direction: 'dip' | 'strength';
  since: string;
  until: string;
  baselineMean: number;
  recentMean: number;
  /**
   * Person flags: whether the rest of their team (the team's series without this person's own
   * contributions, "leave-one-out") moved the same way over overlapping weeks — 'system' — or not —
   * 'individual'. Team flags: 'team'.
   */
  scope: 'individual' | 'system' | 'team';
  /** Where the evidence is: the events behind the flagged weeks. */
  evidence: { metric: string; scope: 'person' | 'team'; id: string; from: string; to: string };
}

export interface SeriesWithBaseline {
  metric: string;
  baseline: Baseline;
  points: EwmaPoint[];
}

const WATCHED = (METRICS as readonly MetricDefinition[]).filter((m) => m.watched);

function weeksBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let w = from; w <= to; w = addWeeks(w, 1)) out.push(w);
  return out;
}

/** Weekly series of the watched metrics for persons or teams, baseline weeks included. */
export async function loadSeries(
  db: Kysely<DB>,
  type: 'person' | 'team',
  ids: readonly string[],
  from: string,
  to: string,
): Promise<Map<string, Map<string, number>>> {
  if (ids.length === 0) return new Map();
  const keys = WATCHED_KEYS;
  const rows =
    type === 'person'
      ? await db
          .selectFrom('signals_person_week')
          .select(['person_id as id', 'week', 'metric', 'value'])
          .where('person_id', 'in', [...ids])
          .where('week', '>=', from)
          .where('week', '<=', to)
          .where('metric', 'in', keys)
          .execute()
      : await db
          .selectFrom('signals_team_week')
          .select(['team_id as id', 'week', 'metric', 'value'])
          .where('team_id', 'in', [...ids])
          .where('week', '>=', from)
          .where('week', '<=', to)
          .where('metric', 'in', keys)
          .execute();
  return seriesMaps(rows);
}

/** The chart of one subject's metric over [from, to] with its baseline from the weeks before. */
export function chartFor(
  values: Map<string, number> | undefined,
  metric: string,
  from: string,
  to: string,
): SeriesWithBaseline {
  const baseWeeks = weeksBetween(addWeeks(from, -EWMA.baselineWeeks), addWeeks(from, -1));
  const weeks = weeksBetween(from, to);
  const baseline = baselineOf(baseWeeks.map((w) => values?.get(w) ?? 0));
  return {
    metric,
    baseline,
    points: ewmaChart(
      weeks,
      weeks.map((w) => values?.get(w) ?? 0),
      baseline,
    ),
  };
}

export async function seriesFor(
  db: Kysely<DB>,
  type: 'person' | 'team',
  id: string,
  from: string,
  to: string,
): Promise<SeriesWithBaseline[]> {
  const data = await loadSeries(db, type, [id], addWeeks(from, -EWMA.baselineWeeks), to);
  return controlCharts(data, id, from, to);
}

/** The numerators of the watched metrics (the keys flags and control charts read). */
export const WATCHED_KEYS = WATCHED.map((m) => m.rollup!.numerator);

/** Folds rollup rows into the weekly series `${id}|${metric}` → week → value. */
export function seriesMaps(
  rows: Iterable<{ id: string; week: string; metric: string; value: number }>,
): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const k = `${r.id}|${r.metric}`;
    let m = out.get(k);
    if (!m) out.set(k, (m = new Map()));
    m.set(String(r.week), Number(r.value));
  }
  return out;
}

/** The control charts of one subject's watched metrics over [from, to], from its series (baseline weeks included). */
export function controlCharts(
  data: ReadonlyMap<string, Map<string, number>>,
  id: string,
  from: string,
  to: string,
): SeriesWithBaseline[] {
  return WATCHED.map((m) => chartFor(data.get(`${id}|${m.rollup!.numerator}`), m.id, from, to));
}

export interface FlagInput {
  from: string;
  to: string;
  /** Teams whose own flags are wanted. */
  teamIds: readonly string[];
  /** People whose flags are wanted, with their current team. */
  persons: readonly { id: string; team_id: string | null }[];
  /** Series (baseline weeks included) keyed `${id}|${metric}`: of the persons, and of the asked and the persons' teams. */
  personData: ReadonlyMap<string, Map<string, number>>;
  teamData: ReadonlyMap<string, Map<string, number>>;
  /** The persons' team at an instant (their dated membership). */
  teamAt: TeamAt;
}

/** Flags from loaded series (no database): what listFlags returns, for callers that hold the data. */
export function computeFlags(input: FlagInput): Flag[] {
  const { from, to, persons, personData, teamData, teamAt } = input;
  const flags: Flag[] = [];
  const make = (
    type: 'person' | 'team',
    id: string,
    metric: string,
    chart: SeriesWithBaseline,
    shift: NonNullable<ReturnType<typeof sustainedShift>>,
    scope: Flag['scope'],
  ): Flag => {
    const recent = chart.points.filter((p) => p.week >= shift.since && p.week <= shift.until);
    return {
      subject: { type, id },
      metric,
      direction: shift.direction,
      since: shift.since,
      until: shift.until,
      baselineMean: chart.baseline.mean,
      recentMean: recent.reduce((a, p) => a + p.value, 0) / Math.max(1, recent.length),
      scope,
      evidence: { metric, scope: type, id, from: shift.since, to: shift.until },
    };
  };
  for (const team of input.teamIds) {
    for (const m of WATCHED) {
      const chart = chartFor(teamData.get(`${team}|${m.rollup!.numerator}`), m.id, from, to);
      const shift = sustainedShift(chart.points);
      if (shift) flags.push(make('team', team, m.id, chart, shift, 'team'));
    }
  }
  for (const p of persons) {
    for (const m of WATCHED) {
      const own = personData.get(`${p.id}|${m.rollup!.numerator}`);
      const chart = chartFor(own, m.id, from, to);
      const shift = sustainedShift(chart.points);
      if (!shift) continue;
      // The rest of the team: so that a person's own dip dragging a small team's series is not
      // mistaken for the team moving.
      const teamShift = p.team_id
        ? sustainedShift(
            chartFor(
              withoutPerson(
                teamData.get(`${p.team_id}|${m.rollup!.numerator}`),
                own,
                (week) => teamAt(p.id, week) === p.team_id,
              ),
              m.id,
              from,
              to,
            ).points,
          )
        : null;
      const overlaps =
        teamShift &&
        teamShift.direction === shift.direction &&
        teamShift.since <= shift.until &&
        teamShift.until >= shift.since;
      flags.push(make('person', p.id, m.id, chart, shift, overlaps ? 'system' : 'individual'));
    }
  }
  return flags;
}

/**
 * The extension point the coaching engine consumes: dips and strengths of the given persons and
 * teams over the weeks [from, to] (Mondays, UTC). Person flags say whether the rest of their team
 * moved too.
 */
export async function listFlags(
  db: Kysely<DB>,
  options: { personIds?: readonly string[]; teamIds?: readonly string[]; from: string; to: string },
): Promise<Flag[]> {
  const { from, to } = options;
  const personIds = options.personIds ?? [];
  const start = addWeeks(from, -EWMA.baselineWeeks);
  // People, their series and the asked teams' series at once; then any other team of theirs.
  const [persons, personData, askedTeamData, memberships] = await Promise.all([
    personIds.length > 0
      ? db
          .selectFrom('person')
          .select(['id', 'team_id'])
          .where('id', 'in', [...personIds])
          .execute()
      : Promise.resolve([]),
    loadSeries(db, 'person', personIds, start, to),
    loadSeries(db, 'team', options.teamIds ?? [], start, to),
    personIds.length > 0
      ? loadMemberships(db, personIds)
      : Promise.resolve({ teamAt: (() => null) as TeamAt }),
  ]);
  const asked = new Set(options.teamIds ?? []);
  const others = [
    ...new Set(persons.flatMap((p) => (p.team_id && !asked.has(p.team_id) ? [p.team_id] : []))),
  ];
  const teamData = new Map([...askedTeamData, ...(await loadSeries(db, 'team', others, start, to))]);
  return computeFlags({
    from,
    to,
    teamIds: options.teamIds ?? [],
    persons,
    personData,
    teamData,
    teamAt: memberships.teamAt,
  });
}

/**
 * A team's weekly series without one member's values, in the weeks that member was in the team (at
 * the start of the week; their contributions count for the team they were in when they happened).
 */
export function withoutPerson(
  team: ReadonlyMap<string, number> | undefined,
  person: ReadonlyMap<string, number> | undefined,
  inTeam: (week: string) => boolean,
): Map<string, number> {
  const rest = new Map(team ?? []);
  for (const [week, v] of person ?? []) {
    const t = rest.get(week);
    if (t !== undefined && inTeam(week)) rest.set(week, Math.max(0, t - v));
  }
  return rest;
}
