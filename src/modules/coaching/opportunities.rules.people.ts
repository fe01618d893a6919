import {
  findOneOnOneConsistency,
  findPairConversationDates,
  findPairFollowUps,
} from '../conversations/conversations.last.js';
import { findStalledGoals } from '../goals/goals.checkins.js';
import { findPeopleWithActiveGoals } from '../goals/goals.owners.js';
import {
  addDays,
  daysBetween,
  type OpportunityCandidate,
  type OpportunitySource,
  type ReportLine,
  type ScanContext,
} from './opportunities.sources.js';

/**
 * Opportunities about the relationship and the person's path, not their numbers:
 * - conversation gap: no 1:1 with a report for GAP_DAYS (counted from the last one, or from the day
 *   the reporting line started) and none planned in the next two weeks;
 * - missed 1:1s: MISSED_MIN or more 1:1s with a report cancelled in the last 8 weeks (when the gap
 *   rule is silent) — the cadence is slipping before a gap shows;
 * - ramp-up: a new hire's 30/60/90-day milestones, raised during the two weeks after each;
 * - development goal: a report with no active personal goal this quarter, once past ramp-up (90 days):
 *   set one together (growth, career framework);
 * - stalled goal: the goals module's `findStalledGoals` for goals a report owns;
 * - overdue follow-ups: OVERDUE_MIN or more of a report's 1:1 follow-ups overdue by a week or more, or
 *   one overdue by three weeks or more;
 * - career conversation due: no 1:1 touching career (topic 'retention_career') for CAREER_DAYS,
 *   once the reporting line is that old — so high performers get growth talks too;
 * - follow-through: FOLLOW_THROUGH_MIN or more 1:1 follow-ups done on time in the last 30 days while
 *   the overdue rule is silent for them: recognise it, specifically (SBI, positive);
 * - coaching consistency: a report who manages people and held at least 90% (and 8 or more) of their
 *   1:1s over the last 8 weeks — coach the coaches, strengths-based; below 90% with three or more
 *   cancelled, the same conversation from the other side (their team's 1:1s are slipping).
 */
export const PEOPLE_RULES = {
  gapDays: 30,
  missedMin: 2,
  missedWindowDays: 56,
  longGapDays: 60,
  retentionGapDays: 90,
  plannedWithinDays: 14,
  rampMilestones: [30, 60, 90],
  rampWindowDays: 14,
  overdueMin: 2,
  overdueGraceDays: 7,
  careerDays: 120,
  consistencyWeeks: 8,
  consistencyMin: 0.9,
  consistencyMinHeld: 8,
  slippingMinCancelled: 3,
  followThroughMin: 3,
  followThroughDays: 30,
  longOverdueDays: 14,
} as const;

/** Long gaps since the last 1:1 with each report. */
export async function collectConversationGaps(ctx: ScanContext): Promise<OpportunityCandidate[]> {
  const dates = await findPairConversationDates(
    ctx.db,
    ctx.reports.map((r) => ({ managerId: r.managerId, reportId: r.personId })),
    ctx.asOf,
  );
  const out: OpportunityCandidate[] = [];
  for (const [i, r] of ctx.reports.entries()) {
    const d = dates[i]!;
    const from = d.lastHeld && d.lastHeld > r.lineFrom ? d.lastHeld : r.lineFrom;
    const gap = daysBetween(from, ctx.asOf);
    const planned =
      d.nextScheduled && daysBetween(ctx.asOf, d.nextScheduled) <= PEOPLE_RULES.plannedWithinDays;
    if (gap < PEOPLE_RULES.gapDays || planned) {
      if (d.recentCancelled >= PEOPLE_RULES.missedMin)
        out.push(missedCandidate(ctx, r, d.recentCancelled, d.recentPlanned));
      continue;
    }
    const never = !d.lastHeld || d.lastHeld < r.lineFrom;
    out.push({
      recipientPersonId: r.managerId,
      subject: { type: 'person', id: r.personId },
      trigger: 'conversation_gap',
      polarity: 'corrective',
      priority: gap >= PEOPLE_RULES.longGapDays ? 'high' : 'medium',
      framework: gap >= PEOPLE_RULES.retentionGapDays ? 'retention' : 'GROW',
      title: never
        ? `No 1:1 with ${r.name} yet in ${gap} days as their manager`
        : `${gap} days since your last 1:1 with ${r.name}`,
      reason: never
        ? `You have managed ${r.name} since ${r.lineFrom} and have not held a 1:1; none is planned in the next ${PEOPLE_RULES.plannedWithinDays} days.`
        : `Your last 1:1 with ${r.name} was on ${d.lastHeld}; none is planned in the next ${PEOPLE_RULES.plannedWithinDays} days.`,
      period: never ? `line:${r.lineFrom}` : `after:${d.lastHeld}`,
      evidence: {
        summary: `Threshold: ${PEOPLE_RULES.gapDays} days without a 1:1 (high priority from ${PEOPLE_RULES.longGapDays}).`,
        items: [
          {
            kind: 'conversation',
            label: never ? `Reporting line since ${r.lineFrom}; no 1:1 since` : `Last 1:1 on ${d.lastHeld}`,
            metric: null,
            value: gap,
            baseline: PEOPLE_RULES.gapDays,
            unit: 'days',
            from,
            to: ctx.asOf,
            link: `/conversations?with=${r.personId}`,
            explainLink: null,
            sourceIds: [],
          },
        ],
      },
      facts: { name: r.name, days: gap, last: d.lastHeld },
    });
  }
  return out;
}

function missedCandidate(
  ctx: ScanContext,
  r: ReportLine,
  cancelled: number,
  planned: number,
): OpportunityCandidate {
  const from = addDays(ctx.asOf, -PEOPLE_RULES.missedWindowDays);
  return {
    recipientPersonId: r.managerId,
    subject: { type: 'person', id: r.personId },
    trigger: 'missed_one_on_ones',
    polarity: 'corrective',
    priority: cancelled >= 3 ? 'high' : 'medium',
    framework: 'GROW',
    title: `${cancelled} of your last ${planned} 1:1s with ${r.name} were cancelled`,
    reason: `${cancelled} of ${planned} 1:1s with ${r.name} planned since ${from} did not happen: the cadence is slipping.`,
    period: ctx.asOf.slice(0, 7),
    evidence: {
      summary: `1:1s cancelled in the last ${PEOPLE_RULES.missedWindowDays / 7} weeks (threshold: ${PEOPLE_RULES.missedMin}); dates and statuses only.`,
      items: [
        {
          kind: 'conversation',
          label: `${cancelled} cancelled of ${planned} planned`,
          metric: null,
          value: cancelled,
          baseline: PEOPLE_RULES.missedMin,
          unit: '1:1s',
          from,
          to: ctx.asOf,
          link: `/conversations?with=${r.personId}`,
          explainLink: null,
          sourceIds: [],
        },
      ],
    },
    facts: { name: r.name, count: cancelled, planned },
  };
}

/** 30/60/90-day milestones of new hires. */
export async function collectRampUps(ctx: ScanContext): Promise<OpportunityCandidate[]> {
  const out: OpportunityCandidate[] = [];
  for (const r of ctx.reports) {
    if (!r.hireDate || r.hireDate > ctx.asOf) continue;
    const days = daysBetween(r.hireDate, ctx.asOf);
    const milestone = PEOPLE_RULES.rampMilestones.find(
      (m) => days >= m && days < m + PEOPLE_RULES.rampWindowDays,
    );
    if (milestone === undefined) continue;
    const last = milestone === PEOPLE_RULES.rampMilestones.at(-1);
    out.push({
      recipientPersonId: r.managerId,
      subject: { type: 'person', id: r.personId },
      trigger: 'ramp_up',
      polarity: 'growth',
      priority: milestone === 30 ? 'high' : 'medium',
      framework: last ? 'career' : 'GROW',
      title: `${r.name}'s ${milestone}-day check-in`,
      reason: `${r.name} joined on ${r.hireDate}: day ${milestone} of ramp-up was ${addDays(r.hireDate, milestone)}.`,
      period: `day-${milestone}`,
      evidence: {
        summary: `Ramp-up milestones at ${PEOPLE_RULES.rampMilestones.join('/')} days after the hire date.`,
        items: [
          {
            kind: 'hire',
            label: `Hired on ${r.hireDate} (${days} days ago)`,
            metric: null,
            value: days,
            baseline: milestone,
            unit: 'days',
            from: r.hireDate,
            to: ctx.asOf,
            link: `/people/${r.personId}`,
            explainLink: null,
            sourceIds: [r.personId],
          },
        ],
      },
      facts: { name: r.name, milestone, hireDate: r.hireDate },
    });
  }
  return out;
}

/** Reports without an active personal goal: a development-goal conversation. */
export async function collectMissingGoals(ctx: ScanContext): Promise<OpportunityCandidate[]> {
  const settled = ctx.reports.filter((r) => !r.hireDate || daysBetween(r.hireDate, ctx.asOf) >= 90);
  const withGoals = await findPeopleWithActiveGoals(
    ctx.db,
    settled.map((r) => r.personId),
    ctx.asOf,
  );
  const quarter = `${ctx.asOf.slice(0, 4)}-Q${Math.ceil(Number(ctx.asOf.slice(5, 7)) / 3)}`;
  return settled
    .filter((r) => !withGoals.has(r.personId))
    .map((r) => ({
      recipientPersonId: r.managerId,
      subject: { type: 'person' as const, id: r.personId },
      trigger: 'development_goal',
      polarity: 'growth' as const,
      priority: 'low' as const,
      framework: 'career' as const,
      title: `Set a development goal with ${r.name} for ${quarter}`,
      reason: `${r.name} has no active personal goal for ${quarter}.`,
      period: quarter,
      evidence: {
        summary: 'Active personal goals whose period includes today (goals module).',
        items: [
          {
            kind: 'goal' as const,
            label: `No active personal goal in ${quarter}`,
            metric: null,
            value: 0,
            baseline: 1,
            unit: 'goals',
            from: null,
            to: ctx.asOf,
            link: `/goals/new?owner=${r.personId}`,
            explainLink: null,
            sourceIds: [],
          },
        ],
      },
      facts: { name: r.name, quarter },
    }));
}

/**
 * Stalled goals (from the goals module's `findStalledGoals`): a report's personal goals go to their
 * manager about the person; a team goal goes to each manager with reports in that team, about the
 * team — the plan or the circumstances may need to change, not one person.
 */
export async function collectStalledGoals(ctx: ScanContext): Promise<OpportunityCandidate[]> {
  const byPerson = new Map(ctx.reports.map((r) => [r.personId, r]));
  const managersOfTeam = new Map<string, Set<string>>();
  for (const r of ctx.reports)
    if (r.teamId) managersOfTeam.set(r.teamId, (managersOfTeam.get(r.teamId) ?? new Set()).add(r.managerId));
  type Stalled = Awaited<ReturnType<typeof findStalledGoals>>[number];
  const groups = new Map<
    string,
    { recipient: string; subject: { type: 'person' | 'team'; id: string }; name: string; goals: Stalled[] }
  >();
  const add = (
    recipient: string,
    subject: { type: 'person' | 'team'; id: string },
    name: string,
    s: Stalled,
  ) => {
    const key = `${recipient}:${subject.type}:${subject.id}`;
    const group = groups.get(key) ?? { recipient, subject, name, goals: [] };
    group.goals.push(s);
    groups.set(key, group);
  };
  for (const s of await findStalledGoals(ctx.db, ctx.asOf)) {
    const owner = s.goal.owner_person_id ? byPerson.get(s.goal.owner_person_id) : undefined;
    if (owner) add(owner.managerId, { type: 'person', id: owner.personId }, owner.name, s);
    const teamId = s.goal.owner_team_id;
    if (!teamId) continue;
    // The team's own leads when they are members of it, else every manager with reports in it.
    const managers = [...(managersOfTeam.get(teamId) ?? [])];
    const leads = managers.filter((m) => byPerson.get(m)?.teamId === teamId);
    for (const managerId of leads.length ? leads : managers)
      add(managerId, { type: 'team', id: teamId }, ctx.teamNames.get(teamId) ?? 'the team', s);
  }
  const out: OpportunityCandidate[] = [];
  for (const { recipient, subject, name, goals } of groups.values()) {
    const first = goals[0]!;
    out.push({
      recipientPersonId: recipient,
      subject,
      trigger: 'stalled_goal',
      polarity: 'corrective',
      priority: goals.length > 1 ? 'high' : 'medium',
      framework: 'GROW',
      title:
        goals.length > 1
          ? `${goals.length} of ${name}'s goals have stalled`
          : `${name}'s goal "${first.goal.title}" has stalled`,
      reason: `${first.goal.title}: ${first.stall.detail}`,
      period: ctx.asOf.slice(0, 7),
      evidence: {
        summary: 'Stalled by the goals module: no progress over two check-in periods, or falling confidence.',
        items: goals.map((g) => ({
          kind: 'goal' as const,
          label: `${g.goal.title}: ${g.stall.detail}`,
          metric: null,
          value: g.goal.current_value,
          baseline: null,
          unit: null,
          from: g.goal.period_start,
          to: g.goal.period_end,
          link: `/goals/${g.goal.id}`,
          explainLink: `/api/v1/goals/${g.goal.id}/history`,
          sourceIds: [g.goal.id],
        })),
      },
      facts: { name, goal: first.goal.title, detail: first.stall.detail, count: goals.length },
    });
  }
  return out;
}

/** Overdue follow-ups and career conversations that are due, per report. */
export async function collectFollowUpsAndCareer(ctx: ScanContext): Promise<OpportunityCandidate[]> {
  const pairs = ctx.reports.map((r) => ({ managerId: r.managerId, reportId: r.personId }));
  const facts = await findPairFollowUps(
    ctx.db,
    pairs,
    ctx.asOf,
    addDays(ctx.asOf, -PEOPLE_RULES.overdueGraceDays),
    addDays(ctx.asOf, -PEOPLE_RULES.followThroughDays),
  );
  const out: OpportunityCandidate[] = [];
  for (const [i, r] of ctx.reports.entries()) {
    const f = facts[i]!;
    const oldest = f.overdue[0]?.dueDate;
    const overdueFires =
      oldest !== undefined &&
      (f.overdue.length >= PEOPLE_RULES.overdueMin ||
        daysBetween(oldest, ctx.asOf) >= PEOPLE_RULES.longOverdueDays);
    if (oldest && overdueFires) {
      out.push({
        recipientPersonId: r.managerId,
        subject: { type: 'person', id: r.personId },
        trigger: 'overdue_followups',
        polarity: 'corrective',
        priority: f.overdue.length >= 4 ? 'high' : 'medium',
        framework: 'GROW',
        title:
          f.overdue.length > 1
            ? `${f.overdue.length} of ${r.name}'s 1:1 follow-ups are overdue`
            : `A follow-up from your 1:1s with ${r.name} is ${daysBetween(oldest, ctx.asOf)} days overdue`,
        reason: `${f.overdue.length} follow-ups ${r.name} took on in your 1:1s are past due (the oldest since ${oldest}).`,
        period: ctx.asOf.slice(0, 7),
        evidence: {
          summary: `Follow-ups owned by ${r.name}, overdue by ${PEOPLE_RULES.overdueGraceDays} days or more (threshold: ${PEOPLE_RULES.overdueMin}, or one overdue by ${PEOPLE_RULES.longOverdueDays} days).`,
          items: f.overdue.slice(0, 10).map((o) => ({
            kind: 'conversation' as const,
            label: `Follow-up due ${o.dueDate}, not done`,
            metric: null,
            value: null,
            baseline: null,
            unit: null,
            from: o.dueDate,
            to: ctx.asOf,
            link: `/conversations/${o.conversationId}`,
            explainLink: null,
            sourceIds: [o.actionId],
          })),
        },
        facts: { name: r.name, count: f.overdue.length, since: oldest },
      });
    }
    if (!overdueFires && f.doneOnTime >= PEOPLE_RULES.followThroughMin) {
      out.push({
        recipientPersonId: r.managerId,
        subject: { type: 'person', id: r.personId },
        trigger: 'follow_through',
        polarity: 'growth',
        priority: 'low',
        framework: 'SBI',
        title: `Recognise ${r.name}'s follow-through`,
        reason: `${r.name} finished ${f.doneOnTime} follow-ups from your 1:1s on time in the last ${PEOPLE_RULES.followThroughDays} days, with nothing seriously overdue.`,
        period: ctx.asOf.slice(0, 7),
        evidence: {
          summary: `Follow-ups owned by ${r.name}, done on or before their due day (threshold: ${PEOPLE_RULES.followThroughMin} in ${PEOPLE_RULES.followThroughDays} days, overdue rule silent).`,
          items: [
            {
              kind: 'conversation',
              label: `${f.doneOnTime} follow-ups done on time`,
              metric: null,
              value: f.doneOnTime,
              baseline: PEOPLE_RULES.followThroughMin,
              unit: 'follow-ups',
              from: addDays(ctx.asOf, -PEOPLE_RULES.followThroughDays),
              to: ctx.asOf,
              link: `/conversations?with=${r.personId}`,
              explainLink: null,
              sourceIds: [],
            },
          ],
        },
        facts: { name: r.name, count: f.doneOnTime },
      });
    }
    const known = daysBetween(r.lineFrom, ctx.asOf);
    const sinceCareer = f.lastCareerTalk ? daysBetween(f.lastCareerTalk, ctx.asOf) : known;
    if (known >= PEOPLE_RULES.careerDays && sinceCareer >= PEOPLE_RULES.careerDays) {
      const half = `${ctx.asOf.slice(0, 4)}-H${Number(ctx.asOf.slice(5, 7)) <= 6 ? 1 : 2}`;
      out.push({
        recipientPersonId: r.managerId,
        subject: { type: 'person', id: r.personId },
        trigger: 'career_conversation',
        polarity: 'growth',
        priority: 'low',
        framework: 'career',
        title: `Time for a career conversation with ${r.name}`,
        reason: f.lastCareerTalk
          ? `Your last 1:1 with ${r.name} that touched career was on ${f.lastCareerTalk}, ${sinceCareer} days ago.`
          : `None of your 1:1s with ${r.name} since ${r.lineFrom} touched career.`,
        period: half,
        evidence: {
          summary: `Career topics at least every ${PEOPLE_RULES.careerDays} days (topic tags of your 1:1s; their content is not read).`,
          items: [
            {
              kind: 'conversation',
              label: f.lastCareerTalk
                ? `Last career talk on ${f.lastCareerTalk}`
                : `No career talk since ${r.lineFrom}`,
              metric: null,
              value: sinceCareer,
              baseline: PEOPLE_RULES.careerDays,
              unit: 'days',
              from: f.lastCareerTalk ?? r.lineFrom,
              to: ctx.asOf,
              link: `/conversations?with=${r.personId}`,
              explainLink: null,
              sourceIds: [],
            },
          ],
        },
        facts: { name: r.name, days: sinceCareer, last: f.lastCareerTalk },
      });
    }
  }
  return out;
}

function slippingCandidate(
  ctx: ScanContext,
  r: ReportLine,
  c: { held: number; cancelled: number },
  pct: number,
  from: string,
): OpportunityCandidate {
  return {
    recipientPersonId: r.managerId,
    subject: { type: 'person', id: r.personId },
    trigger: 'team_one_on_ones_slipping',
    polarity: 'corrective',
    priority: 'medium',
    framework: 'GROW',
    title: `${r.name}'s 1:1s with their team are slipping`,
    reason: `${r.name} held ${c.held} of ${c.held + c.cancelled} planned 1:1s with their team in the last ${PEOPLE_RULES.consistencyWeeks} weeks (${pct}%; ${c.cancelled} cancelled).`,
    period: ctx.asOf.slice(0, 7),
    evidence: {
      summary: `1:1s held vs cancelled over ${PEOPLE_RULES.consistencyWeeks} weeks (below ${Math.round(PEOPLE_RULES.consistencyMin * 100)}% with ${PEOPLE_RULES.slippingMinCancelled} or more cancelled); dates and statuses only.`,
      items: [
        {
          kind: 'conversation',
          label: `${c.held} held, ${c.cancelled} cancelled`,
          metric: null,
          value: pct,
          baseline: Math.round(PEOPLE_RULES.consistencyMin * 100),
          unit: '% held',
          from,
          to: ctx.asOf,
          link: `/people/${r.personId}`,
          explainLink: null,
          sourceIds: [],
        },
      ],
    },
    facts: { name: r.name, held: c.held, planned: c.held + c.cancelled, rate: `${pct}%`, count: c.cancelled },
  };
}

/** Reports who manage people and keep their 1:1 cadence: recognise and develop them as coaches. */
export async function collectCoachingConsistency(ctx: ScanContext): Promise<OpportunityCandidate[]> {
  const managing = ctx.reports.filter((r) => ctx.reportsByManager.has(r.personId));
  const from = addDays(ctx.asOf, -7 * PEOPLE_RULES.consistencyWeeks);
  const rates = await findOneOnOneConsistency(
    ctx.db,
    managing.map((r) => r.personId),
    from,
    ctx.asOf,
  );
  const out: OpportunityCandidate[] = [];
  for (const r of managing) {
    const c = rates.get(r.personId);
    if (!c || c.held + c.cancelled < PEOPLE_RULES.consistencyMinHeld) continue;
    const rate = c.held / (c.held + c.cancelled);
    const pct = Math.round(rate * 100);
    if (rate < PEOPLE_RULES.consistencyMin) {
      if (c.cancelled >= PEOPLE_RULES.slippingMinCancelled) out.push(slippingCandidate(ctx, r, c, pct, from));
      continue;
    }
    out.push({
      recipientPersonId: r.managerId,
      subject: { type: 'person', id: r.personId },
      trigger: 'coaching_consistency',
      polarity: 'growth',
      priority: 'low',
      framework: 'strengths',
      title: `${r.name} keeps their 1:1s: coach the coach`,
      reason: `${r.name} held ${c.held} of ${c.held + c.cancelled} planned 1:1s with their team in the last ${PEOPLE_RULES.consistencyWeeks} weeks (${pct}%).`,
      period: ctx.asOf.slice(0, 7),
      evidence: {
        summary: `1:1s held vs cancelled over ${PEOPLE_RULES.consistencyWeeks} weeks (threshold ${Math.round(PEOPLE_RULES.consistencyMin * 100)}% and ${PEOPLE_RULES.consistencyMinHeld} held); dates and statuses only.`,
        items: [
          {
            kind: 'conversation',
            label: `${c.held} held, ${c.cancelled} cancelled`,
            metric: null,
            value: pct,
            baseline: Math.round(PEOPLE_RULES.consistencyMin * 100),
            unit: '% held',
            from,
            to: ctx.asOf,
            link: `/people/${r.personId}`,
            explainLink: null,
            sourceIds: [],
          },
        ],
      },
      facts: { name: r.name, held: c.held, planned: c.held + c.cancelled, rate: `${pct}%` },
    });
  }
  return out;
}

export const peopleSources: OpportunitySource[] = [
  {
    id: 'conversations.consistency',
    description: 'Managers among the reports who keep (or let slip) their 1:1 cadence: coach the coaches',
    collect: collectCoachingConsistency,
  },
  {
    id: 'conversations.followups',
    description: 'Overdue 1:1 follow-ups, follow-through to recognise, career conversations that are due',
    collect: collectFollowUpsAndCareer,
  },
  {
    id: 'conversations.gap',
    description: 'A long gap since the last 1:1 with a report, or 1:1s being cancelled',
    collect: collectConversationGaps,
  },
  { id: 'org.ramp_up', description: 'A new hire’s 30/60/90-day milestones', collect: collectRampUps },
  {
    id: 'goals.development',
    description: 'Reports without an active personal goal this quarter',
    collect: collectMissingGoals,
  },
  {
    id: 'goals.stalled',
    description: 'Stalled goals of reports (findStalledGoals)',
    collect: collectStalledGoals,
  },
];
