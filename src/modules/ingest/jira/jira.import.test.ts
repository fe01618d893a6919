import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson } from '../../../test/factories.js';
import { createTestDatabase, type TestDatabase } from '../../../test/test-db.js';
import '../connectors/jira.connector.js';
import { createConnection } from '../ingest.connections.js';
import { runConnection } from '../ingest.runner.js';
import { startFixtureServer, type FixtureServer } from '../remote/fixture-server.js';
import { clientDefaults } from '../remote/http-client.js';
import {
  buildJiraDataset,
  jiraHandler,
  PROJECT,
  STORY_POINTS_FIELD,
  type JiraDataset,
} from './jira.fixtures.js';

let t: TestDatabase;
let server: FixtureServer;
let data: JiraDataset;
const db = () => t.database.db;

beforeAll(async () => {
  t = await createTestDatabase();
  data = buildJiraDataset(() => server.url);
  server = await startFixtureServer(jiraHandler(data));
  clientDefaults.sleep = async () => undefined;
  process.env.CAIRN_TEST_JIRA_TOKEN = 'jira-fixture';
  await buildPerson(db(), { email: 'dana@kestrel.example', name: 'Dana Novak' });
});
afterAll(async () => {
  delete clientDefaults.sleep;
  await server.close();
  await t.destroy();
});

async function counts() {
  const n = async (table: 'ingest_work_item' | 'ingest_work_event') =>
    Number(
      (
        await db()
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { items: await n('ingest_work_item'), events: await n('ingest_work_event') };
}

describe('cairn import jira (the connector through the pipeline)', () => {
  let connectionId: string;

  it('imports sprints and issues with full changelogs through a 429 and a 502', async () => {
    const c = await createConnection(db(), {
      kind: 'jira',
      name: 'ATL',
      config: {
        site: server.url,
        project: PROJECT,
        email: 'dana@kestrel.example',
        storyPointsField: STORY_POINTS_FIELD,
        tokenEnv: 'CAIRN_TEST_JIRA_TOKEN',
      },
    });
    connectionId = c.id;
    server.queueFault('/rest/api/3/search/jql', { status: 429, headers: { 'retry-after': '3' } });
    server.queueFault('/rest/agile/1.0/board/7/sprint', { status: 502 });
    const run = await runConnection(db(), c.id);
    expect(run.error).toBeNull();
    expect(await counts()).toEqual({ items: 5, events: 5 + 9 + 3 });

    const dana = await db()
      .selectFrom('person')
      .select('id')
      .where('email', '=', 'dana@kestrel.example')
      .executeTakeFirstOrThrow();
    const completed = await db()
      .selectFrom('ingest_work_event')
      .select(['source_id', 'person_id', 'attributes'])
      .where('kind', '=', 'issue_completed')
      .orderBy('occurred_at')
      .execute();
    expect(completed).toHaveLength(3);
    // ATL-2 is assigned to Dana: both of its completions are hers, with its story points.
    expect(completed.filter((e) => e.person_id === dana.id)).toHaveLength(2);
    expect(completed.map((e) => (e.attributes as { storyPoints: number }).storyPoints)).toEqual([3, 5, 5]);
    expect(
      await db().selectFrom('ingest_work_event').select('id').where('kind', '=', 'issue_reopened').execute(),
    ).toHaveLength(1);
    // The last completion was made by an automation rule; it is still credited to the assignee.
    expect((completed[2]!.attributes as { transitionedBy: { name: string } }).transitionedBy.name).toBe(
      'Automation for Jira',
    );
    const eli = await db()
      .selectFrom('ingest_identity')
      .selectAll()
      .where('display_name', '=', 'Eli Park')
      .executeTakeFirstOrThrow();
    expect(eli.person_id).toBeNull(); // no e-mail visible: waits in the review queue
  });

  it('running again, or from scratch, changes nothing', async () => {
    const before = await counts();
    const again = await runConnection(db(), connectionId);
    expect(again.summary).toMatchObject({ created: 0, updated: 0 });
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

  it('garbage from the search endpoint fails the run naming Jira and the URL; nothing half-written', async () => {
    const before = await counts();
    await db()
      .updateTable('ingest_connection')
      .set({ cursor: JSON.stringify({}) })
      .where('id', '=', connectionId)
      .execute();
    server.queueFault('/rest/api/3/search/jql', { status: 200, body: '{"issues": "nope"}' });
    const run = await runConnection(db(), connectionId);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/Jira answered the issue search with no "issues" list/);
    expect(await counts()).toEqual(before);
  });
});
