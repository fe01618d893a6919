import type { RawRecord, RejectedRecord, RemoteBatch } from '../remote/remote-batch.js';
import { emptyDraft, MappingError, type WorkDraft } from '../remote/work-drafts.js';
import type { GithubClient } from './github.client.js';
import {
  mapIssueComment,
  mapIssueItem,
  mapIssueLifecycle,
  firstCommitTime,
  mapPullRequestCommit,
  mapPullRequestItem,
  mapPullRequestLifecycle,
  mapReadyForReview,
  mapReview,
  mapReviewComment,
  pullRequestId,
} from './github.mapper.js';
import type { GhIssue, GhPullRequest } from './github.types.js';

/**
 * Where the last backfill of a repository got to, per stream: the newest `updated_at` taken in.
 * Pull requests are listed newest first, so their cursor moves only when the whole list is done;
 * the other streams are read oldest first with `since` and move page by page.
 */
export interface GithubCursor {
  pulls?: string;
  issues?: string;
  reviewComments?: string;
  issueComments?: string;
}

type Batch = RemoteBatch<GithubCursor>;

function later(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

function reject(kind: string, sourceId: string, error: unknown, payload: unknown): RejectedRecord {
  if (error instanceof MappingError) {
    return { source: 'github', kind, sourceId, field: error.field, message: error.message, payload };
  }
  return { source: 'github', kind, sourceId, field: '', message: (error as Error).message, payload };
}

/**
 * The backfill of one repository as a stream of batches: pull requests (each with its commits — commit
 * events and the first-commit time —, files for areas, size, reviews and its event list for "ready
 * for review"), then review comments, issues (pull requests
 * in the issue list are skipped) and issue comments. Re-running from any stored cursor is safe: every
 * record maps to a stable source id.
 */
export async function* githubBackfill(
  client: GithubClient,
  repo: string,
  start: GithubCursor = {},
): AsyncGenerator<Batch> {
  const cursor: GithubCursor = { ...start };

  // Pull requests: newest update first; stop at the first one not updated since the cursor.
  let newestPull: string | undefined;
  let stop = false;
  for await (const page of client.pullRequests(repo)) {
    for (const listed of page) {
      newestPull = later(newestPull, listed.updated_at);
      if (start.pulls && Date.parse(listed.updated_at) < Date.parse(start.pulls)) {
        stop = true;
        break;
      }
      yield await pullRequestBatch(client, repo, listed, cursor);
    }
    if (stop) break;
  }
  cursor.pulls = later(start.pulls, newestPull);

  for await (const page of client.reviewComments(repo, start.reviewComments)) {
    const batch: Batch = {
      label: 'review comments',
      draft: emptyDraft(),
      raw: [],
      rejected: [],
      read: page.length,
      cursor,
    };
    let newest = cursor.reviewComments;
    for (const c of page) {
      const sourceId = `review-comment:${c.id}`;
      try {
        batch.draft.events.push(mapReviewComment(repo, c));
        batch.raw.push({ source: 'github', kind: 'review_comment', sourceId, payload: c });
      } catch (error) {
        batch.rejected.push(reject('review_comment', sourceId, error, c));
      }
      newest = later(newest, (c as { updated_at?: string }).updated_at ?? c.created_at);
    }
    cursor.reviewComments = newest;
    yield { ...batch, cursor: { ...cursor } };
  }

  for await (const page of client.issues(repo, start.issues)) {
    const batch: Batch = { label: 'issues', draft: emptyDraft(), raw: [], rejected: [], read: 0, cursor };
    let newest = cursor.issues;
    for (const issue of page) {
      newest = later(newest, issue.updated_at);
      if (issue.pull_request) continue;
      batch.read++;
      const sourceId = pullRequestId(repo, issue.number);
      try {
        const item = mapIssueItem(repo, issue);
        batch.draft.items.push(item);
        batch.draft.events.push(...mapIssueLifecycle(item, issue));
        batch.raw.push({ source: 'github', kind: 'issue', sourceId, payload: issue });
      } catch (error) {
        batch.rejected.push(reject('issue', sourceId, error, issue));
      }
    }
    cursor.issues = newest;
    yield { ...batch, cursor: { ...cursor } };
  }

  for await (const page of client.issueComments(repo, start.issueComments)) {
    const batch: Batch = {
      label: 'issue comments',
      draft: emptyDraft(),
      raw: [],
      rejected: [],
      read: page.length,
      cursor,
    };
    let newest = cursor.issueComments;
    for (const c of page) {
      const sourceId = `issue-comment:${c.id}`;
      try {
        // The REST shape does not say whether the issue is a pull request; the item kind does.
        batch.draft.events.push(mapIssueComment(repo, c, false));
        batch.raw.push({ source: 'github', kind: 'issue_comment', sourceId, payload: c });
      } catch (error) {
        batch.rejected.push(reject('issue_comment', sourceId, error, c));
      }
      newest = later(newest, (c as { updated_at?: string }).updated_at ?? c.created_at);
    }
    cursor.issueComments = newest;
    yield { ...batch, cursor: { ...cursor } };
  }
}

async function pullRequestBatch(
  client: GithubClient,
  repo: string,
  listed: GhPullRequest,
  cursor: GithubCursor,
): Promise<Batch> {
  const sourceId = pullRequestId(repo, listed.number);
  const batch: Batch = {
    label: 'pull requests',
    draft: emptyDraft(),
    raw: [],
    rejected: [],
    read: 1,
    cursor: { ...cursor },
  };
  // The list shape lacks size; the single-PR shape has additions, deletions and changed_files.
  // Every list is read to its last page.
  const [pr, commits, files, reviews, events] = await Promise.all([
    client.pullRequest(repo, listed.number),
    client.pullCommits(repo, listed.number),
    client.pullFiles(repo, listed.number),
    client.reviews(repo, listed.number),
    client.issueEvents(repo, listed.number),
  ]);
  const raw: RawRecord = {
    source: 'github',
    kind: 'pull_request',
    sourceId,
    payload: { pull_request: pr, commits, files, reviews, events },
  };
  try {
    const draft: WorkDraft = emptyDraft();
    const item = mapPullRequestItem(repo, pr, { commits, files });
    draft.items.push(item);
    draft.events.push(...mapPullRequestLifecycle(item, pr));
    for (const r of reviews) {
      const event = mapReview(repo, pr.number, r, item.author);
      if (event) draft.events.push(event);
    }
    // Marked ready for review (a draft is not waiting for reviewers until then).
    for (const e of events)
      if (e.event === 'ready_for_review') draft.events.push(mapReadyForReview(item, e, pr.number));
    // Its commits, the earliest marked: coding time runs from there to the pull request's opening.
    const first = firstCommitTime(commits);
    let firstMarked = false;
    for (const c of commits) {
      const at = c.commit?.author?.date ?? c.commit?.committer?.date;
      const isFirst =
        !firstMarked && first !== null && at !== undefined && Date.parse(at) === Date.parse(first);
      if (isFirst) firstMarked = true;
      draft.events.push(...mapPullRequestCommit(repo, pr.number, c, isFirst));
    }
    batch.draft = draft;
    batch.raw.push(raw);
  } catch (error) {
    batch.rejected.push(reject('pull_request', sourceId, error, raw.payload));
  }
  return batch;
}

/** Issues in the issue list that are pull requests (GitHub lists both). */
export function isPullRequestIssue(issue: GhIssue): boolean {
  return issue.pull_request !== undefined && issue.pull_request !== null;
}
