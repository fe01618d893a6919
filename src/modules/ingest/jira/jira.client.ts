import { HttpClient, RemoteApiError, type HttpClientOptions } from '../remote/http-client.js';
import type {
  JiraBoard,
  JiraHistory,
  JiraPaged,
  JiraSearchPage,
  JiraSprint,
  JiraStatus,
} from './jira.types.js';

export interface JiraClientOptions extends Partial<Omit<HttpClientOptions, 'service' | 'baseUrl'>> {
  /** https://acme.atlassian.net */
  site: string;
  email?: string | undefined;
  token?: string | undefined;
}

const PAGE = 100;

/** Jira Cloud REST v3 and Agile 1.0, basic auth with an e-mail address and an API token. */
export class JiraClient {
  readonly http: HttpClient;

  constructor(options: JiraClientOptions) {
    const { site, email, token, ...rest } = options;
    if (!/^https?:\/\//.test(site))
      throw new Error(`The Jira site must be a URL such as https://acme.atlassian.net, not "${site}".`);
    this.http = new HttpClient({
      ...rest,
      service: 'Jira',
      baseUrl: site,
      headers: {
        accept: 'application/json',
        'user-agent': 'cairn-ingest',
        ...(email && token
          ? { authorization: `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}` }
          : {}),
      },
    });
  }

  /** Who the credentials belong to (the connection test). */
  async myself(): Promise<{ accountId: string; displayName?: string }> {
    return (await this.http.get<{ accountId: string; displayName?: string }>('/rest/api/3/myself')).data;
  }

  /** Every status of the site with its category, to tell "done" transitions apart. */
  async statusCategories(): Promise<Map<string, string>> {
    const statuses = (await this.http.get<JiraStatus[]>('/rest/api/3/status')).data;
    return new Map(
      (statuses ?? []).filter((s) => s.statusCategory?.key).map((s) => [String(s.id), s.statusCategory!.key]),
    );
  }

  /** Issues matching a JQL query with their changelogs, page by page (`nextPageToken` paging). */
  async *searchIssues(jql: string, fields: string[]): AsyncGenerator<JiraSearchPage> {
    let nextPageToken: string | undefined;
    for (;;) {
      const { data } = await this.http.post<JiraSearchPage>('/rest/api/3/search/jql', {
        jql,
        maxResults: PAGE,
        fields,
        expand: 'changelog',
        ...(nextPageToken ? { nextPageToken } : {}),
      });
      if (!data || !Array.isArray(data.issues))
        throw new RemoteApiError(
          'Jira answered the issue search with no "issues" list.',
          200,
          '/rest/api/3/search/jql',
        );
      yield data;
      if (data.isLast === true || !data.nextPageToken) return;
      nextPageToken = data.nextPageToken;
    }
  }

  /** The whole changelog of one issue (search results hold only the first entries of long ones). */
  async changelog(issueKey: string): Promise<JiraHistory[]> {
    const out: JiraHistory[] = [];
    let startAt = 0;
    for (;;) {
      const { data } = await this.http.get<JiraPaged<JiraHistory>>(
        `/rest/api/3/issue/${encodeURIComponent(issueKey)}/changelog`,
        { startAt, maxResults: PAGE },
      );
      out.push(...data.values);
      if (
        data.isLast === true ||
        data.values.length === 0 ||
        (data.total !== undefined && startAt + data.values.length >= data.total)
      )
        return out;
      startAt += data.values.length;
    }
  }

  private async allPaged<T>(
    path: string,
    query: Record<string, string | number | undefined> = {},
  ): Promise<T[]> {
    const out: T[] = [];
    let startAt = 0;
    for (;;) {
      const { data } = await this.http.get<JiraPaged<T>>(path, { ...query, startAt, maxResults: 50 });
      out.push(...data.values);
      if (data.isLast !== false || data.values.length === 0) return out;
      startAt += data.values.length;
    }
  }

  boards(projectKey: string): Promise<JiraBoard[]> {
    return this.allPaged<JiraBoard>('/rest/agile/1.0/board', { projectKeyOrId: projectKey });
  }

  sprints(boardId: number): Promise<JiraSprint[]> {
    return this.allPaged<JiraSprint>(`/rest/agile/1.0/board/${boardId}/sprint`);
  }
}
