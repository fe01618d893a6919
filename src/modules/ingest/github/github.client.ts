import { HttpClient, nextLink, type HttpClientOptions } from '../remote/http-client.js';
import type {
  GhCommit,
  GhFile,
  GhIssue,
  GhIssueComment,
  GhIssueEvent,
  GhPullRequest,
  GhReview,
  GhReviewComment,
} from './github.types.js';

export const GITHUB_API_URL = 'https://api.github.com';
const PER_PAGE = 100;

export interface GithubClientOptions extends Partial<Omit<HttpClientOptions, 'service' | 'baseUrl'>> {
  token?: string | undefined;
  /** https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server. */
  apiUrl?: string | undefined;
}

/** GitHub's REST API for the few endpoints the backfill needs, with `Link`-header pagination. */
export class GithubClient {
  readonly http: HttpClient;

  constructor(options: GithubClientOptions = {}) {
    const { token, apiUrl, ...rest } = options;
    this.http = new HttpClient({
      ...rest,
      service: 'GitHub',
      baseUrl: apiUrl || GITHUB_API_URL,
      headers: {
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        'user-agent': 'cairn-ingest',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    });
  }

  /** Every page of a list endpoint, following `Link: <…>; rel="next"`. */
  async *pages<T>(
    path: string,
    query: Record<string, string | number | undefined> = {},
  ): AsyncGenerator<T[]> {
    let url: string | undefined = this.http.url(path, { per_page: PER_PAGE, ...query });
    while (url) {
      const res: { data: T[]; headers: Headers } = await this.http.get<T[]>(url);
      if (!Array.isArray(res.data))
        throw new Error(`GitHub answered ${url} with something that is not a list.`);
      yield res.data;
      url = nextLink(res.headers.get('link'));
    }
  }

  async all<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T[]> {
    const out: T[] = [];
    for await (const page of this.pages<T>(path, query)) out.push(...page);
    return out;
  }

  /** Checks the token can read the repository; returns its full name as GitHub spells it. */
  async getRepository(repo: string): Promise<{ full_name: string; private: boolean }> {
    return (await this.http.get<{ full_name: string; private: boolean }>(`/repos/${repo}`)).data;
  }

  /** Pull requests, most recently updated first (the list endpoint has no `since`). */
  pullRequests(repo: string): AsyncGenerator<GhPullRequest[]> {
    return this.pages<GhPullRequest>(`/repos/${repo}/pulls`, {
      state: 'all',
      sort: 'updated',
      direction: 'desc',
    });
  }

  async pullRequest(repo: string, number: number): Promise<GhPullRequest> {
    return (await this.http.get<GhPullRequest>(`/repos/${repo}/pulls/${number}`)).data;
  }

  /** A pull request's commits, oldest first (GitHub lists at most 250). */
  pullCommits(repo: string, number: number): Promise<GhCommit[]> {
    return this.all<GhCommit>(`/repos/${repo}/pulls/${number}/commits`);
  }

  pullFiles(repo: string, number: number): Promise<GhFile[]> {
    return this.all<GhFile>(`/repos/${repo}/pulls/${number}/files`);
  }

  reviews(repo: string, number: number): Promise<GhReview[]> {
    return this.all<GhReview>(`/repos/${repo}/pulls/${number}/reviews`);
  }

  /** The event list of an issue or pull request (ready_for_review, convert_to_draft, merged …), oldest first. */
  issueEvents(repo: string, number: number): Promise<GhIssueEvent[]> {
    return this.all<GhIssueEvent>(`/repos/${repo}/issues/${number}/events`);
  }

  /** Review comments of the whole repository, oldest update first, from `since`. */
  reviewComments(repo: string, since: string | undefined): AsyncGenerator<GhReviewComment[]> {
    return this.pages<GhReviewComment>(`/repos/${repo}/pulls/comments`, {
      sort: 'updated',
      direction: 'asc',
      since,
    });
  }

  /** Issues AND pull requests (GitHub lists both; callers skip entries with `pull_request`). */
  issues(repo: string, since: string | undefined): AsyncGenerator<GhIssue[]> {
    return this.pages<GhIssue>(`/repos/${repo}/issues`, {
      state: 'all',
      sort: 'updated',
      direction: 'asc',
      since,
    });
  }

  issueComments(repo: string, since: string | undefined): AsyncGenerator<GhIssueComment[]> {
    return this.pages<GhIssueComment>(`/repos/${repo}/issues/comments`, {
      sort: 'updated',
      direction: 'asc',
      since,
    });
  }
}
