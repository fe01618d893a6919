import {
  areasOf,
  emptyDraft,
  MappingError,
  requireDate,
  toDate,
  type EventDraft,
  type IdentityRef,
  type ItemDraft,
  type WorkDraft,
} from '../remote/work-drafts.js';
import type {
  GhCommit,
  GhFile,
  GhIssue,
  GhIssueComment,
  GhIssueEvent,
  GhPullRequest,
  GhPushCommit,
  GhReview,
  GhReviewComment,
  GhUser,
} from './github.types.js';

/**
 * GitHub payloads → work items and events. REST (backfill) and webhook shapes map to the same
 * source ids, so a fact seen by both is stored once.
 */

/** A GitHub account as an identity: numeric id first (logins can be renamed), login, e-mail when public. */
export function githubIdentity(user: GhUser | null | undefined): IdentityRef | null {
  if (!user || typeof user.id !== 'number' || typeof user.login !== 'string') return null;
  return {
    source: 'github',
    externalId: String(user.id),
    login: user.login,
    email: user.email ?? null,
    displayName: user.name ?? null,
    isBot: user.type === 'Bot' || /\[bot\]$/i.test(user.login),
  };
}

/** A commit author as git names them (e-mail is the key, as in the git connector). */
export function gitIdentity(
  name: string | null | undefined,
  email: string | null | undefined,
  login?: string | null,
): IdentityRef | null {
  if (!email) return null;
  return {
    source: 'git',
    externalId: email.toLowerCase(),
    email: email.toLowerCase(),
    displayName: name ?? null,
    login: login ?? null,
    isBot: /\[bot\]/i.test(name ?? '') || /\[bot\]@users\.noreply\.github\.com$/i.test(email),
  };
}

const CO_AUTHOR = /^co-authored-by:\s*(.+?)\s*<([^>]+)>\s*$/gim;

/** `Co-authored-by: Name <e-mail>` trailers of a commit message. */
export function coAuthorsOf(message: string): { name: string; email: string }[] {
  const out: { name: string; email: string }[] = [];
  for (const m of message.matchAll(CO_AUTHOR)) out.push({ name: m[1]!, email: m[2]!.toLowerCase() });
  return out;
}

export function pullRequestId(repo: string, number: number): string {
  return `${repo}#${number}`;
}

function labelNames(labels: (string | { name: string })[] | undefined): string[] {
  return (labels ?? []).map((l) => (typeof l === 'string' ? l : l.name)).filter(Boolean);
}

function checkRepo(repo: unknown): string {
  if (typeof repo !== 'string' || !/^[^/\s]+\/[^/\s]+$/.test(repo)) {
    throw new MappingError('repository.full_name', `expected OWNER/NAME, got ${JSON.stringify(repo)}`);
  }
  return repo;
}

export interface PullRequestDetails {
  commits?: GhCommit[];
  files?: GhFile[];
}

/** The work item of a pull request (REST or webhook shape), with commits and files when fetched. */
export function mapPullRequestItem(
  repoName: string,
  pr: GhPullRequest,
  details: PullRequestDetails = {},
): ItemDraft {
  const repo = checkRepo(repoName);
  if (typeof pr?.number !== 'number') throw new MappingError('pull_request.number', 'missing');
  const merged = pr.merged_at !== null && pr.merged_at !== undefined;
  const firstCommitAt = firstCommitTime(details.commits);
  const files = details.files?.map((f) => f.filename);
  return {
    source: 'github',
    sourceId: pullRequestId(repo, pr.number),
    kind: 'pull_request',
    project: repo,
    key: `#${pr.number}`,
    title: String(pr.title ?? ''),
    state: merged ? 'merged' : pr.state,
    url: pr.html_url ?? null,
    author: githubIdentity(pr.user),
    createdAt: requireDate(pr.created_at, 'pull_request.created_at'),
    updatedAt: requireDate(pr.updated_at, 'pull_request.updated_at'),
    closedAt: toDate(pr.closed_at),
    mergedAt: toDate(pr.merged_at),
    attributes: {
      draft: pr.draft ?? false,
      labels: labelNames(pr.labels),
      baseBranch: pr.base?.ref,
      headBranch: pr.head?.ref,
      ...(pr.additions !== undefined ? { additions: pr.additions } : {}),
      ...(pr.deletions !== undefined ? { deletions: pr.deletions } : {}),
      ...(pr.changed_files !== undefined ? { changedFiles: pr.changed_files } : {}),
      ...(firstCommitAt ? { firstCommitAt } : {}),
      ...(files ? { files, areas: areasOf(files) } : {}),
    },
  };
}

/** The earliest authored commit of a pull request (ISO), or null. */
export function firstCommitTime(commits: GhCommit[] | undefined): string | null {
  let first: number | null = null;
  for (const c of commits ?? []) {
    const t = toDate(c.commit?.author?.date ?? c.commit?.committer?.date)?.getTime();
    if (t !== undefined && (first === null || t < first)) first = t;
  }
  return first === null ? null : new Date(first).toISOString();
}

/** Lifecycle events a pull request's current state proves: opened, merged or closed. */
export function mapPullRequestLifecycle(item: ItemDraft, pr: GhPullRequest): EventDraft[] {
  const base = { source: 'github' as const, project: item.project, itemSourceId: item.sourceId };
  const attrs = { number: pr.number, draft: pr.draft ?? false };
  const events: EventDraft[] = [
    {
      ...base,
      sourceId: `${item.sourceId}:opened`,
      kind: 'pr_opened',
      occurredAt: item.createdAt,
      actor: item.author,
      attributes: attrs,
    },
  ];
  if (item.mergedAt) {
    events.push({
      ...base,
      sourceId: `${item.sourceId}:merged`,
      kind: 'pr_merged',
      occurredAt: item.mergedAt,
      actor: item.author,
      attributes: { ...attrs, mergedBy: githubIdentity(pr.merged_by)?.login ?? null },
    });
  } else if (item.closedAt) {
    events.push({
      ...base,
      sourceId: `${item.sourceId}:closed:${item.closedAt.toISOString()}`,
      kind: 'pr_closed',
      occurredAt: item.closedAt,
      actor: null,
      attributes: attrs,
    });
  }
  return events;
}

/**
 * A draft marked ready for review, from the pull request's event list. The source id is the one the
 * `pull_request` webhook (action `ready_for_review`) gives, so a fact seen by both is stored once.
 */
export function mapReadyForReview(item: ItemDraft, event: GhIssueEvent, prNumber: number): EventDraft {
  const at = requireDate(event.created_at, 'event.created_at');
  return {
    source: 'github',
    sourceId: `${item.sourceId}:ready:${at.toISOString()}`,
    kind: 'pr_ready',
    occurredAt: at,
    actor: githubIdentity(event.actor),
    project: item.project,
    itemSourceId: item.sourceId,
    attributes: { number: prNumber, draft: false },
  };
}

/**
 * A pull request's commit (from its commit list) as a `commit` event keyed like a pushed commit
 * (`commit:OWNER/NAME@sha`), so a commit seen in a push and in a pull request counts once; the
 * author by e-mail (with the GitHub login when GitHub knows it) and one `commit_coauthored` per
 * `Co-authored-by:` trailer. `first` marks the pull request's earliest commit (coding time starts there).
 */
export function mapPullRequestCommit(
  repoName: string,
  prNumber: number,
  commit: GhCommit,
  first: boolean,
): EventDraft[] {
  const repo = checkRepo(repoName);
  if (typeof commit?.sha !== 'string' || !commit.sha) throw new MappingError('commit.sha', 'missing');
  const message = commit.commit?.message ?? '';
  const occurredAt = requireDate(
    commit.commit?.author?.date ?? commit.commit?.committer?.date,
    'commit.commit.author.date',
  );
  const coAuthors = coAuthorsOf(message);
  const sourceId = `commit:${repo}@${commit.sha}`;
  const itemSourceId = pullRequestId(repo, prNumber);
  const base = { source: 'github' as const, occurredAt, project: repo, itemSourceId };
  return [
    {
      ...base,
      sourceId,
      kind: 'commit',
      actor: gitIdentity(commit.commit?.author?.name, commit.commit?.author?.email, commit.author?.login),
      attributes: {
        sha: commit.sha,
        pullRequest: prNumber,
        firstOfPullRequest: first,
        coAuthors: coAuthors.map((c) => c.email),
        merge: (commit.parents?.length ?? 1) > 1,
        revert: /^Revert "/.test(message),
      },
    },
    ...coAuthors.map((c) => ({
      ...base,
      sourceId: `${sourceId}/co/${c.email}`,
      kind: 'commit_coauthored' as const,
      actor: gitIdentity(c.name, c.email),
      attributes: { sha: commit.sha, pullRequest: prNumber },
    })),
  ];
}

/** A submitted review with its state (approved / changes_requested / commented / dismissed). Pending reviews are not events. */
export function mapReview(
  repo: string,
  prNumber: number,
  review: GhReview,
  prAuthor: IdentityRef | null,
): EventDraft | null {
  const state = String(review.state ?? '').toLowerCase();
  if (state === 'pending' || !review.submitted_at) return null;
  const reviewer = githubIdentity(review.user);
  return {
    source: 'github',
    sourceId: `review:${review.id}`,
    kind: 'review_submitted',
    occurredAt: requireDate(review.submitted_at, 'review.submitted_at'),
    actor: reviewer,
    project: repo,
    itemSourceId: pullRequestId(repo, prNumber),
    attributes: {
      state,
      number: prNumber,
      selfReview: reviewer !== null && prAuthor !== null && reviewer.externalId === prAuthor.externalId,
    },
  };
}

function numberFromUrl(url: string, field: string): number {
  const m = /\/(\d+)$/.exec(url ?? '');
  if (!m) throw new MappingError(field, `cannot read the number from ${JSON.stringify(url)}`);
  return Number(m[1]);
}

export function mapReviewComment(repo: string, comment: GhReviewComment): EventDraft {
  const number = numberFromUrl(comment.pull_request_url, 'comment.pull_request_url');
  return {
    source: 'github',
    sourceId: `review-comment:${comment.id}`,
    kind: 'review_comment',
    occurredAt: requireDate(comment.created_at, 'comment.created_at'),
    actor: githubIdentity(comment.user),
    project: repo,
    itemSourceId: pullRequestId(repo, number),
    attributes: { number, path: comment.path ?? null, reviewId: comment.pull_request_review_id ?? null },
  };
}

export function mapIssueItem(repoName: string, issue: GhIssue): ItemDraft {
  const repo = checkRepo(repoName);
  if (typeof issue?.number !== 'number') throw new MappingError('issue.number', 'missing');
  return {
    source: 'github',
    sourceId: pullRequestId(repo, issue.number),
    kind: 'issue',
    project: repo,
    key: `#${issue.number}`,
    title: String(issue.title ?? ''),
    state: issue.state,
    url: issue.html_url ?? null,
    author: githubIdentity(issue.user),
    createdAt: requireDate(issue.created_at, 'issue.created_at'),
    updatedAt: requireDate(issue.updated_at, 'issue.updated_at'),
    closedAt: toDate(issue.closed_at),
    mergedAt: null,
    attributes: {
      labels: labelNames(issue.labels),
      assignee: githubIdentity(issue.assignee),
      ...(issue.state_reason ? { stateReason: issue.state_reason } : {}),
    },
  };
}

/** Opened, and closed when it is closed now (REST only knows the latest close). */
export function mapIssueLifecycle(item: ItemDraft, issue: GhIssue): EventDraft[] {
  const base = { source: 'github' as const, project: item.project, itemSourceId: item.sourceId };
  const events: EventDraft[] = [
    {
      ...base,
      sourceId: `${item.sourceId}:opened`,
      kind: 'issue_created',
      occurredAt: item.createdAt,
      actor: item.author,
      attributes: { number: issue.number },
    },
  ];
  if (item.closedAt) events.push(issueClosed(item, issue, githubIdentity(issue.closed_by)));
  return events;
}

function issueClosed(item: ItemDraft, issue: GhIssue, actor: IdentityRef | null): EventDraft {
  const closedAt = item.closedAt ?? item.updatedAt;
  const completed = issue.state_reason !== 'not_planned';
  const assignee = githubIdentity(issue.assignee);
  return {
    source: 'github',
    sourceId: `${item.sourceId}:closed:${closedAt.toISOString()}`,
    // Closed as done counts as completed work (credited to the assignee); "not planned" does not.
    kind: completed ? 'issue_completed' : 'issue_closed',
    occurredAt: closedAt,
    actor: completed ? (assignee ?? actor) : actor,
    project: item.project,
    itemSourceId: item.sourceId,
    attributes: {
      number: issue.number,
      stateReason: issue.state_reason ?? null,
      closedBy: actor,
    },
  };
}

export function mapIssueComment(repo: string, comment: GhIssueComment, onPullRequest: boolean): EventDraft {
  const number = numberFromUrl(comment.issue_url, 'comment.issue_url');
  return {
    source: 'github',
    sourceId: `issue-comment:${comment.id}`,
    kind: 'issue_comment',
    occurredAt: requireDate(comment.created_at, 'comment.created_at'),
    actor: githubIdentity(comment.user),
    project: repo,
    itemSourceId: pullRequestId(repo, number),
    attributes: { number, onPullRequest },
  };
}

/** One pushed commit: author by e-mail (GitHub login when the push names it), and one event per co-author (trailers). */
export function mapPushCommit(repo: string, commit: GhPushCommit, ref: string): EventDraft[] {
  const files = [...(commit.added ?? []), ...(commit.modified ?? []), ...(commit.removed ?? [])];
  const coAuthors = coAuthorsOf(commit.message ?? '');
  const occurredAt = requireDate(commit.timestamp, 'commit.timestamp');
  const sourceId = `commit:${repo}@${commit.id}`;
  const attributes = {
    sha: commit.id,
    ref,
    files,
    areas: areasOf(files),
    coAuthors: coAuthors.map((c) => c.email),
    merge: /^Merge (pull request|branch)/.test(commit.message ?? ''),
    revert: /^Revert "/.test(commit.message ?? ''),
  };
  const base = { source: 'github' as const, occurredAt, project: repo, itemSourceId: null };
  return [
    {
      ...base,
      sourceId,
      kind: 'commit',
      actor: gitIdentity(commit.author?.name, commit.author?.email, commit.author?.username),
      attributes,
    },
    ...coAuthors.map((c) => ({
      ...base,
      sourceId: `${sourceId}/co/${c.email}`,
      kind: 'commit_coauthored' as const,
      actor: gitIdentity(c.name, c.email),
      attributes: { sha: commit.id, areas: attributes.areas },
    })),
  ];
}

/**
 * A webhook delivery → drafts. Unknown events and actions that carry no work fact give an empty
 * draft (they are acknowledged and ignored); item-changing actions (edited, labeled …) refresh the item.
 */
export function mapGithubWebhook(event: string, payload: unknown): WorkDraft {
  const draft = emptyDraft();
  if (typeof payload !== 'object' || payload === null)
    throw new MappingError('body', 'expected a JSON object');
  const p = payload as Record<string, unknown>;
  const repo = () => checkRepo((p.repository as { full_name?: unknown } | undefined)?.full_name);
  const action = typeof p.action === 'string' ? p.action : '';
  const sender = githubIdentity(p.sender as GhUser);

  switch (event) {
    case 'pull_request': {
      const pr = p.pull_request as GhPullRequest;
      const item = mapPullRequestItem(repo(), pr);
      draft.items.push(item);
      const base = { source: 'github' as const, project: item.project, itemSourceId: item.sourceId };
      const attrs = { number: pr.number, draft: pr.draft ?? false };
      if (action === 'opened') {
        draft.events.push({
          ...base,
          sourceId: `${item.sourceId}:opened`,
          kind: 'pr_opened',
          occurredAt: item.createdAt,
          actor: item.author,
          attributes: attrs,
        });
      } else if (action === 'ready_for_review') {
        draft.events.push({
          ...base,
          sourceId: `${item.sourceId}:ready:${item.updatedAt.toISOString()}`,
          kind: 'pr_ready',
          occurredAt: item.updatedAt,
          actor: sender,
          attributes: attrs,
        });
      } else if (action === 'reopened') {
        draft.events.push({
          ...base,
          sourceId: `${item.sourceId}:reopened:${item.updatedAt.toISOString()}`,
          kind: 'pr_reopened',
          occurredAt: item.updatedAt,
          actor: sender,
          attributes: attrs,
        });
      } else if (action === 'closed') {
        const events = mapPullRequestLifecycle(item, pr).filter((e) => e.kind !== 'pr_opened');
        for (const e of events) if (e.kind === 'pr_closed') e.actor = sender;
        draft.events.push(...events);
      }
      return draft;
    }
    case 'pull_request_review': {
      const pr = p.pull_request as GhPullRequest;
      const item = mapPullRequestItem(repo(), pr);
      draft.items.push(item);
      if (action === 'submitted') {
        const review = mapReview(item.project, pr.number, p.review as GhReview, item.author);
        if (review) draft.events.push(review);
      }
      return draft;
    }
    case 'pull_request_review_comment': {
      const pr = p.pull_request as GhPullRequest;
      const item = mapPullRequestItem(repo(), pr);
      draft.items.push(item);
      if (action === 'created')
        draft.events.push(mapReviewComment(item.project, p.comment as GhReviewComment));
      return draft;
    }
    case 'issues': {
      const issue = p.issue as GhIssue;
      if (action === 'deleted' || action === 'transferred') return draft;
      const item = mapIssueItem(repo(), issue);
      draft.items.push(item);
      const base = { source: 'github' as const, project: item.project, itemSourceId: item.sourceId };
      if (action === 'opened') {
        draft.events.push({
          ...base,
          sourceId: `${item.sourceId}:opened`,
          kind: 'issue_created',
          occurredAt: item.createdAt,
          actor: item.author,
          attributes: { number: issue.number },
        });
      } else if (action === 'closed') {
        draft.events.push(issueClosed(item, issue, sender));
      } else if (action === 'reopened') {
        draft.events.push({
          ...base,
          sourceId: `${item.sourceId}:reopened:${item.updatedAt.toISOString()}`,
          kind: 'issue_reopened',
          occurredAt: item.updatedAt,
          actor: sender,
          attributes: { number: issue.number },
        });
      }
      return draft;
    }
    case 'issue_comment': {
      const issue = p.issue as GhIssue;
      const onPullRequest = issue?.pull_request !== undefined && issue?.pull_request !== null;
      // A comment on a pull request names the PR as an issue: refresh only real issues' items.
      if (!onPullRequest) draft.items.push(mapIssueItem(repo(), issue));
      if (action === 'created')
        draft.events.push(mapIssueComment(repo(), p.comment as GhIssueComment, onPullRequest));
      return draft;
    }
    case 'push': {
      const commits = Array.isArray(p.commits) ? (p.commits as GhPushCommit[]) : [];
      const ref = typeof p.ref === 'string' ? p.ref : '';
      for (const c of commits) draft.events.push(...mapPushCommit(repo(), c, ref));
      return draft;
    }
    default:
      return draft;
  }
}

/** The webhook events this connector asks GitHub for (and the only ones it stores). */
export const GITHUB_WEBHOOK_EVENTS = [
  'pull_request',
  'pull_request_review',
  'pull_request_review_comment',
  'issues',
  'issue_comment',
  'push',
] as const;
