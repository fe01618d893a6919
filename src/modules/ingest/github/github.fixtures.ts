import fs from 'node:fs';
import { createRequire } from 'node:module';
import { linkPaged, type FixtureRequest, type FixtureResponse } from '../remote/fixture-server.js';
import type {
  GhCommit,
  GhFile,
  GhIssue,
  GhIssueComment,
  GhIssueEvent,
  GhPullRequest,
  GhReview,
  GhReviewComment,
  GhUser,
} from './github.types.js';

/**
 * A recorded-shape GitHub repository for tests. Every object starts as a real payload object from
 * `@octokit/webhooks-examples` (the same schema the REST API answers with) and only the identifying
 * fields, people and times are changed, so the client and mappers see GitHub's full shapes.
 */

interface ExampleEvent {
  name: string;
  examples: Record<string, unknown>[];
}

export function loadWebhookExamples(): ExampleEvent[] {
  const require = createRequire(import.meta.url);
  const file = require.resolve('@octokit/webhooks-examples');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ExampleEvent[];
}

function example<T>(events: ExampleEvent[], name: string, pick: (e: Record<string, unknown>) => unknown): T {
  const event = events.find((e) => e.name === name);
  for (const e of event?.examples ?? []) {
    const v = pick(e);
    if (v) return structuredClone(v) as T;
  }
  throw new Error(`no ${name} example`);
}

export const REPO = 'kestrel/atlas';

export interface GithubDataset {
  repo: { full_name: string; private: boolean };
  users: Record<'alice' | 'bob' | 'carol' | 'dependabot', GhUser>;
  pulls: GhPullRequest[];
  commits: Map<number, GhCommit[]>;
  files: Map<number, GhFile[]>;
  reviews: Map<number, GhReview[]>;
  /** Event lists of pull requests (`/issues/{number}/events`). */
  events: Map<number, GhIssueEvent[]>;
  reviewComments: (GhReviewComment & { updated_at: string })[];
  issues: GhIssue[];
  issueComments: (GhIssueComment & { updated_at: string })[];
}

export function buildGithubDataset(): GithubDataset {
  const ex = loadWebhookExamples();
  const userTemplate = example<GhUser & Record<string, unknown>>(
    ex,
    'pull_request',
    (e) => (e.pull_request as { user: unknown }).user,
  );
  const user = (login: string, id: number, type = 'User'): GhUser =>
    ({
      ...userTemplate,
      login,
      id,
      node_id: `U_${id}`,
      type,
      url: `https://api.github.com/users/${encodeURIComponent(login)}`,
      html_url: `https://github.com/${encodeURIComponent(login)}`,
    }) as GhUser;
  const users = {
    alice: { ...user('alice-k', 5001), email: 'alice@kestrel.example' },
    bob: user('bobr', 5002),
    carol: user('carol-dev', 5003),
    dependabot: user('dependabot[bot]', 49699333, 'Bot'),
  };
  const prTemplate = example<GhPullRequest & Record<string, unknown>>(
    ex,
    'pull_request',
    (e) => e.action === 'closed' && e.pull_request,
  );
  const pr = (number: number, author: GhUser, o: Partial<GhPullRequest>): GhPullRequest =>
    ({
      ...prTemplate,
      number,
      id: 900000 + number,
      html_url: `https://github.com/${REPO}/pull/${number}`,
      url: `https://api.github.com/repos/${REPO}/pulls/${number}`,
      user: author,
      labels: [],
      draft: false,
      merged: o.merged_at != null,
      merged_by: o.merged_at ? users.alice : null,
      title: `Change ${number}`,
      state: 'closed',
      closed_at: null,
      merged_at: null,
      base: {
        ...(prTemplate.base as object),
        ref: 'main',
        repo: { ...(prTemplate.base?.repo as object), full_name: REPO },
      },
      ...o,
    }) as GhPullRequest;
  const pulls = [
    pr(1, users.alice, {
      created_at: '2026-01-02T10:00:00Z',
      updated_at: '2026-01-05T12:00:00Z',
      closed_at: '2026-01-05T12:00:00Z',
      merged_at: '2026-01-05T12:00:00Z',
      labels: [{ name: 'feature' }],
    }),
    pr(2, users.bob, {
      created_at: '2026-01-03T10:00:00Z',
      updated_at: '2026-01-06T09:00:00Z',
      closed_at: '2026-01-06T09:00:00Z',
    }),
    pr(3, users.dependabot, {
      created_at: '2026-01-04T08:00:00Z',
      updated_at: '2026-01-04T18:00:00Z',
      closed_at: '2026-01-04T18:00:00Z',
      merged_at: '2026-01-04T18:00:00Z',
      title: 'Bump lodash from 4.17.20 to 4.17.21',
    }),
    pr(5, users.carol, {
      state: 'open',
      draft: true,
      created_at: '2026-01-07T10:00:00Z',
      updated_at: '2026-01-09T10:00:00Z',
    }),
    pr(6, users.alice, {
      state: 'open',
      created_at: '2026-01-08T10:00:00Z',
      updated_at: '2026-01-08T11:00:00Z',
    }),
  ];
  for (const p of pulls) {
    p.additions = p.number * 10;
    p.deletions = p.number * 2;
    p.changed_files = 2;
  }
  const commitTemplate = {
    sha: '',
    node_id: 'C_x',
    commit: {
      author: null,
      committer: null,
      message: '',
      tree: { sha: '0'.repeat(40), url: '' },
      url: '',
      comment_count: 0,
    },
    url: '',
    html_url: '',
    comments_url: '',
    author: null,
    committer: null,
    parents: [],
  };
  const commit = (sha: string, who: GhUser, email: string, date: string, message: string): GhCommit =>
    ({
      ...structuredClone(commitTemplate),
      sha,
      commit: {
        ...commitTemplate.commit,
        message,
        author: { name: who.login, email, date },
        committer: { name: 'GitHub', email: 'noreply@github.com', date },
      },
      author: who,
      committer: who,
      parents: [{ sha: `${sha.slice(0, 39)}p`, url: '', html_url: '' }],
    }) as GhCommit;
  const commits = new Map<number, GhCommit[]>(
    pulls.map((p) => [
      p.number,
      [
        commit(
          `${p.number}a`.padEnd(40, '0'),
          p.user!,
          `${p.user!.id}+${p.user!.login}@users.noreply.github.com`,
          shift(p.created_at, -20),
          `Work on change ${p.number}`,
        ),
        commit(
          `${p.number}b`.padEnd(40, '0'),
          p.user!,
          `${p.user!.id}+${p.user!.login}@users.noreply.github.com`,
          shift(p.created_at, -2),
          `More on change ${p.number}\n\nCo-authored-by: Bob R <bob@kestrel.example>`,
        ),
      ],
    ]),
  );
  const fileEntry = (filename: string): GhFile =>
    ({ sha: 'f'.repeat(40), filename, status: 'modified', additions: 5, deletions: 1, changes: 6 }) as GhFile;
  const files = new Map<number, GhFile[]>(
    pulls.map((p) => [p.number, [fileEntry(`src/api/handler${p.number}.ts`), fileEntry('docs/README.md')]]),
  );
  const reviewTemplate = example<GhReview & Record<string, unknown>>(
    ex,
    'pull_request_review',
    (e) => e.action === 'submitted' && e.review,
  );
  const review = (
    id: number,
    number: number,
    who: GhUser,
    state: string,
    submitted_at: string | null,
  ): GhReview =>
    ({
      ...reviewTemplate,
      id,
      user: who,
      state,
      submitted_at,
      html_url: `https://github.com/${REPO}/pull/${number}#pullrequestreview-${id}`,
      pull_request_url: `https://api.github.com/repos/${REPO}/pulls/${number}`,
    }) as GhReview;
  const reviews = new Map<number, GhReview[]>([
    [
      1,
      [
        review(7001, 1, users.bob, 'COMMENTED', '2026-01-03T09:00:00Z'),
        review(7002, 1, users.bob, 'APPROVED', '2026-01-04T09:00:00Z'),
        review(7003, 1, users.carol, 'PENDING', null),
      ],
    ],
    [2, [review(7004, 2, users.alice, 'CHANGES_REQUESTED', '2026-01-04T10:00:00Z')]],
    [3, []],
    [5, [review(7005, 5, users.alice, 'CHANGES_REQUESTED', '2026-01-08T10:00:00Z')]],
    [6, [review(7006, 6, users.alice, 'COMMENTED', '2026-01-08T10:30:00Z')]],
  ]);
  // Issue events as GET /repos/{owner}/{repo}/issues/{number}/events answers them.
  const issueEvent = (
    id: number,
    event: string,
    actor: GhUser,
    created_at: string,
    extra: Record<string, unknown> = {},
  ): GhIssueEvent =>
    ({
      id,
      node_id: `${event === 'ready_for_review' ? 'RFRE' : 'IE'}_kwDOA${id}`,
      url: `https://api.github.com/repos/${REPO}/issues/events/${id}`,
      actor,
      event,
      commit_id: null,
      commit_url: null,
      created_at,
      performed_via_github_app: null,
      ...extra,
    }) as GhIssueEvent;
  const mergeSha = 'e'.repeat(40);
  const events = new Map<number, GhIssueEvent[]>([
    [
      1,
      [
        // Opened as a draft, marked ready, a reviewer requested, merged and closed: three pages.
        issueEvent(11001, 'ready_for_review', users.alice, '2026-01-02T15:00:00Z'),
        issueEvent(11002, 'review_requested', users.alice, '2026-01-02T15:00:05Z', {
          review_requester: users.alice,
          requested_reviewer: users.bob,
        }),
        issueEvent(11003, 'referenced', users.alice, '2026-01-04T10:00:00Z', {
          commit_id: mergeSha,
          commit_url: `https://api.github.com/repos/${REPO}/commits/${mergeSha}`,
        }),
        issueEvent(11004, 'merged', users.alice, '2026-01-05T12:00:00Z', {
          commit_id: mergeSha,
          commit_url: `https://api.github.com/repos/${REPO}/commits/${mergeSha}`,
        }),
        issueEvent(11005, 'closed', users.alice, '2026-01-05T12:00:00Z', {
          commit_id: mergeSha,
          commit_url: `https://api.github.com/repos/${REPO}/commits/${mergeSha}`,
        }),
      ],
    ],
    [2, [issueEvent(11006, 'closed', users.bob, '2026-01-06T09:00:00Z')]],
    [
      5,
      // Still a draft: marked ready once, then converted back — the ready moment stays a fact.
      [
        issueEvent(11007, 'ready_for_review', users.carol, '2026-01-07T16:00:00Z'),
        issueEvent(11008, 'convert_to_draft', users.carol, '2026-01-07T17:00:00Z'),
      ],
    ],
  ]);
  const rcTemplate = example<GhReviewComment & Record<string, unknown>>(
    ex,
    'pull_request_review_comment',
    (e) => e.action === 'created' && e.comment,
  );
  const reviewComment = (id: number, number: number, who: GhUser, at: string) =>
    ({
      ...rcTemplate,
      id,
      user: who,
      created_at: at,
      updated_at: at,
      path: `src/api/handler${number}.ts`,
      pull_request_url: `https://api.github.com/repos/${REPO}/pulls/${number}`,
      html_url: `https://github.com/${REPO}/pull/${number}#discussion_r${id}`,
    }) as GhReviewComment & { updated_at: string };
  const reviewComments = [
    reviewComment(8001, 1, users.bob, '2026-01-03T09:01:00Z'),
    reviewComment(8002, 5, users.alice, '2026-01-08T10:01:00Z'),
    reviewComment(8003, 5, users.alice, '2026-01-08T10:02:00Z'),
  ];
  const issueTemplate = example<GhIssue & Record<string, unknown>>(
    ex,
    'issues',
    (e) => e.action === 'opened' && e.issue,
  );
  const issue = (number: number, who: GhUser, o: Partial<GhIssue>): GhIssue =>
    ({
      ...issueTemplate,
      number,
      id: 600000 + number,
      user: who,
      title: `Issue ${number}`,
      html_url: `https://github.com/${REPO}/issues/${number}`,
      url: `https://api.github.com/repos/${REPO}/issues/${number}`,
      labels: [],
      state: 'open',
      closed_at: null,
      assignee: null,
      ...o,
    }) as GhIssue;
  const issues = [
    issue(4, users.bob, {
      state: 'closed',
      state_reason: 'completed',
      created_at: '2026-01-03T12:00:00Z',
      updated_at: '2026-01-05T15:00:00Z',
      closed_at: '2026-01-05T15:00:00Z',
      assignee: users.bob,
      labels: [{ name: 'bug' }],
    }),
    issue(7, users.carol, { created_at: '2026-01-09T12:00:00Z', updated_at: '2026-01-09T12:00:00Z' }),
    // GitHub's issue list includes pull requests; these must be skipped.
    issue(1, users.alice, {
      state: 'closed',
      created_at: '2026-01-02T10:00:00Z',
      updated_at: '2026-01-05T12:00:00Z',
      closed_at: '2026-01-05T12:00:00Z',
      pull_request: { url: `https://api.github.com/repos/${REPO}/pulls/1` },
    }),
    issue(2, users.bob, {
      state: 'closed',
      created_at: '2026-01-03T10:00:00Z',
      updated_at: '2026-01-06T09:00:00Z',
      closed_at: '2026-01-06T09:00:00Z',
      pull_request: { url: `https://api.github.com/repos/${REPO}/pulls/2` },
    }),
  ];
  const icTemplate = example<GhIssueComment & Record<string, unknown>>(
    ex,
    'issue_comment',
    (e) => e.action === 'created' && e.comment,
  );
  const issueComment = (id: number, number: number, who: GhUser, at: string) =>
    ({
      ...icTemplate,
      id,
      user: who,
      created_at: at,
      updated_at: at,
      issue_url: `https://api.github.com/repos/${REPO}/issues/${number}`,
      html_url: `https://github.com/${REPO}/issues/${number}#issuecomment-${id}`,
    }) as GhIssueComment & { updated_at: string };
  const issueComments = [
    issueComment(9001, 4, users.alice, '2026-01-04T12:00:00Z'),
    issueComment(9002, 1, users.bob, '2026-01-04T13:00:00Z'),
    issueComment(9003, 7, users.carol, '2026-01-09T13:00:00Z'),
  ];
  return {
    repo: { full_name: REPO, private: true },
    users,
    pulls,
    commits,
    files,
    reviews,
    events,
    reviewComments,
    issues,
    issueComments,
  };
}

function shift(iso: string, hours: number): string {
  return new Date(Date.parse(iso) + hours * 3600_000).toISOString().replace('.000Z', 'Z');
}

const PAGE_SIZE = 2;

function sinceFilter<T extends { updated_at: string }>(items: T[], since: string | null): T[] {
  const from = since ? Date.parse(since) : -Infinity;
  return items
    .filter((i) => Date.parse(i.updated_at) >= from)
    .sort((a, b) => Date.parse(a.updated_at) - Date.parse(b.updated_at));
}

/** Serves the dataset the way GitHub's REST API does, under `prefix` (e.g. /api/v3 for Enterprise). */
export function githubHandler(data: GithubDataset, base: () => string, prefix = '') {
  return (req: FixtureRequest): FixtureResponse | undefined => {
    if (!req.url.pathname.startsWith(prefix)) return undefined;
    const path = req.url.pathname.slice(prefix.length);
    const since = req.url.searchParams.get('since');
    const root = `/repos/${REPO}`;
    if (path === root) return { body: data.repo };
    if (path === `${root}/pulls`) {
      const sorted = [...data.pulls].sort((a, b) => Date.parse(b.updated_at) - Date.parse(a.updated_at));
      // The list shape has no size fields.
      const listed = sorted.map(
        ({ additions: _a, deletions: _d, changed_files: _c, commits: _n, ...rest }) => rest,
      );
      return linkPaged(req, base(), listed, PAGE_SIZE);
    }
    if (path === `${root}/pulls/comments`)
      return linkPaged(req, base(), sinceFilter(data.reviewComments, since), PAGE_SIZE);
    if (path === `${root}/issues`)
      return linkPaged(
        req,
        base(),
        sinceFilter(data.issues as (GhIssue & { updated_at: string })[], since),
        PAGE_SIZE,
      );
    if (path === `${root}/issues/comments`)
      return linkPaged(req, base(), sinceFilter(data.issueComments, since), PAGE_SIZE);
    const e = /^\/repos\/kestrel\/atlas\/issues\/(\d+)\/events$/.exec(path);
    if (e) {
      const n = Number(e[1]);
      const known =
        data.pulls.some((p) => p.number === n) || data.issues.some((i) => i.number === n && !i.pull_request);
      if (!known)
        return {
          status: 404,
          body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' },
        };
      return linkPaged(req, base(), data.events.get(n) ?? [], PAGE_SIZE);
    }
    const m = /^\/repos\/kestrel\/atlas\/pulls\/(\d+)(?:\/(commits|files|reviews))?$/.exec(path);
    if (m) {
      const n = Number(m[1]);
      const pull = data.pulls.find((p) => p.number === n);
      if (!pull)
        return {
          status: 404,
          body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' },
        };
      if (!m[2]) return { body: pull };
      const list: unknown[] | undefined =
        m[2] === 'commits' ? data.commits.get(n) : m[2] === 'files' ? data.files.get(n) : data.reviews.get(n);
      return linkPaged(req, base(), list ?? [], PAGE_SIZE);
    }
    return { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } };
  };
}
