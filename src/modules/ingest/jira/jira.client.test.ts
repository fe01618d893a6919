import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../remote/fixture-server.js';
import type { WorkDraft } from '../remote/work-drafts.js';
import { jiraBackfill, jiraJql, type JiraCursor } from './jira.backfill.js';
import { JiraClient } from './jira.client.js';
import {
  buildJiraDataset,
  jiraHandler,
  PROJECT,
  STORY_POINTS_FIELD,
  type JiraDataset,
} from './jira.fixtures.js';

let server: FixtureServer;
let data: JiraDataset;
const waits: number[] = [];

beforeEach(async () => {
  waits.length = 0;
  data = buildJiraDataset(() => server.url);
  server = await startFixtureServer(jiraHandler(data));
});
afterEach(() => server.close());

function client() {
  return new JiraClient({
    site: server.url,
    email: 'dana@kestrel.example',
    token: 'jira-token',
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
}

async function collect(cursor: JiraCursor = {}) {
  const all: WorkDraft = { items: [], events: [] };
  let last = cursor;
  for await (const b of jiraBackfill(
    client(),
    { project: PROJECT, storyPointsField: STORY_POINTS_FIELD },
    cursor,
  )) {
    expect(b.rejected).toEqual([]);
    all.items.push(...b.draft.items);
    all.events.push(...b.draft.events);
    last = b.cursor;
  }
  return { all, cursor: last };
}

describe('Jira backfill against a recorded-shape site', () => {
  it('pages with nextPageToken, completes truncated changelogs, reads sprints, survives a 429 and a 502', async () => {
    server.queueFault('/rest/api/3/search/jql', {
      status: 429,
      headers: { 'retry-after': '7' },
      body: { errorMessages: ['Rate limit exceeded'] },
    });
    server.queueFault('/rest/api/3/issue/ATL-2/changelog', { status: 502, body: 'Bad Gateway' });
    const { all, cursor } = await collect();

    expect(all.items.map((i) => i.key).sort()).toEqual(['ATL-1', 'ATL-2', 'ATL-3', 'ATL-4', 'ATL-5']);
    expect(waits).toContain(7000);
    expect(server.log.filter((l) => l.status === 502)).toHaveLength(1);
    // Three search pages of two.
    expect(server.log.filter((l) => l.path === '/rest/api/3/search/jql' && l.status === 200)).toHaveLength(3);

    const atl2 = all.events.filter((e) => e.itemSourceId === '20002');
    // Its 4 transitions were only complete after the changelog endpoint was read.
    expect(atl2.map((e) => e.kind)).toEqual([
      'issue_created',
      'issue_transitioned',
      'issue_completed',
      'issue_reopened',
      'issue_completed',
    ]);
    expect(atl2.find((e) => e.kind === 'issue_completed')?.actor?.externalId).toBe(data.users.dana.accountId);
    expect(atl2.find((e) => e.kind === 'issue_completed')?.attributes.storyPoints).toBe(5);
    expect(all.items.find((i) => i.key === 'ATL-1')).toMatchObject({
      state: 'Done',
      attributes: { statusCategory: 'done', storyPoints: 3, sprintIds: [41] },
      author: { source: 'jira', email: 'dana@kestrel.example', displayName: 'Dana Novak' },
    });
    // Sprints: 41 started and closed, 42 started, 43 in the future; the kanban board has none.
    expect(
      all.events
        .filter((e) => e.kind.startsWith('sprint_'))
        .map((e) => e.sourceId)
        .sort(),
    ).toEqual(['jira:sprint:41:closed', 'jira:sprint:41:started', 'jira:sprint:42:started']);
    expect(cursor.updated).toBe('2026-01-15T08:00:00.000Z');
  });

  it('an incremental run asks only for issues updated since the cursor, with a day of overlap', async () => {
    expect(jiraJql('ATL', { updated: '2026-01-15T08:00:00.000Z' })).toBe(
      'project = "ATL" AND updated >= "2026-01-14 08:00" ORDER BY updated ASC',
    );
    const { all } = await collect({ updated: '2026-01-15T08:00:00.000Z' });
    expect(all.items.map((i) => i.key).sort()).toEqual(['ATL-2', 'ATL-5']);
  });

  it('sends basic auth made of the e-mail address and the API token', async () => {
    let auth: unknown;
    await server.close();
    server = await startFixtureServer((req) => {
      auth = req.headers.authorization;
      return { body: { accountId: 'x' } };
    });
    await client().myself();
    expect(auth).toBe(`Basic ${Buffer.from('dana@kestrel.example:jira-token').toString('base64')}`);
  });

  it('an issue with unreadable story points is rejected by name; the rest of the page goes in', async () => {
    data.issues[0]!.fields[STORY_POINTS_FIELD] = 'lots';
    const rejected = [];
    for await (const b of jiraBackfill(client(), { project: PROJECT, storyPointsField: STORY_POINTS_FIELD }))
      rejected.push(...b.rejected);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ sourceId: 'ATL-1', field: `fields.${STORY_POINTS_FIELD}` });
  });
});
