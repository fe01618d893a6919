import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson } from '../../../test/factories.js';
import { createTestDatabase, type TestDatabase } from '../../../test/test-db.js';
import { readGithubConfig } from '../connectors/github.connector.js';
import { createConnection } from '../ingest.connections.js';
import { runConnection } from '../ingest.runner.js';
import { startFixtureServer, type FixtureServer } from '../remote/fixture-server.js';
import { clientDefaults } from '../remote/http-client.js';
import { buildGithubDataset, githubHandler, REPO, type GithubDataset } from './github.fixtures.js';

let t: TestDatabase;
let server: FixtureServer;
let data: GithubDataset;
const waits: number[] = [];
const db = () => t.database.db;

beforeAll(async () => {
  t = await createTestDatabase();
  data = buildGithubDataset();
  server = await startFixtureServer(githubHandler(data, () => server.url, '/api/v3'));
  clientDefaults.sleep = async (ms) => {
    waits.push(ms);
  };
  process.env.CAIRN_TEST_GITHUB_TOKEN = 'ghp_fixture';
  await buildPerson(db(), { email: 'alice@kestrel.example', name: 'Alice K' });
});
afterAll(async () => {
  delete clientDefaults.sleep;
  await server.close();
  await t.destroy();
});

async function counts() {
  const n = async (table: 'ingest_work_item' | 'ingest_work_event' | 'ingest_raw_payload') =>
    Number(
      (
        await db()
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    items: await n('ingest_work_item'),
    events: await n('ingest_work_event'),
    raw: await n('ingest_raw_payload'),
  };
}

describe('cairn import github (the connector through the pipeline)', () => {
  let connectionId: string;

  it('backfills a repository over pages, through a rate limit and a 502, into items and events', async () => {
    const c = await createConnection(db(), {
      kind: 'github',
      name: 'atlas',
      config: { repo: REPO, apiUrl: `${server.url}/api/v3`, tokenEnv: 'CAIRN_TEST_GITHUB_TOKEN' },
    });
    connectionId = c.id;
    server.queueFault(`/api/v3/repos/${REPO}/pulls`, { status: 502, body: 'Bad Gateway' });
    server.queueFault(`/api/v3/repos/${REPO}/issues/comments`, {
      status: 429,
      headers: { 'retry-after': '2' },
      body: { message: 'You have exceeded a secondary rate limit.' },
    });
    const result = await runConnection(db(), c.id);
    expect(result.error).toBeNull();
    expect(result.status).toBe('succeeded');
    expect(waits).toContain(2000);
    expect(server.log.filter((l) => l.status === 502 || l.status === 429)).toHaveLength(2);

    const items = await db().selectFrom('ingest_work_item').selectAll().orderBy('source_id').execute();
    expect(items.map((i) => `${i.kind} ${i.number} ${i.state}`)).toEqual([
      'pull_request #1 merged',
      'pull_request #2 closed',
      'pull_request #3 merged',
      'issue #4 closed',
      'pull_request #5 draft',
      'pull_request #6 open',
      'issue #7 open',
    ]);
    const pr1 = items.find((i) => i.number === '#1')!;
    expect(pr1.attributes).toMatchObject({
      additions: 10,
      firstCommitAt: '2026-01-01T14:00:00.000Z',
      areas: ['docs', 'src/api'],
    });

    // alice's public e-mail matches a person; her PR and events are attributed to her.
    const alice = await db()
      .selectFrom('person')
      .select('id')
      .where('email', '=', 'alice@kestrel.example')
      .executeTakeFirstOrThrow();
    expect(pr1.person_id).toBe(alice.id);
    const kinds = await db()
      .selectFrom('ingest_work_event')
      .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('kind')
      .orderBy('kind')
      .execute();
    expect(Object.fromEntries(kinds.map((k) => [k.kind, Number(k.n)]))).toEqual({
      commit: 10, // two per pull request, from each PR's commit list
      commit_coauthored: 5, // one Co-authored-by trailer each
      issue_comment: 3,
      issue_completed: 1,
      issue_created: 2,
      pr_closed: 1,
      pr_merged: 2,
      pr_opened: 5,
      pr_ready: 2, // ready_for_review in the event lists of #1 and #5 (not other event kinds)
      review_comment: 3,
      review_submitted: 5,
    });
    const bot = await db()
      .selectFrom('ingest_identity')
      .selectAll()
      .where('login', '=', 'dependabot[bot]')
      .executeTakeFirstOrThrow();
    expect(bot.is_bot).toBe(true);
    // Marked ready for review: when and by whom, from the PR's event list (read over three pages).
    const ready = await db()
      .selectFrom('ingest_work_event')
      .selectAll()
      .where('kind', '=', 'pr_ready')
      .orderBy('occurred_at')
      .execute();
    expect(ready.map((e) => [e.source_id, e.occurred_at.toISOString(), e.item_source_id])).toEqual([
      [`${REPO}#1:ready:2026-01-02T15:00:00.000Z`, '2026-01-02T15:00:00.000Z', `${REPO}#1`],
      [`${REPO}#5:ready:2026-01-07T16:00:00.000Z`, '2026-01-07T16:00:00.000Z', `${REPO}#5`],
    ]);
    expect(ready[0]!.person_id).toBe(alice.id);
    expect(server.log.map((l) => l.path)).toContain(
      `/api/v3/repos/${REPO}/issues/1/events?per_page=100&page=3`,
    );
    // Commits of a pull request: keyed like pushed commits, linked to the PR, the earliest marked;
    // alice's no-reply address follows her GitHub identity to her.
    const commits = await db()
      .selectFrom('ingest_work_event')
      .selectAll()
      .where('kind', '=', 'commit')
      .where('item_source_id', '=', `${REPO}#1`)
      .orderBy('occurred_at')
      .execute();
    expect(
      commits.map((c) => [c.source_id, c.occurred_at.toISOString(), c.attributes.firstOfPullRequest]),
    ).toEqual([
      [`commit:${REPO}@${'1a'.padEnd(40, '0')}`, '2026-01-01T14:00:00.000Z', true],
      [`commit:${REPO}@${'1b'.padEnd(40, '0')}`, '2026-01-02T08:00:00.000Z', false],
    ]);
    expect(commits.every((c) => c.person_id === alice.id)).toBe(true);
    expect(commits[0]!.occurred_at.toISOString()).toBe(pr1.attributes.firstCommitAt);
    // bob and carol (GitHub, no e-mail), their no-reply commit addresses, and bob's co-author e-mail.
    expect(result.summary.unmatched).toBe(5);
    const conn = await db()
      .selectFrom('ingest_connection')
      .selectAll()
      .where('id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(conn.cursor).toMatchObject({
      pulls: '2026-01-09T10:00:00Z',
      issueComments: '2026-01-09T13:00:00Z',
    });
    expect((await counts()).raw).toBeGreaterThan(0);
  });

  it('running again changes nothing; re-reading everything from scratch changes nothing either', async () => {
    const before = await counts();
    const again = await runConnection(db(), connectionId);
    expect(again.status).toBe('succeeded');
    expect(again.summary.created).toBe(0);
    expect(again.summary.updated).toBe(0);
    expect(await counts()).toEqual(before);

    await db()
      .updateTable('ingest_connection')
      .set({ cursor: JSON.stringify({}) })
      .where('id', '=', connectionId)
      .execute();
    const full = await runConnection(db(), connectionId);
    expect(full.summary).toMatchObject({ created: 0, updated: 0, rejected: 0 });
    expect(full.summary.unchanged).toBe(full.summary.read);
    expect(await counts()).toEqual(before);
  });

  it('picks up a change incrementally: a pull request merged since the last run', async () => {
    const pr6 = data.pulls.find((p) => p.number === 6)!;
    Object.assign(pr6, {
      state: 'closed',
      updated_at: '2026-02-01T10:00:00Z',
      merged_at: '2026-02-01T10:00:00Z',
      closed_at: '2026-02-01T10:00:00Z',
    });
    server.log.length = 0;
    const run = await runConnection(db(), connectionId);
    expect(run.status).toBe('succeeded');
    expect(server.log.some((l) => l.path.startsWith(`/api/v3/repos/${REPO}/pulls/1/`))).toBe(false);
    const item = await db()
      .selectFrom('ingest_work_item')
      .selectAll()
      .where('number', '=', '#6')
      .executeTakeFirstOrThrow();
    expect(item.state).toBe('merged');
    const merged = await db()
      .selectFrom('ingest_work_event')
      .selectAll()
      .where('source_id', '=', `${REPO}#6:merged`)
      .execute();
    expect(merged).toHaveLength(1);
  });

  it("a bad token fails the run with GitHub's answer and a hint, and changes nothing", async () => {
    const before = await counts();
    server.queueFault(`/api/v3/repos/${REPO}/pulls`, { status: 401, body: { message: 'Bad credentials' } });
    const run = await runConnection(db(), connectionId);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/GitHub answered 401 .*Bad credentials.*Check the token/);
    expect(await counts()).toEqual(before);
  });

  it('uses a token saved on the connection before the environment variable, never the redacted placeholder', () => {
    expect(readGithubConfig({ repo: REPO, token: 'ghp_saved' }).token).toBe('ghp_saved');
    expect(readGithubConfig({ repo: REPO, token: '********' }).token).toBeUndefined();
    expect(readGithubConfig({ repo: REPO }).tokenEnv).toBe('GITHUB_TOKEN');
  });
});
