import type { DemoPersonRecord } from '../../demo/demo.generator.js';
import { SeededRandom } from '../../demo/demo.random.js';
import type { GhCommit, GhFile } from '../github/github.types.js';
import {
  mapGithubWebhook,
  mapPullRequestItem,
  mapPullRequestLifecycle,
  mapPushCommit,
  mapReview,
  mapReviewComment,
} from '../github/github.mapper.js';
import { mapJiraIssue, mapJiraSprint } from '../jira/jira.mapper.js';
import type { RawRecord } from '../remote/remote-batch.js';
import { emptyDraft, type WorkDraft } from '../remote/work-drafts.js';
import { generatePullRequests, type DemoPullRequest } from './demo-work.github.js';
import {
  DEMO_STATUS_CATEGORIES,
  DEMO_STORY_POINTS_FIELD,
  generateJiraIssues,
  generateSprints,
  type DemoJiraIssue,
  type DemoSprint,
} from './demo-work.jira.js';
import {
  DAY_MS,
  fillActivity,
  patternsOf,
  planEngineers,
  WINDOW_DAYS,
  type ActivityPattern,
  type DemoEngineer,
} from './demo-work.people.js';

/** The demo's 18 months of engineering work, as GitHub and Jira would hand it over. */
export interface DemoWork {
  windowStart: string;
  engineers: DemoEngineer[];
  patterns: ActivityPattern[];
  pullRequests: DemoPullRequest[];
  issues: DemoJiraIssue[];
  sprints: DemoSprint[];
}

export interface DemoWorkOptions {
  /** A busy engineer's chance of starting a pull request on a working day. */
  prPerDay?: number;
}

/** Same seed, people and reference day → the same work, to the second. */
export function generateDemoWork(
  seed: number,
  referenceDate: string,
  people: DemoPersonRecord[],
  options: DemoWorkOptions = {},
): DemoWork {
  const rng = new SeededRandom(seed ^ 0x5eed_3);
  const now = Date.parse(`${referenceDate}T00:00:00Z`);
  const windowStart = now - WINDOW_DAYS * DAY_MS;
  const engineers = planEngineers(people, windowStart, rng);
  fillActivity(engineers, windowStart, WINDOW_DAYS);
  const pullRequests = generatePullRequests(rng, engineers, windowStart, now, options.prPerDay ?? 0.13);
  const sprints = generateSprints(windowStart, now);
  const issues = generateJiraIssues(rng, pullRequests, engineers, sprints, windowStart, now);
  return {
    windowStart: new Date(windowStart).toISOString().slice(0, 10),
    engineers,
    patterns: patternsOf(engineers, windowStart),
    pullRequests,
    issues,
    sprints,
  };
}

/** A month's worth of work as drafts from the connectors' own mappers, with the payloads they came from. */
export interface DemoWorkChunk {
  month: string;
  draft: WorkDraft;
  raw: RawRecord[];
}

function restCommits(p: DemoPullRequest): GhCommit[] {
  return p.commits.map((c) => ({
    sha: c.id,
    commit: {
      message: c.message,
      author: { name: c.author.name, email: c.author.email ?? undefined, date: c.timestamp },
      committer: { name: c.author.name, email: c.author.email ?? undefined, date: c.timestamp },
    },
    author: p.pr.user,
  }));
}

function pullRequestDraft(p: DemoPullRequest, draft: WorkDraft): void {
  const files: GhFile[] = [...new Set(p.commits.flatMap((c) => c.modified ?? []))].map((filename) => ({
    filename,
  }));
  const item = mapPullRequestItem(p.repo, p.pr, { commits: restCommits(p), files });
  draft.items.push(item);
  draft.events.push(...mapPullRequestLifecycle(item, p.pr));
  if (p.readyAt) {
    const ready = mapGithubWebhook('pull_request', {
      action: 'ready_for_review',
      pull_request: { ...p.pr, draft: false, updated_at: p.readyAt },
      repository: { full_name: p.repo },
      sender: p.pr.user,
    });
    draft.events.push(...ready.events);
  }
  for (const r of p.reviews) {
    const e = mapReview(p.repo, p.pr.number, r, item.author);
    if (e) draft.events.push(e);
  }
  for (const c of p.reviewComments) draft.events.push(mapReviewComment(p.repo, c));
  for (const c of p.commits)
    draft.events.push(...mapPushCommit(p.repo, c, `refs/heads/${p.pr.head?.ref ?? 'main'}`));
}

/** The work split by calendar month of its start, oldest first (the unit the demo loader resumes by). */
export function demoWorkChunks(work: DemoWork, keepRaw = false): DemoWorkChunk[] {
  const chunks = new Map<string, DemoWorkChunk>();
  const chunk = (at: string) => {
    const month = at.slice(0, 7);
    let c = chunks.get(month);
    if (!c) chunks.set(month, (c = { month, draft: emptyDraft(), raw: [] }));
    return c;
  };
  for (const s of work.sprints) {
    const c = chunk(s.sprint.startDate!);
    c.draft.events.push(...mapJiraSprint(s.project, s.sprint));
    if (keepRaw)
      c.raw.push({ source: 'jira', kind: 'sprint', sourceId: `sprint:${s.sprint.id}`, payload: s.sprint });
  }
  for (const p of work.pullRequests) {
    const c = chunk(p.firstCommitAt);
    pullRequestDraft(p, c.draft);
    if (keepRaw)
      c.raw.push({
        source: 'github',
        kind: 'pull_request',
        sourceId: `${p.repo}#${p.pr.number}`,
        payload: p,
      });
  }
  for (const i of work.issues) {
    const c = chunk(i.issue.fields.created);
    const d = mapJiraIssue(i.issue, i.histories, {
      storyPointsField: DEMO_STORY_POINTS_FIELD,
      statusCategories: DEMO_STATUS_CATEGORIES,
    });
    c.draft.items.push(...d.items);
    c.draft.events.push(...d.events);
    if (keepRaw) c.raw.push({ source: 'jira', kind: 'issue', sourceId: i.issue.id, payload: i });
  }
  return [...chunks.values()].sort((a, b) => a.month.localeCompare(b.month));
}
