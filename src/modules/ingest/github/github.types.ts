/**
 * The parts of GitHub's REST and webhook payloads the connector reads (docs.github.com REST schemas:
 * pull-request, pull-request-simple, review, review-comment, issue, issue-comment, commit; webhook
 * events pull_request, pull_request_review, pull_request_review_comment, issues, issue_comment, push).
 * Everything else in a payload is kept in the raw copy and ignored here.
 */

export interface GhUser {
  login: string;
  id: number;
  type?: string;
  email?: string | null;
  name?: string | null;
}

export interface GhLabel {
  name: string;
}

export interface GhPullRequest {
  number: number;
  title: string;
  state: 'open' | 'closed';
  draft?: boolean;
  merged?: boolean;
  html_url: string;
  user: GhUser | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  merged_at: string | null;
  merged_by?: GhUser | null;
  labels?: GhLabel[];
  base?: { ref: string; repo?: { full_name: string } | null };
  head?: { ref: string };
  additions?: number;
  deletions?: number;
  changed_files?: number;
  commits?: number;
}

export interface GhReview {
  id: number;
  user: GhUser | null;
  state: string;
  submitted_at?: string | null;
  html_url?: string;
  commit_id?: string | null;
}

export interface GhReviewComment {
  id: number;
  user: GhUser | null;
  created_at: string;
  pull_request_review_id?: number | null;
  pull_request_url: string;
  path?: string;
  in_reply_to_id?: number;
}

export interface GhIssue {
  number: number;
  title: string;
  state: 'open' | 'closed';
  state_reason?: string | null;
  html_url: string;
  user: GhUser | null;
  labels?: (GhLabel | string)[];
  assignee?: GhUser | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  closed_by?: GhUser | null;
  pull_request?: unknown;
}

export interface GhIssueComment {
  id: number;
  user: GhUser | null;
  created_at: string;
  issue_url: string;
  html_url?: string;
}

export interface GhCommit {
  sha: string;
  commit: {
    message: string;
    author: { name?: string; email?: string; date?: string } | null;
    committer: { name?: string; email?: string; date?: string } | null;
  };
  author: GhUser | null;
  parents?: { sha: string; url?: string; html_url?: string }[];
}

/**
 * One entry of an issue's or pull request's event list (`GET /repos/{owner}/{repo}/issues/{number}/events`):
 * `ready_for_review`, `convert_to_draft`, `review_requested`, `merged`, `closed` …
 */
export interface GhIssueEvent {
  id: number;
  node_id?: string;
  url?: string;
  actor: GhUser | null;
  event: string;
  commit_id?: string | null;
  commit_url?: string | null;
  created_at: string;
}

export interface GhFile {
  filename: string;
  additions?: number;
  deletions?: number;
  status?: string;
}

export interface GhPushCommit {
  id: string;
  message: string;
  timestamp: string;
  distinct?: boolean;
  author: { name?: string; email?: string | null; username?: string };
  added?: string[];
  removed?: string[];
  modified?: string[];
}

export interface GhRepositoryRef {
  full_name: string;
}

export interface GhPullRequestEvent {
  action: string;
  pull_request: GhPullRequest;
  repository: GhRepositoryRef;
  sender: GhUser;
}

export interface GhReviewEvent {
  action: string;
  review: GhReview;
  pull_request: GhPullRequest;
  repository: GhRepositoryRef;
  sender: GhUser;
}

export interface GhReviewCommentEvent {
  action: string;
  comment: GhReviewComment;
  pull_request: GhPullRequest;
  repository: GhRepositoryRef;
  sender: GhUser;
}

export interface GhIssuesEvent {
  action: string;
  issue: GhIssue;
  repository: GhRepositoryRef;
  sender: GhUser;
}

export interface GhIssueCommentEvent {
  action: string;
  issue: GhIssue;
  comment: GhIssueComment;
  repository: GhRepositoryRef;
  sender: GhUser;
}

export interface GhPushEvent {
  ref: string;
  commits: GhPushCommit[];
  repository: GhRepositoryRef;
  sender?: GhUser;
}
