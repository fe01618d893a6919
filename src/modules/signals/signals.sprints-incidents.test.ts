import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Person, Team } from '../../db/types.js';
import { buildPerson, buildTeam } from '../../test/factories.js';
import { createTestDatabase, type TestDatabase } from '../../test/test-db.js';
import type { IdentityRef, NormalisedEvent, NormalisedItem } from '../ingest/ingest.model.js';
import { ingestBatch } from '../ingest/ingest.pipeline.js';
import { gh } from './signals.fixture.js';
import { incidentCauses, isIncident } from './signals.metrics.js';
import { applyAllPendingChanges, rebuildSignals } from './signals.rollups.js';
import { evidence, teamDashboard } from './signals.service.js';

let t: TestDatabase;
const db = () => t.database.db;
let team: Team;
let other: Team;
let ada: Person;
let grace: Person;
let A: IdentityRef;
let G: IdentityRef;
const RANGE = { from: '2026-01-05', to: '2026-01-26' };
const SHA = 'a'.repeat(39) + 'b';

beforeAll(async () => {
  t = await createTestDatabase();
  team = await buildTeam(db(), { name: 'Checkout' });
  other = await buildTeam(db(), { name: 'Search' });
  ada = await buildPerson(db(), { name: 'Ada', email: 'ada@sprints.test', team_id: team.id });
  grace = await buildPerson(db(), { name: 'Grace', email: 'grace@sprints.test', team_id: team.id });
  A = gh(ada, 'ada-1');
  G = gh(grace, 'grace-1');
}, 60_000);
afterAll(() => t.destroy());

async function rollup(table: 'person' | 'team', id: string, prefix: string): Promise<Record<string, number>> {
  const rows =
    table === 'person'
      ? await db()
          .selectFrom('signals_person_week')
          .select(['metric', 'value'])
          .where('person_id', '=', id)
          .where('metric', 'like', `${prefix}%`)
          .execute()
      : await db()
          .selectFrom('signals_team_week')
          .select(['metric', 'value'])
          .where('team_id', '=', id)
          .where('metric', 'like', `${prefix}%`)
          .execute();
  const out: Record<string, number> = {};
  for (const r of rows) out[r.metric] = (out[r.metric] ?? 0) + r.value;
  return out;
}

describe('velocity per sprint (hand-computed)', () => {
  it('credits each completed issue to the last sprint it was in, with its points', async () => {
    const items: NormalisedItem[] = [];
    const events: NormalisedEvent[] = [];
    const issue = (key: string, sprintIds: number[], points: number | null) =>
      items.push({
        sourceId: `jira:${key}`,
        kind: 'issue',
        project: 'CHK',
        number: key,
        title: `Work ${key}`,
        state: 'Done',
        author: A,
        openedAt: '2026-01-02T09:00:00Z',
        attributes: { key, issueType: 'Story', storyPoints: points, sprintIds },
      });
    const move = (key: string, n: number, kind: string, who: IdentityRef, at: string) =>
      events.push({
        sourceId: `jira:${key}:h${n}`,
        kind,
        occurredAt: at,
        actor: who,
        project: 'CHK',
        itemSourceId: `jira:${key}`,
        attributes: { key },
      });
    const sprint = (id: number, kind: 'sprint_started' | 'sprint_closed', at: string) =>
      events.push({
        sourceId: `jira:sprint:${id}:${kind}`,
        kind,
        occurredAt: at,
        actor: null,
        project: 'CHK',
        itemSourceId: null,
        attributes: { sprintId: id, name: `CHK Sprint ${id - 40}` },
      });
    sprint(41, 'sprint_started', '2026-01-05T08:00:00Z');
    sprint(41, 'sprint_closed', '2026-01-16T17:00:00Z');
    sprint(42, 'sprint_started', '2026-01-19T08:00:00Z');
    // CHK-10: done in sprint 41 (3 points).
    issue('CHK-10', [41], 3);
    move('CHK-10', 1, 'issue_completed', A, '2026-01-08T10:00:00Z');
    // CHK-11: carried over from 41 into 42, done in 42 (5 points) — counts in 42 only.
    issue('CHK-11', [41, 42], 5);
    move('CHK-11', 1, 'issue_completed', G, '2026-01-21T10:00:00Z');
    // CHK-12: done outside any sprint — no sprint credit (still an issue completed).
    issue('CHK-12', [], 8);
    move('CHK-12', 1, 'issue_completed', A, '2026-01-09T10:00:00Z');
    // CHK-13: done in 42, then reopened — does not count.
    issue('CHK-13', [42], 2);
    move('CHK-13', 1, 'issue_completed', A, '2026-01-20T10:00:00Z');
    move('CHK-13', 2, 'issue_reopened', G, '2026-01-21T12:00:00Z');
    // CHK-14: done in 42 without an estimate — one issue, 0 points.
    issue('CHK-14', [42], null);
    move('CHK-14', 1, 'issue_completed', G, '2026-01-22T10:00:00Z');
    // CHK-15: in 41, never done.
    issue('CHK-15', [41], 1);
    await ingestBatch(db(), null, { source: 'jira', items, events });
    await applyAllPendingChanges(db());

    expect(await rollup('team', team.id, 's')).toEqual({
      'si:41': 1,
      'sp:41': 3,
      'si:42': 2,
      'sp:42': 5,
      story_points: 16, // 3 + 5 + 8 (no sprint) + 0; CHK-13 was reopened
    });
    expect(await rollup('person', grace.id, 's')).toEqual({ 'si:42': 2, 'sp:42': 5, story_points: 5 });
    expect((await rollup('team', team.id, 'issues_completed')).issues_completed).toBe(4);

    const d = await teamDashboard(db(), team.id, RANGE, () => true);
    expect(d.sprints).toEqual([
      {
        sprintId: '41',
        name: 'CHK Sprint 1',
        project: 'CHK',
        startedAt: '2026-01-05T08:00:00.000Z',
        closedAt: '2026-01-16T17:00:00.000Z',
        issues: 1,
        points: 3,
      },
      {
        sprintId: '42',
        name: 'CHK Sprint 2',
        project: 'CHK',
        startedAt: '2026-01-19T08:00:00.000Z',
        closedAt: null,
        issues: 2,
        points: 5,
      },
    ]);
    const why = await evidence(db(), {
      metric: 'sprint_points',
      scope: 'team',
      id: team.id,
      range: RANGE,
      limit: 50,
      sprint: '42',
    });
    expect(why.value).toBe(5);
    expect(why.rows.map((r) => [r.sourceId, r.value]).sort()).toEqual([
      ['jira:CHK-11', 5],
      ['jira:CHK-14', 0],
    ]);
  });
});

describe('incidents linked to changes (hand-computed)', () => {
  it('recognises incidents and the changes they name', () => {
    const item = (attributes: Record<string, unknown>, title = 'x') => ({
      kind: 'issue',
      title,
      number: 'INC-1',
      attributes,
    });
    expect(isIncident(item({ issueType: 'Incident' }))).toBe(true);
    expect(isIncident(item({ issueType: 'Bug', labels: ['incident'] }))).toBe(true);
    expect(isIncident(item({ issueType: 'Bug', labels: ['bug'] }))).toBe(false);
    expect(isIncident({ kind: 'pull_request', attributes: { labels: ['incident'] } })).toBe(false);
    expect(
      incidentCauses(
        item(
          {
            key: 'INC-1',
            links: [{ type: 'is caused by', key: 'CHK-30' }],
            description: `See https://github.com/acme/app/pull/20 and https://github.com/acme/app/commit/${SHA}`,
          },
          'INC-1 checkout down after acme/app#21',
        ),
      ),
    ).toEqual([`ghc:acme/app@${SHA}`, 'key:CHK-30', 'pr:acme/app#20', 'pr:acme/app#21', `sha:${SHA}`]);
  });

  it('counts an incident for the author of each change it names, in the week it was raised', async () => {
    const items: NormalisedItem[] = [];
    const events: NormalisedEvent[] = [];
    const pr = (n: number, author: IdentityRef, title: string) => {
      items.push({
        sourceId: `acme/app#${n}`,
        kind: 'pull_request',
        project: 'acme/app',
        number: String(n),
        title,
        state: 'merged',
        author,
        openedAt: '2026-01-05T09:00:00Z',
        mergedAt: '2026-01-06T09:00:00Z',
      });
      events.push({
        sourceId: `acme/app#${n}:merged`,
        kind: 'pr_merged',
        occurredAt: '2026-01-06T09:00:00Z',
        actor: author,
        project: 'acme/app',
        itemSourceId: `acme/app#${n}`,
      });
    };
    const incident = (key: string, type: string, title: string, attributes: Record<string, unknown> = {}) =>
      items.push({
        sourceId: `jira:${key}`,
        kind: 'issue',
        project: 'OPS',
        number: key,
        title,
        state: 'Open',
        author: G,
        openedAt: '2026-01-13T03:00:00Z',
        attributes: { key, issueType: type, ...attributes },
      });
    pr(20, A, 'Faster checkout');
    pr(21, G, 'CHK-30: new payment form');
    // INC-1: names Ada's PR in its title → Ada.
    incident('INC-1', 'Incident', 'Checkout down after acme/app#20');
    // INC-2: a bug labelled incident, linking Ada's PR by URL and Grace's ticket key → Ada and Grace.
    incident('INC-2', 'Bug', 'Payments failing', {
      labels: ['incident'],
      links: [{ type: 'is caused by', key: 'CHK-30' }],
      description: 'Rolled back https://github.com/acme/app/pull/20',
    });
    // INC-3: an incident naming no change → nobody.
    incident('INC-3', 'Incident', 'Datacenter power loss');
    // INC-4: a plain bug mentioning a PR → not an incident.
    incident('INC-4', 'Bug', 'Typo after acme/app#20');
    // INC-5: names a commit by its full hash → the commit's author (Grace).
    incident('INC-5', 'Incident', `Cache stampede from ${SHA}`);
    // INC-6: names a pull request not ingested yet → nobody, until it arrives.
    incident('INC-6', 'Incident', 'Search slow since acme/app#99');
    await ingestBatch(db(), null, {
      source: 'github',
      items: items.filter((i) => i.kind === 'pull_request'),
      events,
    });
    await ingestBatch(db(), null, {
      source: 'git',
      events: [
        {
          sourceId: SHA,
          kind: 'commit',
          occurredAt: '2026-01-07T10:00:00Z',
          actor: { source: 'git', externalId: grace.email, email: grace.email, name: 'Grace' },
          project: 'acme/app',
          attributes: { sha: SHA },
        },
      ],
    });
    await ingestBatch(db(), null, { source: 'jira', items: items.filter((i) => i.kind === 'issue') });
    await applyAllPendingChanges(db());
    const WEEK = '2026-01-12';
    const incidents = async (personId: string) =>
      (
        await db()
          .selectFrom('signals_person_week')
          .select(['week', 'value'])
          .where('person_id', '=', personId)
          .where('metric', '=', 'incidents_linked')
          .execute()
      ).map((r) => [String(r.week), r.value]);
    expect(await incidents(ada.id)).toEqual([[WEEK, 2]]); // INC-1, INC-2
    expect(await incidents(grace.id)).toEqual([[WEEK, 2]]); // INC-2 (via CHK-30), INC-5
    expect((await rollup('team', team.id, 'incidents_linked')).incidents_linked).toBe(4);

    // The pull request INC-6 names arrives later: the incident is recomputed and credited.
    pr(99, A, 'Search index rewrite');
    await ingestBatch(db(), null, {
      source: 'github',
      items: items.filter((i) => i.sourceId === 'acme/app#99'),
    });
    await applyAllPendingChanges(db());
    expect(await incidents(ada.id)).toEqual([[WEEK, 3]]);

    const d = await teamDashboard(db(), team.id, RANGE, () => true);
    expect(d.totals.incidents_linked).toBe(5);
    const why = await evidence(db(), {
      metric: 'incidents_linked',
      scope: 'person',
      id: ada.id,
      range: RANGE,
      limit: 50,
    });
    expect(why.total).toBe(3);
    expect(why.rows.map((r) => r.sourceId).sort()).toEqual(['jira:INC-1', 'jira:INC-2', 'jira:INC-6']);
    expect(why.rows.find((r) => r.sourceId === 'jira:INC-2')?.detail).toBe('caused by CHK-30, acme/app#20');

    // A rebuild from scratch agrees.
    const before = await rollup('team', team.id, '');
    await rebuildSignals(db());
    expect(await rollup('team', team.id, '')).toEqual(before);
  });
});

describe('team rollups follow membership at the time of the event', () => {
  it('a person who moved teams: past work stays with the old team, new work goes to the new one', async () => {
    const mover = await buildPerson(db(), { name: 'Lin', email: 'lin@sprints.test', team_id: team.id });
    const L = gh(mover, 'lin-1');
    const commit = (id: string, at: string) => ({
      sourceId: id,
      kind: 'commit' as const,
      occurredAt: at,
      actor: L,
      project: 'acme/app',
      attributes: { sha: id },
    });
    const old = new Date(Date.now() - 14 * 86400_000).toISOString();
    await ingestBatch(db(), null, { source: 'github', events: [commit('lin-c1', old)] });
    await applyAllPendingChanges(db());
    await db().updateTable('person').set({ team_id: other.id }).where('id', '=', mover.id).execute();
    await new Promise((r) => setTimeout(r, 20));
    const now = new Date().toISOString();
    // New work after the move, and a late-arriving event from before it.
    await ingestBatch(db(), null, {
      source: 'github',
      events: [commit('lin-c2', now), commit('lin-c3', new Date(Date.parse(old) + 3600_000).toISOString())],
    });
    await applyAllPendingChanges(db());
    const commits = async (teamId: string) =>
      (
        await db()
          .selectFrom('signals_team_week')
          .select((eb) => eb.fn.sum<number>('value').as('v'))
          .where('team_id', '=', teamId)
          .where('metric', '=', 'commits')
          .executeTakeFirst()
      )?.v;
    const oldTeam = Number(await commits(team.id));
    expect(Number(await commits(other.id))).toBe(1); // lin-c2
    const membership = await db()
      .selectFrom('signals_team_membership')
      .select(['team_id', 'valid_from', 'valid_to'])
      .where('person_id', '=', mover.id)
      .orderBy('id')
      .execute();
    expect(membership.map((m) => [m.team_id, m.valid_from === null, m.valid_to === null])).toEqual([
      [team.id, true, false],
      [other.id, false, true],
    ]);
    await rebuildSignals(db());
    expect(Number(await commits(team.id))).toBe(oldTeam);
    expect(Number(await commits(other.id))).toBe(1);
    // The person's own rollup has all three.
    expect((await rollup('person', mover.id, 'commits')).commits).toBe(3);
    // "Why this number?" for the new team lists only the commit made after the move.
    const why = await evidence(db(), {
      metric: 'commits',
      scope: 'team',
      id: other.id,
      range: { from: '2026-01-05', to: new Date().toISOString().slice(0, 10) },
      limit: 50,
    });
    expect(why.rows.map((r) => r.sourceId)).toEqual(['lin-c2']);
  });
});
