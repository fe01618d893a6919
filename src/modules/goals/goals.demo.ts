import crypto from 'node:crypto';
import type { Insertable, Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { findTeamLeads } from '../access/access.goals.js';
import { answerProgress } from './goals.links.js';
import { addDays, formatValue, progressOf, quarterOf } from './goals.rules.js';
import type {
  GoalCadence,
  GoalCheckInTable,
  GoalCriteria,
  GoalHistoryTable,
  GoalLevel,
  GoalTable,
} from './goals.tables.js';

/**
 * Demo goals for Kestrel Labs: company, department, team and personal goals of the current quarter,
 * aligned into one tree (some goals support two parents), weekly check-in histories up to the demo's
 * reference day — most on track, some stalled or losing confidence, some following a business
 * metric — plus last quarter's goals with owner and manager evaluations, one orphan, one unsupported
 * company goal and one private goal. Deterministic for a reference day; written in one transaction
 * and skipped when goals exist, so it is idempotent and resumable.
 */

type Curve = 'steady' | 'fast' | 'stalled' | 'falling' | 'late';

interface DemoGoal {
  key: string;
  level: GoalLevel;
  owner: { team: string } | { person: string };
  title: string;
  why: string;
  criteria: GoalCriteria;
  parents: string[];
  curve: Curve;
  /** 0–1: where the curve ends on the reference day. */
  reach: number;
  /**
   * Progress follows data — the demo's monthly business metrics or a signal, for the owning team: its
   * check-ins come from that data once it exists (seedDemoLinkedGoals), not from the curve.
   */
  link?: { key: string; kind?: 'signal'; aggregation: 'sum' | 'latest' };
  cadence?: GoalCadence;
  visibility?: 'private';
  roleExpectations?: string;
  previous?: boolean;
}

const uuid = (key: string): string => {
  const h = crypto.createHash('sha256').update(`cairn-demo-goal:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

const target = (metric: string, unit: string, start: number, goal: number): GoalCriteria => ({
  kind: 'target',
  metric,
  unit,
  start,
  target: goal,
});
const rubric = (...levels: [string, string][]): GoalCriteria => ({
  kind: 'rubric',
  levels: levels.map(([label, description]) => ({ label, description })),
});

const COMPANY_AND_TEAMS: DemoGoal[] = [
  {
    key: 'c-revenue',
    level: 'company',
    owner: { team: 'Kestrel Labs' },
    title: 'Grow annual recurring revenue to €24M',
    why: 'Revenue growth funds the roadmap and the hiring plan; the board plan assumes €24M by year end.',
    criteria: target('ARR', 'EUR', 18_000_000, 24_000_000),
    parents: [],
    curve: 'steady',
    reach: 0.62,
  },
  {
    key: 'c-csat',
    level: 'company',
    owner: { team: 'Kestrel Labs' },
    title: 'Customers rate us 4.6 or better',
    why: 'Satisfied customers renew and refer; CSAT is our earliest signal of churn.',
    criteria: target('CSAT', 'of 5', 4.2, 4.6),
    parents: [],
    curve: 'steady',
    reach: 0.55,
  },
  {
    key: 'c-incidents',
    level: 'company',
    owner: { team: 'Kestrel Labs' },
    title: 'Halve customer-facing incidents',
    why: 'Every incident costs trust and engineering time we would rather spend on the roadmap.',
    criteria: target('incidents per quarter', '', 12, 6),
    parents: [],
    curve: 'steady',
    reach: 0.5,
  },
  {
    key: 'c-careers',
    level: 'company',
    owner: { team: 'Kestrel Labs' },
    title: 'Be the best place to grow a career in fintech',
    why: 'We keep great people by helping them grow, not only by paying them.',
    criteria: rubric(
      ['Started', 'Career paths published for every track'],
      ['Working', 'Every person has a development goal with their manager'],
      ['Proven', 'Internal promotions fill half of senior openings'],
    ),
    parents: [],
    curve: 'late',
    reach: 0.3,
  },
  {
    key: 'c-expansion',
    level: 'company',
    owner: { team: 'Kestrel Labs' },
    title: 'Open the Lisbon engineering hub',
    why: 'A third European hub widens hiring and covers a new time zone for support.',
    criteria: rubric(
      ['Planned', 'Site and legal entity chosen'],
      ['Open', 'First ten people working from Lisbon'],
    ),
    parents: [],
    curve: 'late',
    reach: 0.2,
  },

  {
    key: 'd-eng-reliability',
    level: 'department',
    owner: { team: 'Engineering' },
    title: 'Cut the change failure rate to 10%',
    why: 'Most incidents start with a change; safer changes are the cheapest reliability we can buy.',
    criteria: target('change failure rate', '%', 21, 10),
    parents: ['c-incidents'],
    curve: 'steady',
    reach: 0.58,
  },
  {
    key: 'd-eng-markets',
    level: 'department',
    owner: { team: 'Engineering' },
    title: 'Payments platform ready for three new markets',
    why: 'Sales has signed pilots in Portugal, India and Brazil that need local payment rails.',
    criteria: target('markets live', '', 0, 3),
    parents: ['c-revenue'],
    curve: 'late',
    reach: 0.34,
  },
  {
    key: 'd-sales-new',
    level: 'department',
    owner: { team: 'Sales & Customer Success' },
    title: 'Close €3M of new business',
    why: 'New logos are two thirds of the ARR plan.',
    criteria: target('new ARR', 'EUR', 0, 3_000_000),
    parents: ['c-revenue'],
    curve: 'steady',
    reach: 0.6,
  },
  {
    key: 'd-product-onboarding',
    level: 'department',
    owner: { team: 'Product & Design' },
    title: 'Launch self-serve onboarding',
    why: 'Sales-assisted onboarding caps growth and frustrates small customers.',
    criteria: target('onboarding steps shipped', '', 0, 6),
    parents: ['c-revenue', 'c-csat'],
    curve: 'steady',
    reach: 0.67,
  },
  {
    key: 'd-ops-hiring',
    level: 'department',
    owner: { team: 'People & Operations' },
    title: 'Offer within 30 days for every engineering hire',
    why: 'We lose the best candidates to faster companies.',
    criteria: target('median days to offer', 'days', 48, 30),
    parents: ['c-careers'],
    curve: 'fast',
    reach: 0.7,
  },

  {
    key: 't-platform',
    level: 'team',
    owner: { team: 'Platform' },
    title: '99.95% API availability',
    why: 'Every other team builds on the platform; its outages are everyone’s outages.',
    criteria: target('availability', '%', 99.8, 99.95),
    parents: ['d-eng-reliability', 'c-incidents'],
    curve: 'steady',
    reach: 0.6,
  },
  {
    key: 't-platform-reviews',
    level: 'team',
    owner: { team: 'Platform' },
    title: 'Share the review load: 90 code reviews given across Platform',
    why: 'Changes that wait on one or two reviewers slow every release and let risky changes through.',
    criteria: target('reviews given', 'reviews', 0, 90),
    parents: ['t-platform', 'd-eng-reliability'],
    curve: 'steady',
    reach: 0,
    link: { key: 'reviews_given', kind: 'signal', aggregation: 'sum' },
  },
  {
    key: 't-payments',
    level: 'team',
    owner: { team: 'Payments' },
    title: 'Launch SEPA Instant and UPI',
    why: 'Both rails are preconditions for the Portugal and India pilots.',
    criteria: target('rails live', '', 0, 2),
    parents: ['d-eng-markets'],
    curve: 'stalled',
    reach: 0.5,
  },
  {
    key: 't-sre',
    level: 'team',
    owner: { team: 'Site Reliability' },
    title: 'Restore service within 30 minutes',
    why: 'Fast recovery limits the damage of the incidents we cannot prevent.',
    criteria: target('mean time to restore', 'min', 75, 30),
    parents: ['d-eng-reliability'],
    curve: 'steady',
    reach: 0.55,
  },
  {
    key: 't-mobile',
    level: 'team',
    owner: { team: 'Mobile' },
    title: '99.8% crash-free sessions',
    why: 'App store ratings follow crashes, and ratings drive installs.',
    criteria: target('crash-free sessions', '%', 99.1, 99.8),
    parents: ['c-csat'],
    curve: 'falling',
    reach: 0.4,
  },
  {
    key: 't-success',
    level: 'team',
    owner: { team: 'Customer Success' },
    title: '90% of surveyed customers satisfied',
    why: 'Satisfaction is the earliest sign of churn; the survey runs every month.',
    criteria: target('customer satisfaction', '%', 82, 90),
    parents: ['c-csat'],
    curve: 'steady',
    reach: 0,
    cadence: 'monthly',
    link: { key: 'customer_satisfaction', aggregation: 'latest' },
  },
  {
    key: 't-sales-emea',
    level: 'team',
    owner: { team: 'Sales EMEA' },
    title: 'Book €1.6M of revenue in EMEA this quarter',
    why: 'EMEA carries the largest share of the new-business plan.',
    criteria: target('revenue', 'EUR', 0, 1_600_000),
    parents: ['d-sales-new'],
    curve: 'steady',
    reach: 0,
    cadence: 'monthly',
    link: { key: 'revenue', aggregation: 'sum' },
  },
  {
    key: 't-pm',
    level: 'team',
    owner: { team: 'Product Management' },
    title: 'Onboarding funnel instrumented end to end',
    why: 'We cannot improve self-serve onboarding without seeing where people drop off.',
    criteria: target('funnel steps measured', '', 0, 8),
    parents: ['d-product-onboarding'],
    curve: 'fast',
    reach: 0.88,
  },
];

/** Personal goals: written for members of a team in order (index into the team's non-lead members). */
const PERSONAL: {
  team: string;
  member: number;
  goal: Omit<DemoGoal, 'owner' | 'level' | 'key'> & { key: string };
}[] = [
  {
    team: 'Platform',
    member: 0,
    goal: {
      key: 'p-platform-0',
      title: 'Automate the database failover drill',
      why: 'A drill we run by hand is a drill we skip.',
      criteria: target('drill steps automated', '', 0, 10),
      parents: ['t-platform'],
      curve: 'steady',
      reach: 0.6,
      roleExpectations: 'Software Engineer II: owns a service end to end, including its runbooks.',
    },
  },
  {
    team: 'Platform',
    member: 1,
    goal: {
      key: 'p-platform-1',
      title: 'Cut p99 latency of the public API to 250 ms',
      why: 'Slow calls time out in customers’ checkouts.',
      criteria: target('p99 latency', 'ms', 420, 250),
      parents: ['t-platform'],
      curve: 'stalled',
      reach: 0.3,
    },
  },
  {
    team: 'Platform',
    member: 2,
    goal: {
      key: 'p-platform-2',
      title: 'Become the go-to reviewer for storage changes',
      why: 'Storage reviews wait on one person today.',
      criteria: rubric(
        ['Emerging', 'Reviews some storage changes'],
        ['Trusted', 'Asked first on most storage changes'],
        ['Go-to', 'Sets the storage review checklist'],
      ),
      parents: ['t-platform', 'c-careers'],
      curve: 'steady',
      reach: 0.5,
      roleExpectations: 'Senior Software Engineer: raises the bar for the team through reviews.',
    },
  },
  {
    team: 'Platform',
    member: 3,
    goal: {
      key: 'p-platform-3',
      title: 'Prepare for the staff engineer promotion',
      why: 'A private development goal agreed with my manager.',
      criteria: rubric(['Started', 'Scope agreed'], ['Evidence', 'Two cross-team designs led']),
      parents: ['c-careers'],
      curve: 'steady',
      reach: 0.4,
      visibility: 'private',
    },
  },
  {
    team: 'Payments',
    member: 0,
    goal: {
      key: 'p-payments-0',
      title: 'Ship the SEPA Instant connector',
      why: 'The Portugal pilot starts when SEPA Instant is live.',
      criteria: target('connector milestones', '', 0, 5),
      parents: ['t-payments'],
      curve: 'stalled',
      reach: 0.4,
    },
  },
  {
    team: 'Payments',
    member: 1,
    goal: {
      key: 'p-payments-1',
      title: 'UPI certification with the partner bank',
      why: 'India needs UPI; certification takes the longest.',
      criteria: target('certification stages', '', 0, 4),
      parents: ['t-payments'],
      curve: 'falling',
      reach: 0.5,
    },
  },
  {
    team: 'Site Reliability',
    member: 0,
    goal: {
      key: 'p-sre-0',
      title: 'Page the right team first, every time',
      why: 'Half of our restore time is spent finding the owner.',
      criteria: target('alerts with an owner', '%', 55, 100),
      parents: ['t-sre'],
      curve: 'fast',
      reach: 0.8,
    },
  },
  {
    team: 'Customer Success',
    member: 0,
    goal: {
      key: 'p-success-0',
      title: 'Quarterly business reviews with my 12 largest accounts',
      why: 'Our largest accounts decide the renewals number.',
      criteria: target('reviews held', '', 0, 12),
      parents: ['t-success'],
      curve: 'steady',
      reach: 0.58,
    },
  },
  {
    team: 'Customer Success',
    member: 1,
    goal: {
      key: 'p-success-1',
      title: 'Learn conversational Portuguese',
      why: 'Personal growth; not aligned to a team goal yet.',
      criteria: rubric(['A1', 'Simple conversations'], ['A2', 'A customer call without help']),
      parents: [],
      curve: 'steady',
      reach: 0.4,
    },
  },
  {
    team: 'Sales EMEA',
    member: 0,
    goal: {
      key: 'p-sales-0',
      title: '€350k new ARR in DACH',
      why: 'DACH is my territory and a quarter of the EMEA plan.',
      criteria: target('new ARR', 'EUR', 0, 350_000),
      parents: ['t-sales-emea'],
      curve: 'steady',
      reach: 0.66,
    },
  },
  {
    team: 'Mobile',
    member: 0,
    goal: {
      key: 'p-mobile-0',
      title: 'Fix the top ten Android crashes',
      why: 'Ten crash signatures cause 70% of crashed sessions.',
      criteria: target('crashes fixed', '', 0, 10),
      parents: ['t-mobile'],
      curve: 'falling',
      reach: 0.3,
    },
  },
];

const PREVIOUS: DemoGoal[] = [
  {
    key: 'prev-c-revenue',
    level: 'company',
    owner: { team: 'Kestrel Labs' },
    title: 'Reach €17M annual recurring revenue',
    why: 'The mid-year milestone on the way to €24M.',
    criteria: target('ARR', 'EUR', 14_500_000, 17_000_000),
    parents: [],
    curve: 'steady',
    reach: 1.1,
    previous: true,
  },
  {
    key: 'prev-t-platform',
    level: 'team',
    owner: { team: 'Platform' },
    title: 'Move every service to the new deploy pipeline',
    why: 'The old pipeline cannot roll back automatically.',
    criteria: target('services migrated', '', 0, 24),
    parents: ['prev-c-revenue'],
    curve: 'steady',
    reach: 0.92,
    previous: true,
  },
];

interface Context {
  teams: Map<string, string>;
  members: Map<string, { id: string; name: string }[]>;
  leads: Map<string, string>;
  accountOf: Map<string, string>;
  labelOf: Map<string, string>;
}

/** Seeds the demo goals (see the file comment). Returns how many goals were written (0 when already there). */
export async function seedDemoGoals(
  db: Kysely<DB>,
  options: { referenceDate: string; log?: (line: string) => void },
): Promise<number> {
  const existing = await db.selectFrom('goal').select('id').limit(1).executeTakeFirst();
  if (existing) return 0;
  const ref = options.referenceDate;
  const ctx = await loadContext(db, ref);
  const current = quarterOf(ref);
  const previous = quarterOf(addDays(current.start, -1));

  const goals: Insertable<GoalTable>[] = [];
  const alignments: { goal_id: string; parent_goal_id: string }[] = [];
  const checkIns: Insertable<GoalCheckInTable>[] = [];
  const history: Insertable<GoalHistoryTable>[] = [];
  const evaluations: Insertable<DB['goal_evaluation']>[] = [];

  const personal: DemoGoal[] = PERSONAL.flatMap(({ team, member, goal }) => {
    const person = ctx.members.get(team)?.[member];
    return person ? [{ ...goal, level: 'personal' as const, owner: { person: person.id } }] : [];
  });

  for (const g of [...COMPANY_AND_TEAMS, ...personal, ...PREVIOUS]) {
    const period = g.previous ? previous : current;
    const id = uuid(g.key);
    const ownerTeam = 'team' in g.owner ? ctx.teams.get(g.owner.team) : undefined;
    const ownerPerson = 'person' in g.owner ? g.owner.person : undefined;
    if (!ownerTeam && !ownerPerson) continue;
    const steward = ownerPerson ?? ctx.leads.get(ownerTeam!) ?? null;
    const author = steward ? (ctx.accountOf.get(steward) ?? null) : null;
    const label = steward ? (ctx.labelOf.get(steward) ?? 'demo') : 'demo';
    const end = g.previous ? period.end : ref;
    // A goal that follows data gets its check-ins from that data (seedDemoLinkedGoals, after the rollups).
    const values = g.link ? [] : curve(g, period.start, end);
    const last = values.at(-1);
    goals.push({
      id,
      owner_person_id: ownerPerson ?? null,
      owner_team_id: ownerTeam ?? null,
      level: g.level,
      title: g.title,
      why: g.why,
      criteria: JSON.stringify(g.criteria),
      role_expectations: g.roleExpectations ?? null,
      period_label: period.label,
      period_start: period.start,
      period_end: period.end,
      visibility: g.visibility ?? 'public',
      status: g.previous ? 'completed' : 'active',
      cadence: g.cadence ?? 'weekly',
      steward_person_id: steward,
      current_value: last ? last.value : g.criteria.kind === 'target' ? g.criteria.start : 0,
      created_by_account_id: author,
      created_at: `${period.start}T08:00:00Z`,
    });
    for (const p of g.parents) alignments.push({ goal_id: id, parent_goal_id: uuid(p) });
    history.push({
      goal_id: id,
      change: 'create',
      actor_account_id: author,
      actor_label: label,
      after: JSON.stringify({ title: g.title, criteria: g.criteria, parents: g.parents.length }),
      at: `${period.start}T08:00:00Z`,
    });
    let before = g.criteria.kind === 'target' ? g.criteria.start : 0;
    for (const c of values) {
      const at = `${c.date}T16:30:00Z`;
      // Every check-in is in the goal's history too: who checked in, and the note as why.
      history.push({
        goal_id: id,
        change: 'check_in',
        actor_account_id: author,
        actor_label: label,
        before: JSON.stringify({ value: before, progress: progressOf(g.criteria, before) }),
        after: JSON.stringify({
          value: c.value,
          progress: progressOf(g.criteria, c.value),
          confidence: c.confidence,
        }),
        reason: c.note,
        at,
      });
      before = c.value;
      checkIns.push({
        goal_id: id,
        value: c.value,
        confidence: c.confidence,
        blockers: c.blockers,
        note: c.note,
        source: 'demo',
        author_account_id: author,
        checked_at: at,
      });
    }
    if (g.key === 't-platform' && values.length > 3) {
      history.push({
        goal_id: id,
        change: 'update',
        actor_account_id: author,
        actor_label: label,
        before: JSON.stringify({ criteria: target('availability', '%', 99.8, 99.99) }),
        after: JSON.stringify({ criteria: g.criteria }),
        reason:
          'Four nines is not reachable before the storage migration; agreed 99.95% with the VP Engineering.',
        at: `${values[2]!.date}T10:00:00Z`,
      });
    }
    if (g.previous && steward) {
      const owner = steward;
      const manager = await managerOf(db, owner, ref);
      evaluations.push({
        goal_id: id,
        role: 'owner',
        rating: (g.reach ?? 1) >= 1 ? 'exceeded' : 'partially_met',
        final_value: last?.value ?? null,
        comment:
          (g.reach ?? 1) >= 1
            ? 'Closed the quarter above plan, helped by two early renewals.'
            : 'Twenty-two of twenty-four services moved; the last two wait on the vendor SDK.',
        author_account_id: ctx.accountOf.get(owner) ?? author!,
        created_at: `${period.end}T15:00:00Z`,
        updated_at: `${period.end}T15:00:00Z`,
      });
      if (manager && ctx.accountOf.get(manager)) {
        evaluations.push({
          goal_id: id,
          role: 'manager',
          rating: (g.reach ?? 1) >= 1 ? 'exceeded' : 'met',
          final_value: last?.value ?? null,
          comment:
            (g.reach ?? 1) >= 1
              ? 'A strong quarter; the renewals playbook is worth sharing.'
              : 'Met in substance: the remaining two are blocked outside the team.',
          author_account_id: ctx.accountOf.get(manager)!,
          created_at: `${addDays(period.end, 3)}T09:00:00Z`,
          updated_at: `${addDays(period.end, 3)}T09:00:00Z`,
        });
      }
      history.push({
        goal_id: id,
        change: 'evaluate',
        actor_account_id: author,
        actor_label: label,
        after: JSON.stringify({ assessment: 'self-assessment recorded' }),
        at: `${period.end}T15:00:00Z`,
      });
      if (manager && ctx.accountOf.get(manager)) {
        history.push({
          goal_id: id,
          change: 'evaluate',
          actor_account_id: ctx.accountOf.get(manager)!,
          actor_label: ctx.labelOf.get(manager) ?? 'demo',
          after: JSON.stringify({ assessment: 'manager assessment recorded' }),
          at: `${addDays(period.end, 3)}T09:00:00Z`,
        });
      }
    }
  }

  await db.transaction().execute(async (trx) => {
    await trx.insertInto('goal').values(goals).execute();
    // A goal whose owner is missing (an organisation shaped differently) is skipped, and so are edges to it.
    const made = new Set(goals.map((g) => g.id));
    const edges = alignments.filter((a) => made.has(a.goal_id) && made.has(a.parent_goal_id));
    if (edges.length) await trx.insertInto('goal_alignment').values(edges).execute();
    for (let i = 0; i < checkIns.length; i += 500)
      await trx
        .insertInto('goal_check_in')
        .values(checkIns.slice(i, i + 500))
        .execute();
    if (history.length) await trx.insertInto('goal_history').values(history).execute();
    if (evaluations.length) await trx.insertInto('goal_evaluation').values(evaluations).execute();
  });
  options.log?.(`Loaded ${goals.length} demo goals with ${checkIns.length} check-ins.`);
  return goals.length;
}

/** Weekly check-ins from the period start to `end` following the goal's curve. */
function curve(g: DemoGoal, start: string, end: string) {
  const weeks: string[] = [];
  for (let d = addDays(start, 7); d <= end; d = addDays(d, 7)) weeks.push(d);
  const n = weeks.length;
  const from = g.criteria.kind === 'target' ? g.criteria.start : 0;
  const to = g.criteria.kind === 'target' ? g.criteria.target : 100;
  const out: {
    date: string;
    value: number;
    confidence: number;
    blockers: string | null;
    note: string | null;
  }[] = [];
  weeks.forEach((date, i) => {
    const t = (i + 1) / Math.max(n, 1);
    let share: number;
    let confidence = 4;
    let blockers: string | null = null;
    let note: string | null = null;
    switch (g.curve) {
      case 'fast':
        share = g.reach * Math.min(1, t * 1.3);
        confidence = 5;
        break;
      case 'late':
        share = g.reach * t * t;
        confidence = 3;
        break;
      case 'stalled': {
        // progress until two-thirds of the way, then flat for the last weeks
        const cut = Math.max(1, n - 3);
        share = (g.reach * Math.min(i + 1, cut)) / cut;
        if (i + 1 > cut) {
          confidence = 3;
          blockers =
            i === n - 1
              ? 'Waiting on the partner bank’s sandbox credentials'
              : 'Waiting on an external dependency';
        }
        break;
      }
      case 'falling':
        share = g.reach * t;
        confidence = Math.max(2, 5 - Math.max(0, i - (n - 4)));
        if (i >= n - 2) blockers = 'Scope grew after the last release';
        break;
      default:
        share = g.reach * t;
        confidence = i % 3 === 2 ? 3 : 4;
    }
    if (i === 0) note = 'Kick-off done; plan agreed.';
    else if (i === n - 1 && !blockers) note = 'On track for the quarter.';
    const raw = from + (to - from) * share;
    // Counts stay whole (services, reviews, crashes); money in thousands; percentages with decimals.
    const whole = Number.isInteger(from) && Number.isInteger(to) && Math.abs(to - from) >= 10;
    const value =
      Math.abs(to - from) >= 1000
        ? Math.round(raw / 1000) * 1000
        : whole
          ? Math.round(raw)
          : Math.round(raw * 100) / 100;
    out.push({ date, value, confidence, blockers, note });
  });
  return out;
}

async function loadContext(db: Kysely<DB>, asOf: string): Promise<Context> {
  const teams = await db.selectFrom('team').select(['id', 'name', 'kind']).execute();
  const teamId = new Map(teams.map((t) => [t.name, t.id]));
  // Company goals belong to the root team, whatever the import named it.
  const root = teams.find((t) => t.kind === 'company');
  if (root) teamId.set('Kestrel Labs', root.id);
  const people = await db
    .selectFrom('person')
    .select(['id', 'name', 'team_id', 'employee_id'])
    .where((eb) => eb.or([eb('leave_date', 'is', null), eb('leave_date', '>', asOf)]))
    .orderBy('employee_id')
    .execute();
  const leads = new Map<string, string>();
  for (const t of teams) {
    const l = (await findTeamLeads(db, t.id, asOf)).sort();
    if (l[0]) leads.set(t.id, l[0]);
  }
  const leadIds = new Set(leads.values());
  const members = new Map<string, { id: string; name: string }[]>();
  for (const t of teams) {
    members.set(
      t.name,
      people.filter((p) => p.team_id === t.id && !leadIds.has(p.id)).map((p) => ({ id: p.id, name: p.name })),
    );
  }
  const accounts = await db
    .selectFrom('account')
    .select(['id', 'person_id', 'email'])
    .where('person_id', 'is not', null)
    .execute();
  return {
    teams: teamId,
    members,
    leads,
    accountOf: new Map(accounts.map((a) => [a.person_id!, a.id])),
    labelOf: new Map(accounts.map((a) => [a.person_id!, a.email])),
  };
}

async function managerOf(db: Kysely<DB>, personId: string, asOf: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('reporting_line')
    .select('manager_id')
    .where('person_id', '=', personId)
    .where('valid_from', '<=', asOf)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', asOf)]))
    .executeTakeFirst();
  return row?.manager_id;
}

/**
 * The demo goals that follow data get their history from that data: once the demo's business metrics
 * are imported and its signal rollups built, a linked check-in at each weekly step from the period start
 * to the reference day where the value moved (monthly metrics move once a month), each with the history
 * line a live refresh writes, then the link itself. Skipped for a kind no source answers, and for a goal
 * already linked (idempotent). Returns the number of check-ins written.
 */
export async function seedDemoLinkedGoals(
  db: Kysely<DB>,
  options: { referenceDate: string; log?: (line: string) => void },
): Promise<number> {
  let written = 0;
  for (const g of COMPANY_AND_TEAMS.filter((x) => x.link)) {
    const link = g.link!;
    const kind = link.kind ?? 'business_metric';
    const id = uuid(g.key);
    const goal = await db.selectFrom('goal').selectAll().where('id', '=', id).executeTakeFirst();
    if (!goal?.owner_team_id) continue;
    const linked = await db
      .selectFrom('goal_link')
      .select('goal_id')
      .where('goal_id', '=', id)
      .executeTakeFirst();
    if (linked) continue;
    const team = await db
      .selectFrom('team')
      .select('name')
      .where('id', '=', goal.owner_team_id)
      .executeTakeFirstOrThrow();
    const account = goal.steward_person_id
      ? await db
          .selectFrom('account')
          .select(['id', 'email'])
          .where('person_id', '=', goal.steward_person_id)
          .executeTakeFirst()
      : undefined;
    const unit = g.criteria.kind === 'target' ? g.criteria.unit : '';
    const source = kind === 'signal' ? 'new work data (signals)' : 'metrics import';
    const rows: Insertable<GoalCheckInTable>[] = [];
    const history: Insertable<GoalHistoryTable>[] = [
      {
        goal_id: id,
        change: 'link',
        actor_account_id: account?.id ?? null,
        actor_label: account?.email ?? 'demo',
        after: JSON.stringify({ kind, key: link.key, aggregation: link.aggregation }),
        at: `${goal.period_start}T08:05:00Z`,
      },
    ];
    let last: number | null = null;
    let lastAt: string | null = null;
    let skipped = false;
    for (let d = addDays(goal.period_start, 7); d <= options.referenceDate; d = addDays(d, 7)) {
      const value = await answerProgress(db, kind, {
        key: link.key,
        aggregation: link.aggregation,
        scopePersonId: null,
        scopeTeamId: goal.owner_team_id,
        from: goal.period_start,
        to: addDays(d, -1),
      });
      if (value === undefined) {
        skipped = true;
        break;
      }
      if (value === null || value === last) continue;
      const at = `${d}T06:00:00Z`;
      const reason = `${link.key} for team ${team.name} ${goal.period_label} reached ${formatValue(value, unit)} from ${source}`;
      rows.push({ goal_id: id, value, confidence: 4, note: reason, source: 'linked', checked_at: at });
      history.push({
        goal_id: id,
        change: 'progress',
        actor_label: `linked ${kind.replace('_', ' ')}`,
        before: JSON.stringify({
          value: last ?? Number(goal.current_value),
          progress: progressOf(g.criteria, last ?? Number(goal.current_value)),
        }),
        after: JSON.stringify({ value, progress: progressOf(g.criteria, value) }),
        reason,
        at,
      });
      last = value;
      lastAt = at;
    }
    if (skipped) {
      options.log?.(`Nothing answers ${kind} links here; the demo goal "${g.title}" waits for data.`);
      continue;
    }
    await db.transaction().execute(async (trx) => {
      if (rows.length) await trx.insertInto('goal_check_in').values(rows).execute();
      await trx.insertInto('goal_history').values(history).execute();
      await trx
        .insertInto('goal_link')
        .values({
          goal_id: id,
          kind,
          key: link.key,
          aggregation: link.aggregation,
          scope_person_id: null,
          scope_team_id: goal.owner_team_id,
          last_value: last,
          last_refreshed_at: lastAt ? new Date(lastAt) : null,
        })
        .execute();
      if (last !== null)
        await trx.updateTable('goal').set({ current_value: last }).where('id', '=', id).execute();
    });
    written += rows.length;
  }
  if (written) options.log?.(`Loaded ${written} demo goal check-ins from business metrics and signals.`);
  return written;
}
