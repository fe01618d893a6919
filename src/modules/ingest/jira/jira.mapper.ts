import {
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
  JiraHistory,
  JiraIssue,
  JiraSprint,
  JiraSprintRef,
  JiraUser,
  JiraWebhookBody,
} from './jira.types.js';

/** Per-site settings the mapping needs. */
export interface JiraMappingOptions {
  /** The custom field holding story points on this site, e.g. customfield_10016. */
  storyPointsField?: string | undefined;
  /** The custom field holding an issue's sprints (Jira Cloud: customfield_10020). */
  sprintField?: string | undefined;
  /** Status id → status category key (new | indeterminate | done), from /rest/api/3/status. */
  statusCategories?: ReadonlyMap<string, string>;
}

export const DEFAULT_SPRINT_FIELD = 'customfield_10020';

export function jiraIdentity(user: JiraUser | null | undefined): IdentityRef | null {
  if (!user || typeof user.accountId !== 'string' || user.accountId === '') return null;
  return {
    source: 'jira',
    externalId: user.accountId,
    email: user.emailAddress ? user.emailAddress.toLowerCase() : null,
    displayName: user.displayName ?? null,
    isBot: user.accountType === 'app',
  };
}

function storyPoints(issue: JiraIssue, field: string | undefined): number | null {
  if (!field) return null;
  const v = issue.fields[field];
  if (v === null || v === undefined) return null;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n))
    throw new MappingError(`fields.${field}`, `story points must be a number, got ${JSON.stringify(v)}`);
  return n;
}

function sprintIds(issue: JiraIssue, field: string): number[] {
  const v = issue.fields[field];
  if (!Array.isArray(v)) return [];
  return (v as JiraSprintRef[]).map((s) => s?.id).filter((id): id is number => typeof id === 'number');
}

const DONE_NAMES = /^(done|closed|resolved|complete|completed|released)$/i;

/** A status's category: from the site's status list, else the issue's current status, else its name. */
function categoryOf(
  statusId: string | null,
  name: string | null,
  issue: JiraIssue | undefined,
  options: JiraMappingOptions,
): string {
  if (statusId && options.statusCategories?.has(statusId)) return options.statusCategories.get(statusId)!;
  const current = issue?.fields.status;
  if (statusId && current?.id === statusId && current.statusCategory?.key) return current.statusCategory.key;
  return name && DONE_NAMES.test(name) ? 'done' : 'indeterminate';
}

export function jiraItemId(issue: JiraIssue): string {
  return String(issue.id);
}

export function mapJiraIssueItem(issue: JiraIssue, options: JiraMappingOptions = {}): ItemDraft {
  if (!issue || typeof issue.key !== 'string' || issue.id === undefined)
    throw new MappingError('issue.key', 'missing');
  if (!issue.fields) throw new MappingError(`${issue.key}.fields`, 'missing');
  const project = issue.fields.project?.key ?? issue.key.replace(/-\d+$/, '');
  const category =
    issue.fields.status?.statusCategory?.key ??
    categoryOf(issue.fields.status?.id ?? null, issue.fields.status?.name ?? null, issue, options);
  const site = issue.self ? new URL(issue.self).origin : null;
  return {
    source: 'jira',
    sourceId: jiraItemId(issue),
    kind: 'issue',
    project,
    key: issue.key,
    title: String(issue.fields.summary ?? ''),
    state: issue.fields.status?.name ?? 'unknown',
    url: site ? `${site}/browse/${issue.key}` : null,
    author: jiraIdentity(issue.fields.reporter ?? issue.fields.creator),
    createdAt: requireDate(issue.fields.created, `${issue.key}.fields.created`),
    updatedAt: requireDate(issue.fields.updated, `${issue.key}.fields.updated`),
    closedAt: category === 'done' ? (toDate(issue.fields.resolutiondate) ?? null) : null,
    mergedAt: null,
    attributes: {
      issueType: issue.fields.issuetype?.name,
      statusCategory: category,
      labels: issue.fields.labels ?? [],
      storyPoints: storyPoints(issue, options.storyPointsField),
      assignee: jiraIdentity(issue.fields.assignee),
      sprintIds: sprintIds(issue, options.sprintField ?? DEFAULT_SPRINT_FIELD),
    },
  };
}

/** One changelog entry → a status transition event, if it changed the status. */
export function mapJiraHistory(
  issue: JiraIssue,
  item: ItemDraft,
  history: JiraHistory,
  options: JiraMappingOptions = {},
): EventDraft | null {
  const change = history.items?.find((i) => i.fieldId === 'status' || i.field === 'status');
  if (!change) return null;
  const fromCategory = categoryOf(change.from, change.fromString, undefined, options);
  const toCategory = categoryOf(change.to, change.toString, issue, options);
  const author = jiraIdentity(history.author);
  const assignee = (item.attributes.assignee as IdentityRef | null | undefined) ?? null;
  const kind =
    toCategory === 'done' && fromCategory !== 'done'
      ? 'issue_completed'
      : fromCategory === 'done' && toCategory !== 'done'
        ? 'issue_reopened'
        : 'issue_transitioned';
  return {
    source: 'jira',
    sourceId: `jira:${issue.id}:history:${history.id}:status`,
    kind,
    occurredAt: requireDate(history.created, `${issue.key}.changelog.histories[${history.id}].created`),
    // Completing credits whoever the issue is assigned to, not whoever dragged the card.
    actor: kind === 'issue_completed' ? (assignee ?? author) : author,
    project: item.project,
    itemSourceId: item.sourceId,
    attributes: {
      key: issue.key,
      from: change.fromString,
      to: change.toString,
      fromCategory,
      toCategory,
      storyPoints: item.attributes.storyPoints ?? null,
      transitionedBy: author,
      issueType: item.attributes.issueType ?? null,
    },
  };
}

/** An issue with its full changelog → the item, its creation and every status transition. */
export function mapJiraIssue(
  issue: JiraIssue,
  histories: JiraHistory[],
  options: JiraMappingOptions = {},
): WorkDraft {
  const item = mapJiraIssueItem(issue, options);
  const draft: WorkDraft = { items: [item], events: [] };
  draft.events.push({
    source: 'jira',
    sourceId: `jira:${issue.id}:created`,
    kind: 'issue_created',
    occurredAt: item.createdAt,
    actor: item.author,
    project: item.project,
    itemSourceId: item.sourceId,
    attributes: { key: issue.key, issueType: item.attributes.issueType ?? null },
  });
  for (const h of histories) {
    const e = mapJiraHistory(issue, item, h, options);
    if (e) draft.events.push(e);
  }
  return draft;
}

/** A sprint's start and close as events of the project. */
export function mapJiraSprint(project: string, sprint: JiraSprint): EventDraft[] {
  if (typeof sprint?.id !== 'number') throw new MappingError('sprint.id', 'missing');
  const events: EventDraft[] = [];
  const attrs = {
    sprintId: sprint.id,
    name: sprint.name,
    boardId: sprint.originBoardId ?? null,
    startDate: sprint.startDate ?? null,
    endDate: sprint.endDate ?? null,
    goal: sprint.goal ?? null,
  };
  const started = toDate(sprint.activatedDate ?? sprint.startDate);
  if (started && sprint.state !== 'future') {
    events.push({
      source: 'jira',
      sourceId: `jira:sprint:${sprint.id}:started`,
      kind: 'sprint_started',
      occurredAt: started,
      actor: null,
      project,
      itemSourceId: null,
      attributes: attrs,
    });
  }
  const closed = toDate(sprint.completeDate);
  if (closed && sprint.state === 'closed') {
    events.push({
      source: 'jira',
      sourceId: `jira:sprint:${sprint.id}:closed`,
      kind: 'sprint_closed',
      occurredAt: closed,
      actor: null,
      project,
      itemSourceId: null,
      attributes: attrs,
    });
  }
  return events;
}

/**
 * A Jira admin webhook body → drafts. Issue events carry the changelog entry of that change (its id is
 * the same history id the REST changelog shows, so backfill and webhook agree). `project` names the
 * connection's project for sprint events, whose bodies do not carry one.
 */
export function mapJiraWebhook(
  body: JiraWebhookBody,
  project: string,
  options: JiraMappingOptions = {},
): WorkDraft {
  if (typeof body !== 'object' || body === null) throw new MappingError('body', 'expected a JSON object');
  const event = body.webhookEvent ?? '';
  if (event === 'jira:issue_created' || event === 'jira:issue_updated') {
    if (!body.issue) throw new MappingError('issue', `missing from ${event}`);
    const histories: JiraHistory[] = [];
    if (event === 'jira:issue_updated' && body.changelog?.id) {
      const created = body.timestamp ? new Date(body.timestamp).toISOString() : body.issue.fields?.updated;
      histories.push({
        id: String(body.changelog.id),
        author: body.user ?? null,
        created: created ?? '',
        items: body.changelog.items ?? [],
      });
    }
    const draft = mapJiraIssue(body.issue, histories, options);
    // Creation is only known for certain from the created event (and from backfill).
    if (event === 'jira:issue_updated') draft.events = draft.events.filter((e) => e.kind !== 'issue_created');
    return draft;
  }
  if ((event === 'sprint_started' || event === 'sprint_closed') && body.sprint) {
    const draft = emptyDraft();
    const kind = event === 'sprint_started' ? 'sprint_started' : 'sprint_closed';
    draft.events.push(...mapJiraSprint(project, body.sprint).filter((e) => e.kind === kind));
    return draft;
  }
  return emptyDraft();
}
