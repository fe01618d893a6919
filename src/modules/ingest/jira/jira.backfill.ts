import { RemoteApiError } from '../remote/http-client.js';
import type { RejectedRecord, RemoteBatch } from '../remote/remote-batch.js';
import { emptyDraft, MappingError } from '../remote/work-drafts.js';
import type { JiraClient } from './jira.client.js';
import { DEFAULT_SPRINT_FIELD, mapJiraIssue, mapJiraSprint, type JiraMappingOptions } from './jira.mapper.js';

/** The newest `updated` taken in (ISO); issues are read oldest update first, so it moves page by page. */
export interface JiraCursor {
  updated?: string;
}

export interface JiraBackfillOptions {
  project: string;
  storyPointsField?: string | undefined;
  sprintField?: string | undefined;
}

/** JQL dates are read in the API user's time zone; a day of overlap covers every offset (re-reads are harmless). */
const OVERLAP_MS = 24 * 3600_000;

function jqlTime(iso: string): string {
  const d = new Date(Date.parse(iso) - OVERLAP_MS);
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)}`;
}

function quoteJql(value: string): string {
  return `"${value.replace(/(["\\])/g, '\\$1')}"`;
}

export function jiraJql(project: string, cursor: JiraCursor): string {
  const since = cursor.updated ? ` AND updated >= ${quoteJql(jqlTime(cursor.updated))}` : '';
  return `project = ${quoteJql(project)}${since} ORDER BY updated ASC`;
}

/**
 * The backfill of one Jira project: its scrum boards' sprints first (started/closed events), then its
 * issues with their full changelogs, one batch per search page.
 */
export async function* jiraBackfill(
  client: JiraClient,
  options: JiraBackfillOptions,
  start: JiraCursor = {},
): AsyncGenerator<RemoteBatch<JiraCursor>> {
  const statusCategories = await client.statusCategories();
  const mapping: JiraMappingOptions = {
    storyPointsField: options.storyPointsField,
    sprintField: options.sprintField ?? DEFAULT_SPRINT_FIELD,
    statusCategories,
  };
  const cursor: JiraCursor = { ...start };

  const boards = (await client.boards(options.project)).filter((b) => b.type === 'scrum');
  const seen = new Set<number>();
  for (const board of boards) {
    const batch: RemoteBatch<JiraCursor> = {
      label: 'sprints',
      draft: emptyDraft(),
      raw: [],
      rejected: [],
      read: 0,
      cursor: { ...cursor },
    };
    for (const sprint of await client.sprints(board.id)) {
      if (seen.has(sprint.id)) continue;
      seen.add(sprint.id);
      batch.read++;
      try {
        batch.draft.events.push(...mapJiraSprint(options.project, sprint));
        batch.raw.push({ source: 'jira', kind: 'sprint', sourceId: `sprint:${sprint.id}`, payload: sprint });
      } catch (error) {
        batch.rejected.push(rejection('sprint', `sprint:${sprint.id}`, error, sprint));
      }
    }
    yield batch;
  }

  const fields = [
    'summary',
    'status',
    'issuetype',
    'project',
    'created',
    'updated',
    'resolutiondate',
    'creator',
    'reporter',
    'assignee',
    'labels',
    mapping.sprintField!,
    ...(options.storyPointsField ? [options.storyPointsField] : []),
  ];
  for await (const page of client.searchIssues(jiraJql(options.project, start), fields)) {
    const batch: RemoteBatch<JiraCursor> = {
      label: 'issues',
      draft: emptyDraft(),
      raw: [],
      rejected: [],
      read: page.issues.length,
      cursor,
    };
    for (const issue of page.issues) {
      const sourceId = String(issue?.id ?? issue?.key ?? '?');
      try {
        let histories = issue.changelog?.histories ?? [];
        const total = issue.changelog?.total ?? histories.length;
        if (total > histories.length) histories = await client.changelog(issue.key);
        const draft = mapJiraIssue(issue, histories, mapping);
        batch.draft.items.push(...draft.items);
        batch.draft.events.push(...draft.events);
        batch.raw.push({
          source: 'jira',
          kind: 'issue',
          sourceId,
          payload: { ...issue, changelog: { histories } },
        });
      } catch (error) {
        if (error instanceof RemoteApiError) throw error;
        batch.rejected.push(rejection('issue', issue?.key ?? sourceId, error, issue));
      }
      const updated = issue?.fields?.updated;
      if (updated && (!cursor.updated || Date.parse(updated) > Date.parse(cursor.updated)))
        cursor.updated = new Date(updated).toISOString();
    }
    yield { ...batch, cursor: { ...cursor } };
  }
}

function rejection(kind: string, sourceId: string, error: unknown, payload: unknown): RejectedRecord {
  const field = error instanceof MappingError ? error.field : '';
  return { source: 'jira', kind, sourceId, field, message: (error as Error).message, payload };
}
