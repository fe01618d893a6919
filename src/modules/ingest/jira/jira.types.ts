/**
 * The parts of Jira Cloud payloads the connector reads (developer.atlassian.com: REST v3 issue bean
 * with `expand=changelog`, `GET /rest/api/3/search/jql`, `GET /rest/api/3/issue/{key}/changelog`,
 * Agile 1.0 board and sprint beans, and the admin webhook bodies `jira:issue_*`, `sprint_*`).
 */

export interface JiraUser {
  accountId: string;
  emailAddress?: string | null;
  displayName?: string | null;
  accountType?: string;
}

export interface JiraStatus {
  id: string;
  name: string;
  statusCategory?: { key: string; name?: string };
}

export interface JiraChangeItem {
  field: string;
  fieldId?: string;
  fieldtype?: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

export interface JiraHistory {
  id: string;
  author?: JiraUser | null;
  created: string;
  items: JiraChangeItem[];
}

export interface JiraSprintRef {
  id: number;
  name?: string;
  state?: string;
  boardId?: number;
}

export interface JiraIssue {
  id: string;
  key: string;
  self?: string;
  fields: {
    summary?: string;
    status?: JiraStatus;
    issuetype?: { name: string };
    project?: { key: string };
    created: string;
    updated: string;
    resolutiondate?: string | null;
    creator?: JiraUser | null;
    reporter?: JiraUser | null;
    assignee?: JiraUser | null;
    labels?: string[];
    [customField: string]: unknown;
  };
  changelog?: { startAt?: number; maxResults?: number; total?: number; histories: JiraHistory[] };
}

export interface JiraSearchPage {
  issues: JiraIssue[];
  nextPageToken?: string | null;
  isLast?: boolean;
}

export interface JiraPaged<T> {
  values: T[];
  startAt?: number;
  maxResults?: number;
  total?: number;
  isLast?: boolean;
}

export interface JiraBoard {
  id: number;
  name: string;
  type: string;
}

export interface JiraSprint {
  id: number;
  state: 'future' | 'active' | 'closed' | string;
  name: string;
  startDate?: string;
  endDate?: string;
  activatedDate?: string;
  completeDate?: string;
  originBoardId?: number;
  goal?: string;
}

export interface JiraWebhookBody {
  timestamp?: number;
  webhookEvent?: string;
  user?: JiraUser;
  issue?: JiraIssue;
  changelog?: { id: string; items: JiraChangeItem[] };
  sprint?: JiraSprint;
}
