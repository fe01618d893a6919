/**
 * Every signal Cairn computes, defined in ONE place: what it means (shown in the UI), its unit, the
 * levels it applies to, how one work event or one work item contributes to it, and so which source
 * events explain any value ("why this number?"). The rollups, the rebuild, the flags and the
 * evidence endpoint all use these functions; nothing else decides what counts.
 */

export type MetricLevel = 'person' | 'team' | 'org';
export type MetricFamily =
  'contribution' | 'velocity' | 'cycle_time' | 'quality' | 'collaboration' | 'skills';

/** A work event as the rollups see it (a row of ingest_work_event, possibly from the change log). */
export interface SignalEvent {
  id: number;
  source: string;
  source_id: string;
  kind: string;
  person_id: string | null;
  actor_identity_id: string | null;
  occurred_at: Date | string;
  project: string | null;
  item_source_id: string | null;
  attributes: Record<string, unknown>;
}

/** A work item as the rollups see it. */
export interface SignalItem {
  source: string;
  source_id: string;
  kind: string;
  project: string | null;
  number: string | null;
  title: string | null;
  state: string;
  person_id: string | null;
  author_identity_id: string | null;
  opened_at: Date | string | null;
  merged_at: Date | string | null;
  closed_at: Date | string | null;
  attributes: Record<string, unknown>;
}

/** What one item adds up to once it is done (merged / completed). Stored in signals_item_fact. */
export interface ItemFact {
  source: string;
  source_id: string;
  kind: string;
  person_id: string | null;
  week: string | null;
  done_at: string | null;
  project: string | null;
  done: boolean;
  storyPoints: number;
  bugfix: boolean;
  /** Reviews by someone other than the author (bots excluded). */
  reviews: number;
  changesRequested: number;
  coding_s: number | null;
  pickup_s: number | null;
  review_s: number | null;
  /** The sprint a completed issue is credited to (the last sprint it was in), if any. */
  sprintId?: string | null;
  /** Incidents: when it was raised, what it names as its cause, and the people those changes are by. */
  incident?: boolean;
  incidentAt?: string | null;
  incidentWeek?: string | null;
  causedBy?: string[];
  causePersons?: string[];
}

/** One additive contribution to a person × week rollup. */
export interface Contribution {
  personId: string;
  week: string;
  metric: string;
  value: number;
  /** When it happened (ISO): the team credited is the person's team at this instant. */
  at: string;
}

export type Aggregation = 'sum' | 'ratio' | 'percentile' | 'graph' | 'series';

export interface MetricDefinition {
  id: string;
  family: MetricFamily;
  label: string;
  /** Plain language, shown in the UI next to the number. */
  description: string;
  unit: string;
  levels: readonly MetricLevel[];
  aggregation: Aggregation;
  /** Rollup keys the value is computed from (sum: one key; ratio: numerator / denominator). */
  rollup?: { numerator: string; denominator?: string };
  /** Percentile metrics: which cycle-time stage of signals_item_fact. */
  stage?: 'coding_s' | 'pickup_s' | 'review_s';
  /** Whether the evidence lists events (event-level) or done items (item-level). */
  evidence: 'events' | 'items';
  /** Series the EWMA baseline watches for dips and strengths. */
  watched?: boolean;
}

const ALL: readonly MetricLevel[] = ['person', 'team', 'org'];

/** The definitions. Ids are stable (API, rollup keys, flags, docs/signals.md). */
export const METRICS = [
  {
    id: 'prs_merged',
    family: 'contribution',
    label: 'Pull requests merged',
    description:
      'Pull requests this person authored that were merged in the period (by project). Drafts and closed-unmerged pull requests do not count.',
    unit: 'pull requests',
    levels: ALL,
    aggregation: 'sum',
    rollup: { numerator: 'prs_merged' },
    evidence: 'events',
    watched: true,
  },
  {
    id: 'issues_completed',
    family: 'velocity',
    label: 'Issues completed',
    description:
      'Issues moved to done (or closed as completed) in the period, credited to the assignee. An issue reopened after done stops counting until it is done again.',
    unit: 'issues',
    levels: ALL,
    aggregation: 'sum',
    rollup: { numerator: 'issues_completed' },
    evidence: 'items',
    watched: true,
  },
  {
    id: 'story_points',
    family: 'velocity',
    label: 'Story points completed',
    description: 'Story points of the issues completed in the period (issues without an estimate add 0).',
    unit: 'points',
    levels: ALL,
    aggregation: 'sum',
    rollup: { numerator: 'story_points' },
    evidence: 'items',
  },
  {
    id: 'sprint_issues',
    family: 'velocity',
    label: 'Issues completed per sprint',
    description:
      'Issues completed, grouped by the sprint they were completed in: the last sprint the issue was in (an issue carried over from sprint 41 into 42 counts in 42). Issues completed outside any sprint and issues reopened after done do not count. Sprints are listed when a completion in the range falls in them.',
    unit: 'issues',
    levels: ALL,
    aggregation: 'series',
    rollup: { numerator: 'si:' },
    evidence: 'items',
  },
  {
    id: 'sprint_points',
    family: 'velocity',
    label: 'Story points completed per sprint',
    description:
      'Story points of the issues completed in each sprint (same rule as issues per sprint; an issue without an estimate adds 0).',
    unit: 'points',
    levels: ALL,
    aggregation: 'series',
    rollup: { numerator: 'sp:' },
    evidence: 'items',
  },
  {
    id: 'throughput',
    family: 'velocity',
    label: 'Throughput',
    description: 'Work items finished in the period: pull requests merged plus issues completed.',
    unit: 'items',
    levels: ALL,
    aggregation: 'sum',
    rollup: { numerator: 'items_done' },
    evidence: 'items',
  },
  {
    id: 'commits',
    family: 'contribution',
    label: 'Commits',
    description:
      'Commits authored or co-authored in the period (by project). Merge commits do not count; a revert counts as a commit and as a revert.',
    unit: 'commits',
    levels: ALL,
    aggregation: 'sum',
    rollup: { numerator: 'commits' },
    evidence: 'events',
    watched: true,
  },
  {
    id: 'cycle_coding',
    family: 'cycle_time',
    label: 'Coding time',
    description:
      'From the first commit of a pull request to opening it, for pull requests merged in the period.',
    unit: 'hours',
    levels: ALL,
    aggregation: 'percentile',
    stage: 'coding_s',
    evidence: 'items',
  },
  {
    id: 'cycle_pickup',
    family: 'cycle_time',
    label: 'Pickup time',
    description:
      'From opening a pull request (or marking a draft ready for review) to the first review by someone other than the author. Pull requests merged without review have no pickup time.',
    unit: 'hours',
    levels: ALL,
    aggregation: 'percentile',
    stage: 'pickup_s',
    evidence: 'items',
  },
  {
    id: 'cycle_review',
    family: 'cycle_time',
    label: 'Review time',
    description:
      'From the first review by someone else to the merge, for pull requests merged in the period.',
    unit: 'hours',
    levels: ALL,
    aggregation: 'percentile',
    stage: 'review_s',
    evidence: 'items',
  },
  {
    id: 'reverts',
    family: 'quality',
    label: 'Reverts',
    description: 'Commits that revert an earlier commit ("Revert …"), in the period.',
    unit: 'commits',
    levels: ALL,
    aggregation: 'sum',
    rollup: { numerator: 'reverts' },
    evidence: 'events',
  },
  {
    id: 'bugfix_share',
    family: 'quality',
    label: 'Share of bug-fix work',
    description:
      'Of the items finished in the period, the share that fixed bugs: issues of type Bug, and pull requests labelled bug or titled "fix…".',
    unit: 'share',
    levels: ALL,
    aggregation: 'ratio',
    rollup: { numerator: 'bugfix_done', denominator: 'items_done' },
    evidence: 'items',
  },
  {
    id: 'changes_requested_per_pr',
    family: 'quality',
    label: 'Changes requested per pull request',
    description:
      'Reviews asking for changes, per pull request merged in the period (counted on the author’s merged pull requests).',
    unit: 'reviews per PR',
    levels: ALL,
    aggregation: 'ratio',
    rollup: { numerator: 'changes_requested_received', denominator: 'prs_merged' },
    evidence: 'items',
  },
  {
    id: 'incidents_linked',
    family: 'quality',
    label: 'Incidents linked to changes',
    description:
      'Incidents raised in the period that name the change that caused them, credited to the author of that change. An incident is an issue of type Incident, or any issue labelled "incident". Its cause is a pull request it links to or mentions ("acme/app#12" or its URL), a commit it names by its full hash or URL, or a ticket key whose pull request mentions it. An incident caused by two people’s changes counts once for each; incidents naming no change are not attributed to anyone.',
    unit: 'incidents',
    levels: ALL,
    aggregation: 'sum',
    rollup: { numerator: 'incidents_linked' },
    evidence: 'items',
  },
  {
    id: 'reviews_given',
    family: 'collaboration',
    label: 'Reviews given',
    description:
      'Reviews submitted on other people’s pull requests — the glue work that keeps a team moving. Reviewing one’s own pull request does not count.',
    unit: 'reviews',
    levels: ALL,
    aggregation: 'sum',
    rollup: { numerator: 'reviews_given' },
    evidence: 'events',
    watched: true,
  },
  {
    id: 'review_graph',
    family: 'collaboration',
    label: 'Review graph',
    description:
      'Who reviews whose pull requests in the period; edges across teams are cross-team reviews. People whose work nobody else reviews, and areas only one person touches, are silos.',
    unit: 'reviews',
    levels: ['team', 'org'],
    aggregation: 'graph',
    evidence: 'events',
  },
  {
    id: 'skills',
    family: 'skills',
    label: 'Skills trajectory',
    description: 'The areas of the code and the languages a person’s commits touched, week by week.',
    unit: 'commits',
    levels: ['person', 'team'],
    aggregation: 'series',
    evidence: 'events',
  },
] as const satisfies readonly MetricDefinition[];

export type MetricId = (typeof METRICS)[number]['id'];
export const METRIC_IDS = METRICS.map((m) => m.id) as MetricId[];

export function metricById(id: string): MetricDefinition | undefined {
  return (METRICS as readonly MetricDefinition[]).find((m) => m.id === id);
}

// ---------------------------------------------------------------------------------------------
// Time

/** Monday (UTC) of the ISO week containing the instant, as 'YYYY-MM-DD'. Weeks are stored in UTC. */
export function weekOf(at: Date | string | number): string {
  const d = new Date(at);
  const day = (d.getUTCDay() + 6) % 7; // Monday = 0
  const monday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day));
  return monday.toISOString().slice(0, 10);
}

export function addWeeks(week: string, n: number): string {
  const d = new Date(`${week}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 7 * n);
  return d.toISOString().slice(0, 10);
}

function ms(at: Date | string | null | undefined): number | null {
  if (at === null || at === undefined || at === '') return null;
  const t = new Date(at).getTime();
  return Number.isNaN(t) ? null : t;
}

function iso(at: number | null): string | null {
  return at === null ? null : new Date(at).toISOString();
}

// ---------------------------------------------------------------------------------------------
// Event-level contributions

/** Rollup key prefixes: contribution by project (commits, merged PRs), review pairs, sprints. */
export const PROJECT_COMMITS = 'pc:';
export const PROJECT_PRS = 'pm:';
export const REVIEW_PAIR = 'rg:';
export const SPRINT_ISSUES = 'si:';
export const SPRINT_POINTS = 'sp:';
export const NO_PROJECT = '(none)';
/** Cycle-time histograms (`cyc:<stage>:<bucket>`), for organisation-wide percentiles. */
export const CYCLE_HISTOGRAM = 'cyc:';

/**
 * Quarter-octave buckets of a duration in seconds: bucket 0 is under a minute, bucket b ≥ 1 covers
 * [60·2^((b−1)/4), 60·2^(b/4)) — each 19% wide, so a percentile read from it is within ±9%.
 */
export function cycleBucket(seconds: number): number {
  if (seconds < 60) return 0;
  return Math.floor(4 * Math.log2(seconds / 60)) + 1;
}

/** The percentile (as percentile_cont) of a bucketed distribution, in seconds, geometric within a bucket. */
export function histogramPercentile(buckets: ReadonlyMap<number, number>, p: number): number | null {
  const sorted = [...buckets].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const n = sorted.reduce((a, [, c]) => a + c, 0);
  if (n === 0) return null;
  const rank = (n - 1) * p;
  let seen = 0;
  for (const [b, c] of sorted) {
    if (rank < seen + c) {
      const lo = b === 0 ? 0 : 60 * 2 ** ((b - 1) / 4);
      const hi = 60 * 2 ** (b / 4);
      const f = c === 1 ? 0.5 : (rank - seen) / (c - 1);
      return b === 0 ? hi * f : lo * (hi / lo) ** f;
    }
    seen += c;
  }
  return null;
}

/** Bot identities are excluded everywhere; the caller says which identity ids are bots. */
export type IsBot = (identityId: string | null) => boolean;

function isRevert(e: SignalEvent): boolean {
  if (e.attributes.revert === true) return true;
  const subject = e.attributes.subject;
  return typeof subject === 'string' && /^Revert "/.test(subject);
}

function isSelfReview(e: SignalEvent, itemAuthor: string | null | undefined): boolean {
  if (e.attributes.selfReview === true) return true;
  return itemAuthor !== undefined && itemAuthor !== null && itemAuthor === e.person_id;
}

/**
 * The rollup keys one event adds to its actor's week. `itemAuthor` is the person who authored the
 * event's item (for reviews), when known. Skills keys are `area:<area>` and `lang:<language>`.
 */
export function eventContributions(e: SignalEvent, isBot: IsBot, itemAuthor?: string | null): Contribution[] {
  if (!e.person_id || isBot(e.actor_identity_id)) return [];
  const week = weekOf(e.occurred_at);
  const at = new Date(e.occurred_at).toISOString();
  const out: Contribution[] = [];
  const add = (metric: string, value = 1): void => {
    out.push({ personId: e.person_id as string, week, metric, value, at });
  };
  const project = e.project ?? NO_PROJECT;
  switch (e.kind) {
    case 'commit':
    case 'commit_coauthored': {
      if (e.attributes.merge === true) break;
      add('commits');
      add(`${PROJECT_COMMITS}${project}`);
      if (e.kind === 'commit' && isRevert(e)) add('reverts');
      const areas = Array.isArray(e.attributes.areas) ? (e.attributes.areas as unknown[]) : [];
      for (const a of new Set(areas)) if (typeof a === 'string') add(`area:${a}`);
      const langs = e.attributes.languages;
      if (langs && typeof langs === 'object') for (const l of Object.keys(langs)) add(`lang:${l}`);
      break;
    }
    case 'pr_opened':
      add('prs_opened');
      break;
    case 'pr_merged':
      add('prs_merged');
      add(`${PROJECT_PRS}${project}`);
      break;
    case 'review_submitted': {
      if (isSelfReview(e, itemAuthor)) break;
      const state = String(e.attributes.state ?? '').toLowerCase();
      if (state === 'dismissed' || state === 'pending') break;
      add('reviews_given');
      if (state === 'changes_requested') add('changes_requested_given');
      // The review graph: one edge reviewer → author per week (kept in its own rollup table).
      if (itemAuthor) add(`${REVIEW_PAIR}${itemAuthor}`);
      break;
    }
    default:
      break;
  }
  return out;
}

/** Event kinds that can contribute, for evidence queries. */
export const EVENT_KINDS_BY_KEY: Record<string, readonly string[]> = {
  commits: ['commit', 'commit_coauthored'],
  reverts: ['commit'],
  prs_merged: ['pr_merged'],
  reviews_given: ['review_submitted'],
};

// ---------------------------------------------------------------------------------------------
// Item-level facts (completion, cycle time)

const COMPLETION_KINDS = new Set(['issue_completed', 'issue_closed']);

function isCompletion(e: SignalEvent): boolean {
  if (e.kind === 'issue_completed') return true;
  if (e.kind === 'issue_closed') return e.attributes.stateReason !== 'not_planned';
  return false;
}

function isBugfix(item: SignalItem): boolean {
  const type = item.attributes.issueType;
  if (typeof type === 'string' && type.toLowerCase() === 'bug') return true;
  const labels = Array.isArray(item.attributes.labels) ? (item.attributes.labels as unknown[]) : [];
  if (labels.some((l) => typeof l === 'string' && /^(bug|bugfix|fix)$/i.test(l))) return true;
  return item.kind === 'pull_request' && /^fix\b/i.test(item.title ?? '');
}

/** Whether a work item is an incident: type Incident, or labelled "incident". */
export function isIncident(item: Pick<SignalItem, 'kind' | 'attributes'>): boolean {
  if (item.kind === 'pull_request') return false;
  const type = item.attributes.issueType;
  if (typeof type === 'string' && /^incident$/i.test(type.trim())) return true;
  const labels = Array.isArray(item.attributes.labels) ? (item.attributes.labels as unknown[]) : [];
  return labels.some((l) => typeof l === 'string' && /^incident$/i.test(l.trim()));
}

const PR_REF = /\b([\w.-]+\/[\w.-]+)#(\d+)\b/g;
const PR_URL = /https?:\/\/[^\s/]+\/([\w.-]+\/[\w.-]+)\/pull\/(\d+)/g;
const COMMIT_URL = /https?:\/\/[^\s/]+\/([\w.-]+\/[\w.-]+)\/commit\/([0-9a-f]{40})\b/gi;
const SHA = /\b([0-9a-f]{40})\b/gi;
const TICKET_KEY = /\b([A-Z][A-Z0-9]{1,9}-\d+)\b/g;

/**
 * What an incident names as its cause, as references: `pr:owner/repo#12`, `sha:<40 hex>` (a git
 * commit), `ghc:owner/repo@<40 hex>` (a GitHub commit, from its URL), `key:KES-12` (a ticket whose pull request mentions the key). Read from the issue's links
 * (`attributes.links` / `attributes.causedBy`: strings or `{ key | sourceId | url }`), its description
 * and its title. The incident's own key is not a cause.
 */
export function incidentCauses(item: Pick<SignalItem, 'title' | 'number' | 'attributes'>): string[] {
  const texts: string[] = [];
  const push = (v: unknown): void => {
    if (typeof v === 'string') texts.push(v);
    else if (Array.isArray(v)) v.forEach(push);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const k of ['key', 'sourceId', 'url', 'outwardIssue', 'inwardIssue']) push(o[k]);
    }
  };
  push(item.attributes.links);
  push(item.attributes.causedBy);
  push(item.attributes.description);
  push(item.title);
  const text = texts.join('\n');
  const refs = new Set<string>();
  for (const m of text.matchAll(PR_URL)) refs.add(`pr:${m[1]}#${m[2]}`);
  for (const m of text.replace(PR_URL, ' ').matchAll(PR_REF)) refs.add(`pr:${m[1]}#${m[2]}`);
  for (const m of text.matchAll(COMMIT_URL)) {
    refs.add(`sha:${m[2]!.toLowerCase()}`);
    refs.add(`ghc:${m[1]}@${m[2]!.toLowerCase()}`);
  }
  for (const m of text.replace(COMMIT_URL, ' ').matchAll(SHA)) refs.add(`sha:${m[1]!.toLowerCase()}`);
  const own = typeof item.attributes.key === 'string' ? item.attributes.key : item.number;
  for (const m of text.replace(PR_URL, ' ').matchAll(TICKET_KEY)) if (m[1] !== own) refs.add(`key:${m[1]}`);
  return [...refs].sort();
}

/** Ticket keys a pull request's title mentions ("KES-12: …"), for linking incidents to it. */
export function ticketKeys(text: string | null | undefined): string[] {
  return [...new Set([...(text ?? '').matchAll(TICKET_KEY)].map((m) => m[1]!))];
}

/** Who made each referenced change: `ref → person ids` (unknown refs map to nothing). */
export type CauseResolver = (ref: string) => readonly string[];

/**
 * What a work item adds up to, from the item and all its events. A pull request is done when merged
 * (credited to its author, in the merge week); an issue is done when its latest completion is not
 * followed by a reopen (credited to whoever the completion event names, in that week).
 */
export function computeItemFact(
  item: SignalItem,
  events: readonly SignalEvent[],
  isBot: IsBot,
  resolveCause: CauseResolver = () => [],
): ItemFact {
  const sorted = [...events].sort(
    (a, b) => (ms(a.occurred_at) ?? 0) - (ms(b.occurred_at) ?? 0) || a.id - b.id,
  );
  const fact: ItemFact = {
    source: item.source,
    source_id: item.source_id,
    kind: item.kind,
    person_id: null,
    week: null,
    done_at: null,
    project: item.project,
    done: false,
    storyPoints: 0,
    bugfix: isBugfix(item),
    reviews: 0,
    changesRequested: 0,
    coding_s: null,
    pickup_s: null,
    review_s: null,
  };
  if (isIncident(item)) {
    const raised = ms(item.opened_at) ?? ms(sorted[0]?.occurred_at);
    const causedBy = incidentCauses(item);
    fact.incident = true;
    fact.causedBy = causedBy;
    fact.incidentAt = iso(raised);
    fact.incidentWeek = raised === null ? null : weekOf(raised);
    fact.causePersons = [...new Set(causedBy.flatMap((r) => resolveCause(r)))].sort();
  }
  if (isBot(item.author_identity_id)) return fact;

  if (item.kind === 'pull_request') {
    const merged = sorted.find((e) => e.kind === 'pr_merged');
    const mergedAt = ms(merged?.occurred_at ?? item.merged_at);
    if (mergedAt === null || !item.person_id) return fact;
    const author = item.person_id;
    const reviews = sorted.filter(
      (e) =>
        e.kind === 'review_submitted' &&
        !isBot(e.actor_identity_id) &&
        !isSelfReview(e, author) &&
        !['dismissed', 'pending'].includes(String(e.attributes.state ?? '').toLowerCase()),
    );
    const opened = ms(sorted.find((e) => e.kind === 'pr_opened')?.occurred_at ?? item.opened_at);
    const firstReview = reviews.length > 0 ? ms(reviews[0]!.occurred_at) : null;
    // Ready for review: the last "ready" before the first review (a draft is not waiting for anyone).
    let ready = opened;
    for (const e of sorted) {
      if (e.kind !== 'pr_ready_for_review' && e.kind !== 'pr_ready') continue;
      const t = ms(e.occurred_at);
      if (t !== null && (firstReview === null || t <= firstReview)) ready = t;
    }
    const firstCommit = ms(item.attributes.firstCommitAt as string | undefined);
    Object.assign(fact, {
      person_id: author,
      done: true,
      done_at: iso(mergedAt),
      week: weekOf(mergedAt),
      reviews: reviews.length,
      changesRequested: reviews.filter(
        (e) => String(e.attributes.state).toLowerCase() === 'changes_requested',
      ).length,
      coding_s: firstCommit !== null && opened !== null ? Math.max(0, (opened - firstCommit) / 1000) : null,
      pickup_s: firstReview !== null && ready !== null ? Math.max(0, (firstReview - ready) / 1000) : null,
      review_s: firstReview !== null ? Math.max(0, (mergedAt - firstReview) / 1000) : null,
    });
    return fact;
  }

  // Issues and tickets: the latest completion/reopen decides.
  let last: SignalEvent | null = null;
  for (const e of sorted) {
    if (isCompletion(e) || e.kind === 'issue_reopened') last = e;
  }
  if (!last || !isCompletion(last) || !last.person_id || isBot(last.actor_identity_id)) return fact;
  const points = Number(last.attributes.storyPoints ?? item.attributes.storyPoints ?? 0);
  const sprints = Array.isArray(item.attributes.sprintIds) ? (item.attributes.sprintIds as unknown[]) : [];
  const sprint = sprints.length > 0 ? sprints[sprints.length - 1] : null;
  Object.assign(fact, {
    sprintId: typeof sprint === 'number' || typeof sprint === 'string' ? String(sprint) : null,
    person_id: last.person_id,
    done: true,
    done_at: iso(ms(last.occurred_at)),
    week: weekOf(last.occurred_at),
    storyPoints: Number.isFinite(points) ? points : 0,
  });
  return fact;
}

/** The rollup keys an item fact adds to its credited person's week. */
export function itemContributions(fact: ItemFact | null): Contribution[] {
  if (!fact) return [];
  const out: Contribution[] = [];
  if (fact.incident && fact.incidentWeek && fact.incidentAt)
    for (const personId of fact.causePersons ?? [])
      out.push({
        personId,
        week: fact.incidentWeek,
        metric: 'incidents_linked',
        value: 1,
        at: fact.incidentAt,
      });
  if (!fact.done || !fact.person_id || !fact.week) return out;
  const at = fact.done_at ?? `${fact.week}T00:00:00.000Z`;
  const add = (metric: string, value = 1): void => {
    if (value !== 0)
      out.push({ personId: fact.person_id as string, week: fact.week as string, metric, value, at });
  };
  add('items_done');
  if (fact.bugfix) add('bugfix_done');
  if (fact.kind === 'pull_request') {
    for (const stage of ['coding', 'pickup', 'review'] as const) {
      const v = fact[`${stage}_s`];
      if (v !== null) add(`${CYCLE_HISTOGRAM}${stage}:${cycleBucket(v)}`);
    }
    add('changes_requested_received', fact.changesRequested);
    if (fact.reviews === 0) add('prs_merged_unreviewed');
  } else {
    add('issues_completed');
    add('story_points', fact.storyPoints);
    if (fact.sprintId) {
      add(`${SPRINT_ISSUES}${fact.sprintId}`);
      add(`${SPRINT_POINTS}${fact.sprintId}`, fact.storyPoints);
    }
  }
  return out;
}

export { COMPLETION_KINDS };

/** The references an incident may use for a change (see incidentCauses), for finding incidents to recompute. */
export function changeRefs(
  kind: 'pr' | 'commit',
  source: string,
  sourceId: string,
  title?: string | null,
): string[] {
  if (kind === 'pr') return [`pr:${sourceId}`, ...ticketKeys(title).map((k) => `key:${k}`)];
  if (source === 'git') return [`sha:${sourceId.toLowerCase()}`];
  const m = /^commit:(.+)@([0-9a-f]{40})$/i.exec(sourceId);
  return m ? [`ghc:${m[1]}@${m[2]!.toLowerCase()}`] : [];
}

/** Sums contributions into `person|week|metric` → value (values that cancel to 0 are dropped). */
export function sumContributions(
  into: Map<string, number>,
  contributions: readonly Contribution[],
  sign: 1 | -1 = 1,
): Map<string, number> {
  for (const c of contributions) {
    const key = `${c.personId}|${c.week}|${c.metric}`;
    const v = (into.get(key) ?? 0) + sign * c.value;
    if (Math.abs(v) < 1e-9) into.delete(key);
    else into.set(key, v);
  }
  return into;
}
