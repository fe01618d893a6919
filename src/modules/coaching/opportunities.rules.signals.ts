import { listFlags, type Flag } from '../signals/signals.flags.js';
import { addWeeks, metricById, weekOf } from '../signals/signals.metrics.js';
import type { EvidenceItemType } from './opportunities.schema.js';
import {
  addDays,
  memo,
  type OpportunityCandidate,
  type OpportunitySource,
  type ReportLine,
  type ScanContext,
} from './opportunities.sources.js';

/**
 * Opportunities from signal flags (modules/signals: EWMA dips and strengths against each person's own
 * baseline). Thresholds on top of the flag, so that small series do not raise moments:
 * - individual dip: a dip flag of the person only (the team did not move) that is still current (ended
 *   in the last two weeks), on a baseline of at least MIN_BASELINE a week, down at least DIP_DROP;
 * - team-wide dip: the team's own series dipped (its members' individual dips are then NOT raised:
 *   the flag's scope is 'system') — addressed to the manager about the team, as a system barrier;
 * - sustained strength: a strength flag running for STRENGTH_WEEKS weeks or more, still current;
 * - signal change: a strength that has just appeared (shorter run): a quick, asynchronous note.
 */
export const SIGNAL_RULES = {
  /** Weeks of flags looked at, ending with the last complete week. */
  windowWeeks: 8,
  minBaseline: 1,
  dipDrop: 0.3,
  teamDipDrop: 0.2,
  strengthWeeks: 3,
} as const;

interface FlagWindow {
  from: string;
  to: string;
  flags: Flag[];
}

/** The flags of every current report and their teams over the window, loaded once per scan. */
export function loadFlags(ctx: ScanContext): Promise<FlagWindow> {
  return memo(ctx, 'signals.flags', async () => {
    const to = addWeeks(weekOf(`${ctx.asOf}T00:00:00Z`), -1);
    const from = addWeeks(to, -(SIGNAL_RULES.windowWeeks - 1));
    const personIds = ctx.reports.map((r) => r.personId);
    const teamIds = [...new Set(ctx.reports.flatMap((r) => (r.teamId ? [r.teamId] : [])))];
    const flags = personIds.length ? await listFlags(ctx.db, { personIds, teamIds, from, to }) : [];
    return { from, to, flags };
  });
}

const fmt = (n: number) => (Math.abs(n) >= 10 ? n.toFixed(0) : n.toFixed(1));

function runWeeks(f: Flag): number {
  return Math.round((Date.parse(f.until) - Date.parse(f.since)) / (7 * 86_400_000)) + 1;
}

/** Evidence line for one flag: value vs baseline, the dashboard page and "why this number?". */
export function flagEvidence(f: Flag): EvidenceItemType {
  const m = metricById(f.metric);
  const label = m?.label ?? f.metric;
  const to = addDays(f.until, 6);
  const scope = f.subject.type;
  const q = new URLSearchParams({ metric: f.metric, scope, id: f.subject.id, from: f.since, to });
  return {
    kind: 'signal',
    label: `${label}: ${fmt(f.recentMean)} a week since ${f.since}, against a baseline of ${fmt(f.baselineMean)}`,
    metric: f.metric,
    value: Math.round(f.recentMean * 100) / 100,
    baseline: Math.round(f.baselineMean * 100) / 100,
    unit: m?.unit ?? null,
    from: f.since,
    to,
    link: scope === 'person' ? `/dashboard/people/${f.subject.id}` : `/dashboard/teams/${f.subject.id}`,
    explainLink: `/api/v1/signals/evidence?${q.toString()}`,
    sourceIds: [`flag:${scope}:${f.subject.id}:${f.metric}:${f.since}`],
  };
}

function change(f: Flag): number {
  return f.baselineMean > 0 ? (f.recentMean - f.baselineMean) / f.baselineMean : 0;
}

const isCurrent = (f: Flag, w: FlagWindow) => f.until >= addWeeks(w.to, -1);

function byPerson(flags: Flag[]): Map<string, Flag[]> {
  const out = new Map<string, Flag[]>();
  for (const f of flags) {
    const list = out.get(f.subject.id) ?? [];
    list.push(f);
    out.set(f.subject.id, list);
  }
  return out;
}

function metricNames(flags: Flag[]): string {
  return flags.map((f) => (metricById(f.metric)?.label ?? f.metric).toLowerCase()).join(', ');
}

/** Individual dips, strengths and new strengths of each manager's reports. */
export async function collectPersonSignalOpportunities(ctx: ScanContext): Promise<OpportunityCandidate[]> {
  const w = await loadFlags(ctx);
  const out: OpportunityCandidate[] = [];
  const personFlags = byPerson(w.flags.filter((f) => f.subject.type === 'person' && isCurrent(f, w)));
  for (const r of ctx.reports) {
    const flags = personFlags.get(r.personId) ?? [];
    const dips = flags.filter(
      (f) =>
        f.direction === 'dip' &&
        f.scope === 'individual' &&
        f.baselineMean >= SIGNAL_RULES.minBaseline &&
        -change(f) >= SIGNAL_RULES.dipDrop,
    );
    if (dips.length) out.push(dipCandidate(r, dips));
    const strengths = flags.filter(
      (f) =>
        f.direction === 'strength' && f.scope === 'individual' && f.baselineMean >= SIGNAL_RULES.minBaseline,
    );
    const sustained = strengths.filter((f) => runWeeks(f) >= SIGNAL_RULES.strengthWeeks);
    const fresh = strengths.filter((f) => runWeeks(f) < SIGNAL_RULES.strengthWeeks);
    if (sustained.length) out.push(strengthCandidate(r, sustained));
    else if (fresh.length) out.push(signalChangeCandidate(r, fresh));
  }
  return out;
}

function earliest(flags: Flag[]): string {
  return flags.map((f) => f.since).sort()[0]!;
}

function dipCandidate(r: ReportLine, dips: Flag[]): OpportunityCandidate {
  const worst = [...dips].sort((a, b) => change(a) - change(b))[0]!;
  const drop = Math.round(-change(worst) * 100);
  const since = earliest(dips);
  return {
    recipientPersonId: r.managerId,
    subject: { type: 'person', id: r.personId },
    trigger: 'individual_dip',
    polarity: 'corrective',
    priority: dips.length >= 2 || drop >= 50 ? 'high' : 'medium',
    framework: 'SBI',
    title: `Check in with ${r.name}: ${metricNames(dips)} below their own baseline`,
    reason: `${metricById(worst.metric)?.label ?? worst.metric} is ${drop}% below ${r.name}'s own baseline since ${since}; the team did not move the same way.`,
    period: since,
    evidence: {
      summary: `${dips.length} signal${dips.length > 1 ? 's' : ''} below ${r.name}'s own 12-week baseline (EWMA, sustained for two weeks or more); the team's series did not dip.`,
      items: dips.map(flagEvidence),
    },
    facts: {
      name: r.name,
      metric: (metricById(worst.metric)?.label ?? worst.metric).toLowerCase(),
      metrics: metricNames(dips),
      change: `${drop}%`,
      since,
    },
  };
}

function strengthCandidate(r: ReportLine, flags: Flag[]): OpportunityCandidate {
  const best = [...flags].sort((a, b) => change(b) - change(a))[0]!;
  const since = earliest(flags);
  const rise = Math.round(change(best) * 100);
  return {
    recipientPersonId: r.managerId,
    subject: { type: 'person', id: r.personId },
    trigger: 'sustained_strength',
    polarity: 'growth',
    priority: 'medium',
    framework: 'strengths',
    title: `Build on ${r.name}'s strength: ${metricNames(flags)}`,
    reason: `${metricById(best.metric)?.label ?? best.metric} has been ${rise}% above ${r.name}'s own baseline for ${runWeeks(best)} weeks.`,
    period: since,
    evidence: {
      summary: `Sustained above ${r.name}'s own baseline for ${SIGNAL_RULES.strengthWeeks} weeks or more.`,
      items: flags.map(flagEvidence),
    },
    facts: {
      name: r.name,
      metric: (metricById(best.metric)?.label ?? best.metric).toLowerCase(),
      metrics: metricNames(flags),
      change: `${rise}%`,
      since,
    },
  };
}

function signalChangeCandidate(r: ReportLine, flags: Flag[]): OpportunityCandidate {
  const f = flags[0]!;
  const label = metricById(f.metric)?.label ?? f.metric;
  return {
    recipientPersonId: r.managerId,
    subject: { type: 'person', id: r.personId },
    trigger: 'signal_change',
    polarity: 'growth',
    priority: 'low',
    framework: 'SBI',
    title: `A quick note to ${r.name}: ${label.toLowerCase()} is up`,
    reason: `A new signal: ${label.toLowerCase()} rose above ${r.name}'s own baseline in the last two weeks.`,
    period: `${f.metric}:${f.since}`,
    evidence: { summary: 'A new strength flag on the dashboard.', items: flags.map(flagEvidence) },
    facts: { name: r.name, metric: label.toLowerCase(), metrics: metricNames(flags), since: f.since },
  };
}

/** Team-wide dips, to each manager with reports in that team: remove a barrier rather than coach a person. */
export async function collectTeamDipOpportunities(ctx: ScanContext): Promise<OpportunityCandidate[]> {
  const w = await loadFlags(ctx);
  const teamDips = new Map<string, Flag[]>();
  for (const f of w.flags) {
    if (f.subject.type !== 'team' || f.direction !== 'dip' || !isCurrent(f, w)) continue;
    if (f.baselineMean < SIGNAL_RULES.minBaseline || -change(f) < SIGNAL_RULES.teamDipDrop) continue;
    teamDips.set(f.subject.id, [...(teamDips.get(f.subject.id) ?? []), f]);
  }
  // A team's dip on a metric that one member's own dip explains (the rest of the team did not move:
  // scope `individual`, leave-one-out) is that person's story, raised as their individual dip — not a
  // barrier for the whole team.
  const teamOf = new Map(ctx.reports.map((r) => [r.personId, r.teamId]));
  const explained = new Set(
    w.flags
      .filter((f) => f.subject.type === 'person' && f.direction === 'dip' && f.scope === 'individual')
      .filter((f) => isCurrent(f, w))
      .map((f) => `${teamOf.get(f.subject.id)}:${f.metric}`),
  );
  for (const [teamId, flags] of teamDips) {
    const unexplained = flags.filter((f) => !explained.has(`${teamId}:${f.metric}`));
    if (unexplained.length) teamDips.set(teamId, unexplained);
    else teamDips.delete(teamId);
  }
  const out: OpportunityCandidate[] = [];
  for (const [managerId, reports] of ctx.reportsByManager) {
    const teams = new Set(reports.flatMap((r) => (r.teamId ? [r.teamId] : [])));
    for (const teamId of teams) {
      const dips = teamDips.get(teamId);
      if (!dips) continue;
      const team = ctx.teamNames.get(teamId) ?? 'the team';
      const affected = w.flags.filter(
        (f) =>
          f.subject.type === 'person' &&
          f.scope === 'system' &&
          f.direction === 'dip' &&
          reports.some((r) => r.personId === f.subject.id),
      );
      const since = earliest(dips);
      const worst = [...dips].sort((a, b) => change(a) - change(b))[0]!;
      out.push({
        recipientPersonId: managerId,
        subject: { type: 'team', id: teamId },
        trigger: 'team_dip',
        polarity: 'system',
        priority: 'high',
        framework: 'GROW',
        title: `${team}: ${metricNames(dips)} dipped across the team — look for a barrier`,
        reason: `${metricById(worst.metric)?.label ?? worst.metric} is ${Math.round(-change(worst) * 100)}% below ${team}'s baseline since ${since}: the whole team moved, so it is likely the system, not a person.`,
        period: since,
        evidence: {
          summary: `The team's own series dipped; ${new Set(affected.map((f) => f.subject.id)).size} of your reports dipped with it (their individual dips are not raised).`,
          items: dips.map(flagEvidence),
        },
        facts: {
          team,
          metric: (metricById(worst.metric)?.label ?? worst.metric).toLowerCase(),
          metrics: metricNames(dips),
          change: `${Math.round(-change(worst) * 100)}%`,
          since,
        },
      });
    }
  }
  return out;
}

export const signalSources: OpportunitySource[] = [
  {
    id: 'signals.person',
    description: 'Individual dips, sustained strengths and new strengths against a person’s own baseline',
    collect: collectPersonSignalOpportunities,
  },
  {
    id: 'signals.team',
    description: 'Team-wide dips: a system barrier, addressed to the manager',
    collect: collectTeamDipOpportunities,
  },
];
