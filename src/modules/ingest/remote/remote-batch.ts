import type { WorkDraft } from './work-drafts.js';

/** A raw payload as fetched or delivered, kept so events can be re-derived later. */
export interface RawRecord {
  source: 'github' | 'jira';
  /** e.g. pull_request, review, issue, jira_issue, sprint, webhook:pull_request */
  kind: string;
  sourceId: string;
  payload: unknown;
}

/** A record a mapper could not read; the rest of its batch still goes in. */
export interface RejectedRecord {
  source: 'github' | 'jira';
  kind: string;
  sourceId: string;
  field: string;
  message: string;
  payload: unknown;
}

/**
 * One unit of backfill work: drafts from one page (or one pull request's details), the raw payloads
 * they came from, and the cursor to store in the same transaction once the batch is in.
 */
export interface RemoteBatch<Cursor> {
  label: string;
  draft: WorkDraft;
  raw: RawRecord[];
  rejected: RejectedRecord[];
  /** Records read from the source in this batch. */
  read: number;
  cursor: Cursor;
}
