import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../remote/fixture-server.js';
import { RemoteApiError } from '../remote/http-client.js';
import type { WorkDraft } from '../remote/work-drafts.js';
import { githubBackfill, type GithubCursor } from './github.backfill.js';
import { GithubClient } from './github.client.js';
import { buildGithubDataset, githubHandler, REPO, type GithubDataset } from './github.fixtures.js';

let server: FixtureServer;
let data: GithubDataset;
const waits: number[] = [];
const notices: string[] = [];

beforeEach(async () => {
  data = buildGithubDataset();
  waits.length = 0;
  notices.length = 0;
  server = await startFixtureServer(githubHandler(data, () => server.url, '/api/v3'));
});
afterEach(() => server.close());

function client(extra: Partial<ConstructorParameters<typeof GithubClient>[0]> = {}) {
  return new GithubClient({
    apiUrl: `${server.url}/api/v3`,
    token: 'ghp_test',
    sleep: async (ms) => {
      waits.push(ms);
    },
    onNotice: (m) => notices.push(m),
    ...extra,
  });
}

async function collect(c: GithubClient, cursor: GithubCursor = {}) {
  const all: WorkDraft = { items: [], events: [] };
  let last: GithubCursor = cursor;
  let read = 0;
  for await (const b of githubBackfill(c, REPO, cursor)) {
    all.items.push(...b.draft.items);
    all.events.push(...b.draft.events);
    last = b.cursor;
    read += b.read;
    expect(b.rejected).toEqual([]);
  }
  return { all, cursor: last, read };
}

describe('GitHub backfill against a recorded-shape API', () => {
  it('follows Link pagination, waits out a rate limit, retries a 502 and maps every record', async () => {
    server.queueFault(`/api/v3/repos/${REPO}/pulls`, { status: 502, body: 'Bad Gateway' });
    server.queueFault(`/api/v3/repos/${REPO}/issues`, {
      status: 403,
      headers: {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 30),
      },
      body: { message: 'API rate limit exceeded' },
    });
    const { all, cursor, read } = await collect(client());

    // Pages of 2 were followed: 5 pull requests, 2 real issues (2 PRs in the issue list skipped).
    expect(
      all.items
        .filter((i) => i.kind === 'pull_request')
        .map((i) => i.key)
        .sort(),
    ).toEqual(['#1', '#2', '#3', '#5', '#6']);
    expect(
      all.items
        .filter((i) => i.kind === 'issue')
        .map((i) => i.key)
        .sort(),
    ).toEqual(['#4', '#7']);
    expect(read).toBe(5 + 3 + 2 + 3);
    expect(server.log.some((l) => l.path.includes('/pulls?') && l.path.includes('page=3'))).toBe(true);

    // The 502 was retried after a backoff; the rate limit was waited out until its reset.
    expect(server.log.filter((l) => l.status === 502)).toHaveLength(1);
    expect(server.log.filter((l) => l.status === 403)).toHaveLength(1);
    expect(waits.some((w) => w >= 25_000 && w <= 32_000)).toBe(true);
    expect(notices.join('\n')).toMatch(/rate limit/);

    const pr1 = all.items.find((i) => i.key === '#1')!;
    expect(pr1).toMatchObject({ state: 'merged', author: { externalId: '5001', login: 'alice-k' } });
    expect(pr1.attributes).toMatchObject({
      additions: 10,
      deletions: 2,
      firstCommitAt: '2026-01-01T14:00:00.000Z',
      areas: ['docs', 'src/api'],
    });
    const kinds = all.events.map((e) => `${e.sourceId}:${e.kind}`);
    expect(kinds).toContain(`${REPO}#1:opened:pr_opened`);
    expect(kinds).toContain(`${REPO}#1:merged:pr_merged`);
    expect(kinds).toContain(`${REPO}#2:closed:2026-01-06T09:00:00.000Z:pr_closed`);
    expect(
      all.events
        .filter((e) => e.kind === 'review_submitted')
        .map((e) => e.attributes.state)
        .sort(),
    ).toEqual(['approved', 'changes_requested', 'changes_requested', 'commented', 'commented']);
    expect(all.events.filter((e) => e.kind === 'review_comment')).toHaveLength(3);
    expect(all.events.filter((e) => e.kind === 'issue_comment')).toHaveLength(3);
    expect(all.events.find((e) => e.sourceId === `${REPO}#3:opened`)?.actor?.isBot).toBe(true);
    expect(cursor).toEqual({
      pulls: '2026-01-09T10:00:00Z',
      reviewComments: '2026-01-08T10:02:00Z',
      issues: '2026-01-09T12:00:00Z',
      issueComments: '2026-01-09T13:00:00Z',
    });
  });

  it('an incremental run from the cursor reads only what changed since', async () => {
    const first = await collect(client());
    data.pulls.find((p) => p.number === 6)!.updated_at = '2026-02-01T10:00:00Z';
    data.pulls.find((p) => p.number === 6)!.merged_at = '2026-02-01T10:00:00Z';
    data.pulls.find((p) => p.number === 6)!.closed_at = '2026-02-01T10:00:00Z';
    server.log.length = 0;
    const second = await collect(client(), first.cursor);
    const prs = second.all.items.filter((i) => i.kind === 'pull_request').map((i) => i.key);
    // #6 changed; #5 is at the cursor's boundary (re-read, harmless); older ones are not fetched again.
    expect(prs).toContain('#6');
    expect(prs).not.toContain('#1');
    expect(server.log.some((l) => l.path.startsWith(`/api/v3/repos/${REPO}/pulls/1`))).toBe(false);
    expect(second.all.events.some((e) => e.kind === 'pr_merged' && e.itemSourceId === `${REPO}#6`)).toBe(
      true,
    );
    expect(second.cursor.pulls).toBe('2026-02-01T10:00:00Z');
  });

  it('gives up with a clear message when the rate limit resets later than the longest allowed wait', async () => {
    server.queueFault(`/api/v3/repos/${REPO}/pulls`, {
      status: 429,
      headers: { 'retry-after': '3600' },
      body: { message: 'slow down' },
    });
    await expect(collect(client({ maxRateLimitWaitMs: 60_000 }))).rejects.toThrow(
      /rate limit reached; it resets at .* Run the import again after that time/,
    );
  });

  it('stops after the retries when the server keeps failing, and reports a 401 with a hint', async () => {
    const bad = Array.from({ length: 5 }, () => ({ status: 502 }));
    server.queueFault(`/api/v3/repos/${REPO}`, ...bad);
    const error = await client({ retries: 2 })
      .getRepository(REPO)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteApiError);
    expect((error as Error).message).toMatch(/answered 502 .* 3 times/);
    server.queueFault(`/api/v3/repos/${REPO}`, { status: 401, body: { message: 'Bad credentials' } });
    await expect(client().getRepository(REPO)).rejects.toThrow(/401 .*Bad credentials.*Check the token/);
  });

  it('garbage instead of JSON is an error naming the URL', async () => {
    server.queueFault(`/api/v3/repos/${REPO}`, { status: 200, body: '<html>proxy login</html>' });
    await expect(client().getRepository(REPO)).rejects.toThrow(/not JSON.*proxy login/);
  });

  it('sends the token and the API version header', async () => {
    let seen: Record<string, unknown> = {};
    await server.close();
    server = await startFixtureServer((req) => {
      seen = req.headers;
      return { body: { full_name: REPO, private: true } };
    });
    await new GithubClient({ apiUrl: server.url, token: 'ghp_abc' }).getRepository(REPO);
    expect(seen.authorization).toBe('Bearer ghp_abc');
    expect(seen['x-github-api-version']).toBe('2022-11-28');
  });
});
