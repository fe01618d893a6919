import type { WorkItemKind } from './ingest.tables.js';

/**
 * The normalised work model every connector writes through `ingestBatch`. Connectors translate
 * their source (git log, GitHub/Jira REST or webhooks, metric files) into these records; the
 * pipeline validates, resolves identities, upserts idempotently and quarantines what is invalid.
 */

/** Who did something, as the source knows them. `(source, externalId)` identifies it. */
export interface IdentityRef {
  /** Source namespace of the identity: 'git', 'github', 'jira' … */
  source: string;
  /**
   * Stable id within the source: git → the (mailmapped) e-mail, lower-cased; GitHub → the numeric
   * user id as a string (or the login when no id is known); Jira → the accountId.
   */
  externalId: string;
  login?: string | null;
  email?: string | null;
  name?: string | null;
  /** The source says it is a bot (GitHub `type: "Bot"`); `[bot]` logins etc. are detected anyway. */
  isBot?: boolean;
}

/** Event kinds the model knows. Connectors may use others (namespaced, e.g. 'jira.flagged'). */
export const WORK_EVENT_KINDS = [
  'commit',
  'commit_coauthored',
  'pr_opened',
  'pr_ready',
  'pr_closed',
  'pr_merged',
  'pr_reopened',
  'review_submitted',
  'review_comment',
  'issue_created',
  'issue_transitioned',
  'issue_completed',
  'issue_comment',
  'sprint_started',
  'sprint_closed',
  'push',
] as const;
export type KnownWorkEventKind = (typeof WORK_EVENT_KINDS)[number];

/** Something a person did at a moment. Unique per `(batch.source, sourceId)`. */
export interface NormalisedEvent {
  /** Unique within the source, stable across re-deliveries (e.g. `owner/repo#12/review/99`, a commit sha). */
  sourceId: string;
  kind: KnownWorkEventKind | (string & {});
  occurredAt: Date | string;
  actor: IdentityRef | null;
  /** Repository (`owner/name` or a local name) or Jira project key. */
  project?: string | null;
  /** `sourceId` of the work item this event belongs to (PR, issue), when any. */
  itemSourceId?: string | null;
  /**
   * What signals need, by kind. Conventions: commit → `{ sha, additions, deletions, files, areas,
   * languages, merge, parents, renames }`; review_submitted → `{ state }` (approved |
   * changes_requested | commented | dismissed); issue_transitioned → `{ from, to, statusCategory }`;
   * issue_completed / sprint_* → `{ storyPoints, sprint }`.
   */
  attributes?: Record<string, unknown>;
}

/** A pull request, issue or ticket with its current state. Unique per `(batch.source, sourceId)`. */
export interface NormalisedItem {
  sourceId: string;
  kind: WorkItemKind;
  project?: string | null;
  /** PR/issue number or Jira key. */
  number?: string | null;
  title?: string | null;
  /** open | draft | closed | merged | Jira status name … */
  state: string;
  author?: IdentityRef | null;
  openedAt?: Date | string | null;
  closedAt?: Date | string | null;
  mergedAt?: Date | string | null;
  updatedAt?: Date | string | null;
  /** `{ firstCommitAt, additions, deletions, changedFiles, areas, labels, storyPoints, sprint, assignee … }` */
  attributes?: Record<string, unknown>;
}

/** Who a business metric is attributed to: exactly one of a person (e-mail / employee id / id) or a team (slug / id). */
export type MetricSubject =
  | { personEmail: string }
  | { employeeId: string }
  | { personId: string }
  | { teamSlug: string }
  | { teamId: string };

export interface NormalisedMetric {
  /** Defaults to `metric|subject|periodStart|periodEnd`, so re-importing a period replaces its value. */
  sourceId?: string;
  metric: string;
  value: number;
  unit?: string | null;
  subject: MetricSubject;
  /** 'YYYY-MM-DD', inclusive. */
  periodStart: string;
  /** 'YYYY-MM-DD', inclusive. */
  periodEnd: string;
  attributes?: Record<string, unknown>;
}

/** A record the connector could not even normalise; it goes straight to quarantine. */
export interface Rejection {
  /** Names the record: `commit 1a2b3c`, `metrics.csv line 7`, `PR owner/repo#12` … */
  recordRef: string;
  /** Field path within the record, e.g. `author.email`, `value`, `column 3 (value)`. */
  field?: string | null;
  problem: string;
  raw?: unknown;
}

/** A raw source payload kept (bounded retention) so events can be re-derived later. */
export interface RawPayload {
  sourceId: string;
  payload: unknown;
}

export interface NormalisedBatch {
  /** Source namespace of the items/events/metrics in this batch: 'git', 'github', 'jira', 'metrics'. */
  source: string;
  items?: NormalisedItem[];
  events?: NormalisedEvent[];
  metrics?: NormalisedMetric[];
  raw?: RawPayload[];
  rejected?: Rejection[];
  /**
   * The connection's cursor after this batch, committed in the same transaction as the data, so a
   * crashed run resumes exactly after the last committed batch. Omit to leave the cursor alone.
   */
  cursor?: Record<string, unknown>;
}

/** What one batch did. `read = created + updated + unchanged + rejected`. */
export interface BatchSummary {
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** Distinct non-bot identities in this batch not mapped to a person. */
  unmatched: number;
  /** Their ids, so a run can count distinct unmatched identities across batches. */
  unmatchedIdentityIds: string[];
}

export function emptySummary(): BatchSummary {
  return {
    read: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    unmatched: 0,
    unmatchedIdentityIds: [],
  };
}
