import crypto from 'node:crypto';
import type { SeededRandom } from '../../demo/demo.random.js';
import type {
  GhPullRequest,
  GhPushCommit,
  GhReview,
  GhReviewComment,
  GhUser,
} from '../github/github.types.js';
import { activityOn, DAY_MS, officeHours, WINDOW_DAYS, type DemoEngineer } from './demo-work.people.js';

/**
 * Pull requests of the demo's engineering teams, in GitHub's payload shapes (as the REST backfill
 * and the push webhook deliver them), with their commits, reviews and review comments. Times past
 * the reference moment never happen: such pull requests are still open, drafts or awaiting review.
 */

export interface DemoPullRequest {
  repo: string;
  author: DemoEngineer | null;
  pr: GhPullRequest;
  commits: GhPushCommit[];
  reviews: GhReview[];
  reviewComments: GhReviewComment[];
  /** When a draft was marked ready for review. */
  readyAt: string | null;
  firstCommitAt: string;
  isBot: boolean;
  isRevert: boolean;
}

export const DEPENDABOT: GhUser = { login: 'dependabot[bot]', id: 49699333, type: 'Bot' };

const VERBS = [
  'Add',
  'Fix',
  'Refactor',
  'Speed up',
  'Clean up',
  'Harden',
  'Document',
  'Remove',
  'Extract',
  'Retry',
];
const NOUNS = [
  'pagination',
  'error handling',
  'cache layer',
  'timeouts',
  'metrics',
  'flaky test',
  'config loading',
  'rate limiter',
  'logging',
  'validation',
  'feature flag',
  'migration',
];

export function ghUser(e: DemoEngineer): GhUser {
  return { login: e.login, id: e.githubId, type: 'User', email: e.githubEmail, name: e.name };
}

function iso(ms: number): string {
  return new Date(Math.round(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function sha(...parts: (string | number)[]): string {
  return crypto.createHash('sha1').update(parts.join(':')).digest('hex');
}

/** Log-normal with the given median and spread (σ of the log). */
function logNormal(rng: SeededRandom, median: number, sigma: number): number {
  const u = Math.max(1e-9, rng.next());
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
  return median * Math.exp(sigma * z);
}

interface Context {
  rng: SeededRandom;
  windowStart: number;
  now: number;
  engineers: DemoEngineer[];
  numbers: Map<string, number>;
}

function nextNumber(ctx: Context, repo: string): number {
  const n = (ctx.numbers.get(repo) ?? 0) + 1;
  ctx.numbers.set(repo, n);
  return n;
}

function pickReviewer(
  ctx: Context,
  author: DemoEngineer,
  day: number,
  exclude: Set<string>,
): DemoEngineer | null {
  const crossTeam = ctx.rng.chance(0.18);
  const pool = ctx.engineers.filter(
    (e) =>
      e !== author &&
      !exclude.has(e.email) &&
      (crossTeam ? e.team !== author.team : e.team === author.team) &&
      activityOn(e, day, ctx.windowStart) > 0.05,
  );
  if (pool.length === 0) return null;
  // Seniors and managers review more: weight by pace plus a manager bonus.
  return pool[ctx.rng.weighted(pool.map((e) => (e.isManager ? 1.4 : e.pace)))]!;
}

function pushCommit(
  ctx: Context,
  repo: string,
  who: DemoEngineer,
  at: number,
  message: string,
  files: string[],
  id: string,
): GhPushCommit {
  return {
    id,
    tree_id: sha('tree', id),
    distinct: true,
    message,
    timestamp: iso(at),
    url: `https://github.com/${repo}/commit/${id}`,
    author: { name: who.name, email: who.commitEmail, username: who.login },
    committer: { name: who.name, email: who.commitEmail, username: who.login },
    added: [],
    removed: [],
    modified: files,
  } as GhPushCommit;
}

/** One pull request by `author`, its first commit on `day`. */
function pullRequest(
  ctx: Context,
  author: DemoEngineer,
  day: number,
  revertOf?: DemoPullRequest,
): DemoPullRequest | null {
  const { rng } = ctx;
  const team = author.team;
  const repo = team.repo;
  const number = nextNumber(ctx, repo);
  const hours = officeHours(team.office);
  const firstCommit = ctx.windowStart + day * DAY_MS + (hours.start + rng.next() * hours.length) * 3600_000;
  const title = revertOf
    ? `Revert "${revertOf.pr.title}"`
    : `${rng.pick(VERBS)} ${rng.pick(NOUNS)} in ${rng.pick(team.paths).split('/').slice(-2, -1)[0]}`;
  const files = revertOf
    ? [...(revertOf.commits[0]?.modified ?? [])]
    : rng.shuffle(team.paths).slice(0, rng.int(1, 4));
  const additions = revertOf
    ? (revertOf.pr.deletions ?? 10)
    : Math.max(1, Math.min(2500, Math.round(logNormal(rng, 90, 1.0))));
  const deletions = revertOf
    ? (revertOf.pr.additions ?? 10)
    : Math.round(additions * (0.1 + rng.next() * 0.6));
  const newcomer = day - author.hire < 100;
  const opened = firstCommit + (revertOf ? 0.3 : Math.min(120, logNormal(rng, 8, 1.1))) * 3600_000;
  if (opened > ctx.now) return null;
  const draft = !revertOf && rng.chance(0.1);
  const readyAt = draft ? opened + (4 + rng.next() * 44) * 3600_000 : null;

  const commits: GhPushCommit[] = [];
  const nCommits = revertOf ? 1 : rng.int(1, 3);
  for (let i = 0; i < nCommits; i++) {
    const at = i === 0 ? firstCommit : firstCommit + (opened - firstCommit) * (i / nCommits);
    const pair = !revertOf && i === 0 && rng.chance(0.12) ? pickReviewer(ctx, author, day, new Set()) : null;
    const message =
      i === 0
        ? revertOf
          ? `Revert "${revertOf.pr.title}"\n\nThis reverts commit ${revertOf.commits[0]?.id}.`
          : title
        : rng.pick(['Address edge cases', 'Add tests', 'Tidy up', 'Handle empty input']);
    commits.push(
      pushCommit(
        ctx,
        repo,
        author,
        at,
        pair ? `${message}\n\nCo-authored-by: ${pair.name} <${pair.commitEmail}>` : message,
        files,
        sha(repo, number, i),
      ),
    );
  }

  const reviews: GhReview[] = [];
  const reviewComments: GhReviewComment[] = [];
  let reviewId = Number.parseInt(sha('r', repo, number).slice(0, 8), 16);
  const review = (who: DemoEngineer, state: string, at: number, comments: number) => {
    if (at > ctx.now) return false;
    const id = reviewId++;
    reviews.push({
      id,
      user: ghUser(who),
      state,
      submitted_at: iso(at),
      html_url: `https://github.com/${repo}/pull/${number}#pullrequestreview-${id}`,
      commit_id: commits[commits.length - 1]!.id,
    });
    for (let c = 0; c < comments; c++) {
      const cid = id * 10 + c;
      reviewComments.push({
        id: cid,
        user: ghUser(who),
        created_at: iso(at - (comments - c) * 60_000),
        pull_request_review_id: id,
        pull_request_url: `https://api.github.com/repos/${repo}/pulls/${number}`,
        path: rng.pick(files),
      } as GhReviewComment);
    }
    return true;
  };

  const readyFrom = readyAt ?? opened;
  let mergedAt: number | null = null;
  let closedAt: number | null = null;
  const reviewer = pickReviewer(ctx, author, day, new Set());
  if (reviewer) {
    const first = readyFrom + Math.max(0.2, logNormal(rng, team.pickupHours, 0.9)) * 3600_000;
    const requestChanges = !revertOf && rng.chance(newcomer ? 0.35 : 0.14);
    const commentFirst = !requestChanges && !revertOf && rng.chance(0.25);
    let approvedAt: number | null = null;
    if (requestChanges || commentFirst) {
      if (review(reviewer, requestChanges ? 'CHANGES_REQUESTED' : 'COMMENTED', first, rng.int(1, 3))) {
        const fix = first + (2 + rng.next() * 26) * 3600_000;
        if (fix <= ctx.now)
          commits.push(
            pushCommit(ctx, repo, author, fix, 'Address review comments', files, sha(repo, number, 'fix')),
          );
        const second = rng.chance(0.3)
          ? (pickReviewer(ctx, author, day, new Set([reviewer.email])) ?? reviewer)
          : reviewer;
        const again = fix + Math.max(0.3, logNormal(rng, team.pickupHours / 2, 0.8)) * 3600_000;
        if (review(second, 'APPROVED', again, rng.chance(0.2) ? 1 : 0)) approvedAt = again;
      }
    } else if (review(reviewer, 'APPROVED', first, rng.chance(0.25) ? 1 : 0)) {
      approvedAt = first;
    }
    if (approvedAt !== null) {
      const end = approvedAt + (0.1 + logNormal(rng, 2, 1.2)) * 3600_000;
      if (end <= ctx.now) {
        if (!revertOf && rng.chance(0.05)) closedAt = end;
        else mergedAt = end;
      }
    }
  }
  const last = Math.max(
    ...[
      opened,
      readyAt ?? 0,
      mergedAt ?? 0,
      closedAt ?? 0,
      ...reviews.map((r) => Date.parse(r.submitted_at!)),
    ],
  );
  const pr: GhPullRequest = {
    number,
    title,
    state: mergedAt !== null || closedAt !== null ? 'closed' : 'open',
    draft: draft && (readyAt === null || readyAt > ctx.now),
    merged: mergedAt !== null,
    html_url: `https://github.com/${repo}/pull/${number}`,
    user: ghUser(author),
    created_at: iso(opened),
    updated_at: iso(Math.min(last, ctx.now)),
    closed_at: mergedAt !== null ? iso(mergedAt) : closedAt !== null ? iso(closedAt) : null,
    merged_at: mergedAt !== null ? iso(mergedAt) : null,
    merged_by: mergedAt !== null ? ghUser(author) : null,
    labels: revertOf
      ? [{ name: 'revert' }]
      : rng.chance(0.3)
        ? [{ name: rng.pick(['bug', 'feature', 'tech-debt', 'security']) }]
        : [],
    base: { ref: 'main', repo: { full_name: repo } },
    head: { ref: `${author.login}/${number}` },
    additions,
    deletions,
    changed_files: files.length,
    commits: commits.length,
  };
  return {
    repo,
    author,
    pr,
    commits,
    reviews,
    reviewComments,
    readyAt: readyAt !== null && readyAt <= ctx.now ? iso(readyAt) : null,
    firstCommitAt: iso(firstCommit),
    isBot: false,
    isRevert: revertOf !== undefined,
  };
}

function botPullRequest(
  ctx: Context,
  repo: string,
  day: number,
  team: DemoEngineer[],
): DemoPullRequest | null {
  const { rng } = ctx;
  const number = nextNumber(ctx, repo);
  const opened = ctx.windowStart + day * DAY_MS + 6 * 3600_000;
  const pkg = rng.pick([
    'lodash',
    'axios',
    'express',
    'pg',
    'typescript',
    'eslint',
    'react',
    'urllib3',
    'requests',
    'terraform-provider-aws',
  ]);
  const title = `Bump ${pkg} from 1.${rng.int(0, 9)}.${rng.int(0, 9)} to 1.${rng.int(10, 19)}.0`;
  const reviewer = team.filter((e) => activityOn(e, day, ctx.windowStart) > 0.1);
  const who = reviewer.length ? rng.pick(reviewer) : null;
  const reviews: GhReview[] = [];
  let merged: number | null = null;
  let closed: number | null = null;
  if (who) {
    const at = opened + rng.int(2, 72) * 3600_000;
    if (at <= ctx.now) {
      if (rng.chance(0.15)) closed = at;
      else {
        const id = Number.parseInt(sha('bot', repo, number).slice(0, 8), 16);
        reviews.push({
          id,
          user: ghUser(who),
          state: 'APPROVED',
          submitted_at: iso(at),
          commit_id: sha(repo, number, 0),
        });
        if (at + 600_000 <= ctx.now) merged = at + 600_000;
      }
    }
  }
  const files = ['package-lock.json'];
  const commit: GhPushCommit = {
    id: sha(repo, number, 0),
    message: `${title}\n\nSigned-off-by: dependabot[bot] <support@github.com>`,
    timestamp: iso(opened - 60_000),
    author: {
      name: 'dependabot[bot]',
      email: '49699333+dependabot[bot]@users.noreply.github.com',
      username: 'dependabot[bot]',
    },
    modified: files,
  };
  return {
    repo,
    author: null,
    pr: {
      number,
      title,
      state: merged !== null || closed !== null ? 'closed' : 'open',
      draft: false,
      html_url: `https://github.com/${repo}/pull/${number}`,
      user: DEPENDABOT,
      created_at: iso(opened),
      updated_at: iso(Math.min(ctx.now, merged ?? closed ?? opened)),
      closed_at: merged !== null ? iso(merged) : closed !== null ? iso(closed) : null,
      merged_at: merged !== null ? iso(merged) : null,
      merged_by: merged !== null && who ? ghUser(who) : null,
      labels: [{ name: 'dependencies' }],
      base: { ref: 'main', repo: { full_name: repo } },
      head: { ref: `dependabot/npm_and_yarn/${pkg}` },
      additions: rng.int(3, 60),
      deletions: rng.int(3, 60),
      changed_files: 1,
      commits: 1,
    },
    commits: [commit],
    reviews,
    reviewComments: [],
    readyAt: null,
    firstCommitAt: commit.timestamp,
    isBot: true,
    isRevert: false,
  };
}

/** Every pull request of the window, in the order they were opened. `prPerDay` is a busy engineer's daily rate. */
export function generatePullRequests(
  rng: SeededRandom,
  engineers: DemoEngineer[],
  windowStart: number,
  now: number,
  prPerDay: number,
): DemoPullRequest[] {
  const ctx: Context = { rng, windowStart, now, engineers, numbers: new Map() };
  const out: DemoPullRequest[] = [];
  const lastDay = Math.floor((now - windowStart) / DAY_MS);
  const teams = [...new Set(engineers.map((e) => e.team))];
  const reverts = new Set([Math.floor(WINDOW_DAYS * 0.35), Math.floor(WINDOW_DAYS * 0.8)]);
  // The reference day itself has not happened yet: work stops the evening before.
  for (let day = 0; day < lastDay; day++) {
    for (const e of engineers) {
      const f = activityOn(e, day, windowStart);
      if (f > 0 && rng.chance(Math.min(0.95, f * prPerDay))) {
        const pr = pullRequest(ctx, e, day);
        if (pr) out.push(pr);
      }
    }
    for (const team of teams) {
      if (day % 9 === teams.indexOf(team) % 9) {
        const pr = botPullRequest(
          ctx,
          team.repo,
          day,
          engineers.filter((x) => x.team === team),
        );
        if (pr) out.push(pr);
      }
    }
    if (reverts.has(day)) {
      // A merged change from the last fortnight turns out to be broken and is reverted.
      const candidates = out.filter(
        (p) =>
          p.author &&
          p.pr.merged_at &&
          Date.parse(p.pr.merged_at) < windowStart + day * DAY_MS &&
          Date.parse(p.pr.merged_at) > windowStart + (day - 14) * DAY_MS,
      );
      const victim = candidates.length ? rng.pick(candidates) : undefined;
      const revert = victim?.author ? pullRequest(ctx, victim.author, day, victim) : null;
      if (revert) out.push(revert);
    }
  }
  return out;
}
