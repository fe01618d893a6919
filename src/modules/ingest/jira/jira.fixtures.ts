import type { FixtureRequest, FixtureResponse } from '../remote/fixture-server.js';
import type { JiraBoard, JiraHistory, JiraIssue, JiraSprint, JiraStatus, JiraUser } from './jira.types.js';

/**
 * A recorded-shape Jira Cloud site for tests (shapes from developer.atlassian.com: the issue bean of
 * `/rest/api/3/search/jql` with `expand=changelog`, `/rest/api/3/issue/{key}/changelog`, `/rest/api/3/status`,
 * Agile 1.0 `board` and `board/{id}/sprint`). Served page by page like the real endpoints.
 */

export const PROJECT = 'ATL';
export const STORY_POINTS_FIELD = 'customfield_10016';

export interface JiraDataset {
  site: () => string;
  users: Record<'dana' | 'eli' | 'automation', JiraUser>;
  statuses: JiraStatus[];
  issues: JiraIssue[];
  /** Full changelogs; the search answer carries only the first `SEARCH_HISTORY_LIMIT` entries. */
  histories: Map<string, JiraHistory[]>;
  boards: JiraBoard[];
  sprints: Map<number, JiraSprint[]>;
}

const SEARCH_HISTORY_LIMIT = 2;
const SEARCH_PAGE = 2;

const status = (id: string, name: string, key: string, catId: number): JiraStatus =>
  ({
    self: `https://site/rest/api/3/status/${id}`,
    description: '',
    iconUrl: '',
    name,
    untranslatedName: name,
    id,
    statusCategory: { self: '', id: catId, key, colorName: 'blue-gray', name: key },
  }) as JiraStatus;

export function buildJiraDataset(site: () => string): JiraDataset {
  const user = (
    accountId: string,
    displayName: string,
    emailAddress: string | null,
    accountType = 'atlassian',
  ): JiraUser =>
    ({
      self: `https://acme.atlassian.net/rest/api/3/user?accountId=${accountId}`,
      accountId,
      ...(emailAddress ? { emailAddress } : {}),
      avatarUrls: { '48x48': '', '24x24': '', '16x16': '', '32x32': '' },
      displayName,
      active: true,
      timeZone: 'Europe/Berlin',
      accountType,
    }) as JiraUser;
  const users = {
    dana: user('5b10ac8d82e05b22cc7d4ef5', 'Dana Novak', 'dana@kestrel.example'),
    eli: user('5b10a2844c20165700ede21g', 'Eli Park', null),
    automation: user('557058:f58131cb-b67d-43c7-b30d-6b58d40bd077', 'Automation for Jira', null, 'app'),
  };
  const statuses = [
    status('10000', 'To Do', 'new', 2),
    status('3', 'In Progress', 'indeterminate', 4),
    status('10001', 'In Review', 'indeterminate', 4),
    status('10002', 'Done', 'done', 3),
  ];
  const byName = new Map(statuses.map((s) => [s.name, s]));
  const histories = new Map<string, JiraHistory[]>();
  const issues: JiraIssue[] = [];
  let historyId = 10100;
  const mk = (
    n: number,
    summary: string,
    created: string,
    path: [string, string, JiraUser][],
    points: number | null,
    assignee: JiraUser | null,
    sprintIds: number[],
  ) => {
    const key = `${PROJECT}-${n}`;
    const hs: JiraHistory[] = [];
    let from = 'To Do';
    for (const [to, at, who] of path) {
      const f = byName.get(from)!;
      const t = byName.get(to)!;
      hs.push({
        id: String(historyId++),
        author: who,
        created: at,
        items: [
          {
            field: 'status',
            fieldtype: 'jira',
            fieldId: 'status',
            from: f.id,
            fromString: f.name,
            to: t.id,
            toString: t.name,
          },
        ],
      } as JiraHistory);
      from = to;
    }
    histories.set(key, hs);
    const current = byName.get(from)!;
    const updated = path.length ? path[path.length - 1]![1] : created;
    issues.push({
      expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
      id: String(20000 + n),
      self: `https://acme.atlassian.net/rest/api/3/issue/${20000 + n}`,
      key,
      fields: {
        summary,
        status: current,
        issuetype: { self: '', id: '10001', description: '', iconUrl: '', name: 'Story', subtask: false },
        project: { self: '', id: '10000', key: PROJECT, name: 'Atlas', projectTypeKey: 'software' },
        created,
        updated,
        resolutiondate: current.statusCategory!.key === 'done' ? updated : null,
        creator: users.dana,
        reporter: users.dana,
        assignee,
        labels: ['backend'],
        [STORY_POINTS_FIELD]: points,
        customfield_10020: sprintIds.map((id) => ({
          id,
          name: `ATL Sprint ${id - 40}`,
          state: id === 41 ? 'closed' : 'active',
          boardId: 7,
        })),
      },
      changelog: {
        startAt: 0,
        maxResults: SEARCH_HISTORY_LIMIT,
        total: hs.length,
        histories: hs.slice(0, SEARCH_HISTORY_LIMIT),
      },
    } as JiraIssue);
  };
  // -0700 offsets as Jira writes them.
  mk(
    1,
    'Login page',
    '2026-01-05T09:00:00.000+0100',
    [
      ['In Progress', '2026-01-06T10:00:00.000+0100', users.eli],
      ['In Review', '2026-01-07T10:00:00.000+0100', users.eli],
      ['Done', '2026-01-08T10:00:00.000+0100', users.dana],
    ],
    3,
    users.eli,
    [41],
  );
  mk(
    2,
    'Password reset',
    '2026-01-05T09:30:00.000+0100',
    [
      ['In Progress', '2026-01-06T11:00:00.000+0100', users.dana],
      ['Done', '2026-01-09T11:00:00.000+0100', users.dana],
      ['In Progress', '2026-01-12T09:00:00.000+0100', users.eli],
      ['Done', '2026-01-14T16:00:00.000+0100', users.automation],
    ],
    5,
    users.dana,
    [41, 42],
  );
  mk(
    3,
    'Audit export',
    '2026-01-10T09:00:00.000+0100',
    [['In Progress', '2026-01-13T09:00:00.000+0100', users.eli]],
    null,
    users.eli,
    [42],
  );
  mk(4, 'Rate limiting', '2026-01-11T09:00:00.000+0100', [], 2, null, []);
  mk(
    5,
    'Dark mode',
    '2026-01-12T09:00:00.000+0100',
    [['In Progress', '2026-01-15T09:00:00.000+0100', users.dana]],
    8,
    users.dana,
    [42],
  );
  const boards: JiraBoard[] = [
    { id: 7, self: '', name: 'ATL board', type: 'scrum', location: { projectKey: PROJECT } } as JiraBoard,
    { id: 8, self: '', name: 'ATL kanban', type: 'kanban' } as JiraBoard,
  ];
  const sprint = (id: number, state: string, start: string, end: string, complete?: string): JiraSprint =>
    ({
      id,
      self: `https://acme.atlassian.net/rest/agile/1.0/sprint/${id}`,
      state,
      name: `ATL Sprint ${id - 40}`,
      startDate: start,
      endDate: end,
      activatedDate: start,
      ...(complete ? { completeDate: complete } : {}),
      originBoardId: 7,
      goal: '',
    }) as JiraSprint;
  const sprints = new Map<number, JiraSprint[]>([
    [
      7,
      [
        sprint(
          41,
          'closed',
          '2026-01-05T08:00:00.000Z',
          '2026-01-09T17:00:00.000Z',
          '2026-01-09T17:05:00.000Z',
        ),
        sprint(42, 'active', '2026-01-12T08:00:00.000Z', '2026-01-23T17:00:00.000Z'),
        sprint(43, 'future', '2026-01-26T08:00:00.000Z', '2026-02-06T17:00:00.000Z'),
      ],
    ],
  ]);
  return { site, users, statuses, issues, histories, boards, sprints };
}

function startAtPaged<T>(req: FixtureRequest, values: T[], size: number): FixtureResponse {
  const startAt = Number(req.url.searchParams.get('startAt') ?? '0');
  const slice = values.slice(startAt, startAt + size);
  return {
    body: {
      maxResults: size,
      startAt,
      total: values.length,
      isLast: startAt + size >= values.length,
      values: slice,
    },
  };
}

/** Serves the dataset like Jira Cloud; the search honours `updated >= "yyyy-MM-dd HH:mm"` in the JQL. */
export function jiraHandler(data: JiraDataset) {
  return (req: FixtureRequest): FixtureResponse | undefined => {
    const path = req.url.pathname;
    if (path === '/rest/api/3/myself')
      return { body: { accountId: data.users.dana.accountId, displayName: 'Dana Novak' } };
    if (path === '/rest/api/3/status') return { body: data.statuses };
    if (path === '/rest/api/3/search/jql' && req.method === 'POST') {
      const body = req.body as { jql: string; nextPageToken?: string; expand?: string; fields?: string[] };
      const m = /updated >= "(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})"/.exec(body.jql);
      const from = m ? Date.parse(`${m[1]}T${m[2]}:00Z`) : -Infinity;
      const matching = data.issues
        .filter((i) => Date.parse(i.fields.updated) >= from)
        .sort((a, b) => Date.parse(a.fields.updated) - Date.parse(b.fields.updated));
      const offset = body.nextPageToken
        ? Number(Buffer.from(body.nextPageToken, 'base64').toString('utf8'))
        : 0;
      const page = matching
        .slice(offset, offset + SEARCH_PAGE)
        .map((i) => (body.expand?.includes('changelog') ? i : { ...i, changelog: undefined }));
      const more = offset + SEARCH_PAGE < matching.length;
      return {
        body: {
          issues: page,
          ...(more ? { nextPageToken: Buffer.from(String(offset + SEARCH_PAGE)).toString('base64') } : {}),
          isLast: !more,
        },
      };
    }
    const cl = /^\/rest\/api\/3\/issue\/([A-Z]+-\d+)\/changelog$/.exec(path);
    if (cl) {
      const hs = data.histories.get(cl[1]!);
      if (!hs)
        return {
          status: 404,
          body: {
            errorMessages: ['Issue does not exist or you do not have permission to see it.'],
            errors: {},
          },
        };
      return startAtPaged(req, hs, 2);
    }
    if (path === '/rest/agile/1.0/board')
      return startAtPaged(
        req,
        data.boards.filter(() => req.url.searchParams.get('projectKeyOrId') === PROJECT),
        1,
      );
    const sp = /^\/rest\/agile\/1\.0\/board\/(\d+)\/sprint$/.exec(path);
    if (sp) {
      const id = Number(sp[1]);
      const board = data.boards.find((b) => b.id === id);
      if (board?.type !== 'scrum')
        return { status: 400, body: { errorMessages: ['The board does not support sprints'], errors: {} } };
      return startAtPaged(req, data.sprints.get(id) ?? [], 2);
    }
    return { status: 404, body: { errorMessages: ['Not found'], errors: {} } };
  };
}
