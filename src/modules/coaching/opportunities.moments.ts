import { findWorkMoments, type WorkMoment, type WorkMomentKind } from '../ingest/ingest.moments.js';
import type { OpportunityFrameworkType, OpportunityPriorityType } from './opportunities.schema.js';
import {
  addDays,
  type OpportunityCandidate,
  type OpportunitySource,
  type ReportLine,
  type ScanContext,
} from './opportunities.sources.js';

/**
 * Moments in the workflow, raised by the same engine: a sprint starting (a quick exchange on what each
 * person wants to stretch on) or closing (a quick look back), an epic kickoff (set development goals)
 * and an epic debrief (connect the outcome to coaching). Each goes to the managers of the people who
 * worked in the project during the four weeks before, about their team. Looks back MOMENT_DAYS days.
 */
export const MOMENT_DAYS = 7;

const SPEC: Record<
  WorkMomentKind,
  {
    framework: OpportunityFrameworkType;
    priority: OpportunityPriorityType;
    title: (m: WorkMoment, team: string) => string;
  }
> = {
  sprint_start: {
    framework: 'GROW',
    priority: 'low',
    title: (m, team) => `${m.name} started: a quick development check with ${team}`,
  },
  sprint_close: {
    framework: 'SBI',
    priority: 'low',
    title: (m, team) => `${m.name} closed: a quick look back with ${team}`,
  },
  epic_kickoff: {
    framework: 'career',
    priority: 'medium',
    title: (m, team) => `Kickoff of "${m.name}": set development goals with ${team}`,
  },
  epic_debrief: {
    framework: 'strengths',
    priority: 'medium',
    title: (m, team) => `"${m.name}" is done: debrief with ${team} and connect it to coaching`,
  },
};

function mostCommonTeam(reports: ReportLine[]): string | null {
  const counts = new Map<string, number>();
  for (const r of reports) if (r.teamId) counts.set(r.teamId, (counts.get(r.teamId) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
}

/** Workflow moments of the last week, for the managers of the people involved. */
export async function collectWorkMoments(ctx: ScanContext): Promise<OpportunityCandidate[]> {
  const moments = await findWorkMoments(ctx.db, addDays(ctx.asOf, -(MOMENT_DAYS - 1)), ctx.asOf);
  const reportOf = new Map(ctx.reports.map((r) => [r.personId, r]));
  const out: OpportunityCandidate[] = [];
  for (const m of moments) {
    const byManager = new Map<string, ReportLine[]>();
    for (const id of m.participantIds) {
      const r = reportOf.get(id);
      if (r) byManager.set(r.managerId, [...(byManager.get(r.managerId) ?? []), r]);
    }
    for (const [managerId, reports] of byManager) {
      const teamId = mostCommonTeam(reports);
      if (!teamId) continue;
      const team = ctx.teamNames.get(teamId) ?? 'the team';
      const spec = SPEC[m.kind];
      const names = reports.map((r) => r.name);
      out.push({
        recipientPersonId: managerId,
        subject: { type: 'team', id: teamId },
        trigger: m.kind,
        polarity: 'growth',
        priority: spec.priority,
        framework: spec.framework,
        title: spec.title(m, team),
        reason: `${m.name}${m.project ? ` (${m.project})` : ''} ${m.kind.endsWith('start') || m.kind.endsWith('kickoff') ? 'started' : 'finished'} on ${m.on}; ${reports.length} of your reports worked on it.`,
        period: `${m.kind}:${m.sourceId}`,
        evidence: {
          summary: `${names.slice(0, 5).join(', ')}${names.length > 5 ? ` and ${names.length - 5} more` : ''} worked in ${m.project ?? 'the project'} in the four weeks before.`,
          items: [
            {
              kind: 'work_item',
              label: `${m.name}${m.goal && m.goal !== m.name ? ` — ${m.goal}` : ''}`,
              metric: null,
              value: null,
              baseline: null,
              unit: null,
              from: m.on,
              to: m.on,
              link: `/dashboard/teams/${teamId}`,
              explainLink: null,
              sourceIds: [m.sourceId],
            },
          ],
        },
        facts: { team, name: m.name, project: m.project, goal: m.goal, people: reports.length },
      });
    }
  }
  return out;
}

export const momentSources: OpportunitySource[] = [
  {
    id: 'work.moments',
    description: 'Sprint start and close, epic kickoff and debrief (work events)',
    collect: collectWorkMoments,
  },
];
