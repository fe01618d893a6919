/**
 * What the GitHub and Jira mappers produce from one payload (REST or webhook): work items and work
 * events with stable source ids, so the same fact seen twice — by backfill and by webhook, or by a
 * re-delivery — maps to the same rows. These drafts are handed to the ingest pipeline unchanged.
 */

export type RemoteSource = 'github' | 'jira';

/** Who did something, as the source names them; identity resolution maps it to a person. */
export interface IdentityRef {
  source: RemoteSource | 'git';
  /** GitHub numeric user id, Jira accountId, or (for git authors) the e-mail address. */
  externalId: string;
  login?: string | null;
  email?: string | null;
  displayName?: string | null;
  isBot?: boolean;
}

export type ItemKind = 'pull_request' | 'issue';

export interface ItemDraft {
  source: RemoteSource;
  /** Stable id: `OWNER/NAME#12` for GitHub, the numeric issue id for Jira. */
  sourceId: string;
  kind: ItemKind;
  /** OWNER/NAME or the Jira project key. */
  project: string;
  /** What people call it: `#12` or `ABC-12`. */
  key: string;
  title: string;
  /** open | closed | merged (GitHub), or the Jira status name. */
  state: string;
  url: string | null;
  author: IdentityRef | null;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  mergedAt: Date | null;
  attributes: ItemAttributes;
}

export interface ItemAttributes {
  draft?: boolean;
  firstCommitAt?: string | null;
  additions?: number;
  deletions?: number;
  changedFiles?: number;
  files?: string[];
  areas?: string[];
  labels?: string[];
  storyPoints?: number | null;
  issueType?: string;
  statusCategory?: string;
  assignee?: IdentityRef | null;
  sprintIds?: number[];
  baseBranch?: string;
  headBranch?: string;
  [key: string]: unknown;
}

export type EventKind =
  | 'commit'
  | 'pr_opened'
  | 'pr_ready'
  | 'pr_closed'
  | 'pr_reopened'
  | 'pr_merged'
  | 'review_submitted'
  | 'review_comment'
  | 'issue_created'
  | 'issue_closed'
  | 'issue_reopened'
  | 'commit_coauthored'
  | 'issue_comment'
  | 'issue_transitioned'
  | 'issue_completed'
  | 'sprint_started'
  | 'sprint_closed';

export interface EventDraft {
  source: RemoteSource;
  /** Stable, unique per fact (a review id, a changelog history id, a commit sha …). */
  sourceId: string;
  kind: EventKind;
  occurredAt: Date;
  actor: IdentityRef | null;
  project: string;
  /** The item's sourceId this event belongs to (null for sprints and pushes). */
  itemSourceId: string | null;
  attributes: Record<string, unknown>;
}

export interface WorkDraft {
  items: ItemDraft[];
  events: EventDraft[];
}

export function emptyDraft(): WorkDraft {
  return { items: [], events: [] };
}

export function mergeDrafts(target: WorkDraft, more: WorkDraft): WorkDraft {
  target.items.push(...more.items);
  target.events.push(...more.events);
  return target;
}

/** `src/api/users.ts` → `src/api`; `README.md` → `(root)`; a first folder otherwise. */
export function areaOfPath(path: string): string {
  const parts = path.split('/').filter(Boolean);
  if (parts.length <= 1) return '(root)';
  const container = new Set([
    'src',
    'packages',
    'apps',
    'services',
    'lib',
    'libs',
    'modules',
    'cmd',
    'internal',
  ]);
  if (container.has(parts[0]!) && parts.length > 2) return `${parts[0]}/${parts[1]}`;
  return parts[0]!;
}

export function areasOf(paths: readonly string[]): string[] {
  return [...new Set(paths.map(areaOfPath))].sort();
}

export function toDate(value: string | number | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** A required timestamp: throws naming the field when it is missing or not a date. */
export function requireDate(value: unknown, field: string): Date {
  const d = typeof value === 'string' || typeof value === 'number' ? toDate(value) : null;
  if (!d) throw new MappingError(field, `expected a timestamp, got ${JSON.stringify(value)}`);
  return d;
}

/** A payload that does not have the shape a mapper needs: names the field. */
export class MappingError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'MappingError';
  }
}
