import type { Kysely } from 'kysely';
import type { DB, Person, Team } from '../../db/types.js';
import { buildPerson, buildTeam } from '../../test/factories.js';
import type {
  IdentityRef,
  NormalisedBatch,
  NormalisedEvent,
  NormalisedItem,
} from '../ingest/ingest.model.js';

/**
 * A small hand-checked week of work (Monday 2026-01-05) with the edge cases the definitions must
 * get right: a pull request with no review, a draft, a review by the author, a revert, a merge
 * commit, an issue reopened after done, and a bot. Expected values are in signals.metrics.test.ts.
 */
export interface SignalsFixture {
  team: Team;
  ada: Person;
  grace: Person;
  batch: NormalisedBatch;
}

export function gh(person: Pick<Person, 'email' | 'name'>, id: string): IdentityRef {
  return { source: 'github', externalId: id, login: person.name.toLowerCase(), email: person.email };
}

export const BOT: IdentityRef = { source: 'github', externalId: '99', login: 'dependabot[bot]', isBot: true };

export async function buildSignalsFixture(db: Kysely<DB>): Promise<SignalsFixture> {
  const team = await buildTeam(db, { name: 'Signals fixture team' });
  const ada = await buildPerson(db, {
    name: 'Ada',
    email: `ada-${team.id.slice(0, 6)}@kestrel.test`,
    team_id: team.id,
  });
  const grace = await buildPerson(db, {
    name: 'Grace',
    email: `grace-${team.id.slice(0, 6)}@kestrel.test`,
    team_id: team.id,
  });
  const A = gh(ada, `a-${team.id}`);
  const G = gh(grace, `g-${team.id}`);
  const items: NormalisedItem[] = [];
  const events: NormalisedEvent[] = [];
  const pr = (
    n: number,
    author: IdentityRef,
    opened: string,
    merged: string | null,
    attributes: Record<string, unknown> = {},
    title = `Change ${n}`,
  ): string => {
    const id = `acme/app#${n}`;
    items.push({
      sourceId: id,
      kind: 'pull_request',
      project: 'acme/app',
      number: String(n),
      title,
      state: merged ? 'merged' : 'open',
      author,
      openedAt: opened,
      mergedAt: merged,
      attributes,
    });
    events.push({
      sourceId: `${id}:opened`,
      kind: 'pr_opened',
      occurredAt: opened,
      actor: author,
      project: 'acme/app',
      itemSourceId: id,
      attributes: { number: n, draft: attributes.draft === true },
    });
    if (merged)
      events.push({
        sourceId: `${id}:merged`,
        kind: 'pr_merged',
        occurredAt: merged,
        actor: author,
        project: 'acme/app',
        itemSourceId: id,
        attributes: { number: n },
      });
    return id;
  };
  const review = (id: string, rid: string, who: IdentityRef, at: string, state: string): void => {
    events.push({
      sourceId: `review:${rid}`,
      kind: 'review_submitted',
      occurredAt: at,
      actor: who,
      project: 'acme/app',
      itemSourceId: id,
      attributes: { state },
    });
  };
  // PR 1: coding 2 h, pickup 2 h (the author's own review does not count), review 22 h; a "fix".
  const pr1 = pr(
    1,
    A,
    '2026-01-05T10:00:00Z',
    '2026-01-06T10:00:00Z',
    { firstCommitAt: '2026-01-05T08:00:00Z' },
    'fix login redirect',
  );
  review(pr1, '1a', A, '2026-01-05T11:00:00Z', 'commented');
  review(pr1, '1b', G, '2026-01-05T12:00:00Z', 'changes_requested');
  review(pr1, '1c', G, '2026-01-06T09:00:00Z', 'approved');
  // PR 2: merged without any review: coding 1 h, no pickup or review time.
  pr(2, A, '2026-01-06T10:00:00Z', '2026-01-06T12:00:00Z', { firstCommitAt: '2026-01-06T09:00:00Z' });
  // PR 3: opened as a draft, ready two days later; pickup counts from ready (1 h), review 23 h.
  const pr3 = pr(3, A, '2026-01-05T09:00:00Z', '2026-01-08T09:00:00Z', { draft: false });
  events.push({
    sourceId: `${pr3}:ready`,
    kind: 'pr_ready_for_review',
    occurredAt: '2026-01-07T09:00:00Z',
    actor: A,
    project: 'acme/app',
    itemSourceId: pr3,
    attributes: {},
  });
  review(pr3, '3a', G, '2026-01-07T10:00:00Z', 'approved');
  // PR 4: a draft never merged — counts as opened only.
  pr(4, A, '2026-01-07T09:00:00Z', null, { draft: true });
  // PR 5: a bot's pull request; Grace's review of it is still a review given.
  const pr5 = pr(5, BOT, '2026-01-07T09:00:00Z', '2026-01-07T11:00:00Z', { labels: ['dependencies'] });
  review(pr5, '5a', G, '2026-01-07T10:00:00Z', 'approved');

  const commit = (sha: string, who: IdentityRef, at: string, attributes: Record<string, unknown>): void => {
    events.push({
      sourceId: `commit:${sha}`,
      kind: 'commit',
      occurredAt: at,
      actor: who,
      project: 'acme/app',
      attributes: { sha, ...attributes },
    });
  };
  commit('c1', A, '2026-01-05T08:00:00Z', { areas: ['src/api'], languages: { TypeScript: 10 } });
  commit('c2', A, '2026-01-06T08:00:00Z', {
    subject: 'Revert "Add cache"',
    areas: ['src/api', 'docs'],
    languages: { TypeScript: 4, Markdown: 1 },
  });
  commit('c3', A, '2026-01-06T13:00:00Z', { merge: true, areas: ['src/api'] });
  commit('c4', BOT, '2026-01-06T13:00:00Z', { areas: ['deps'] });

  const issue = (key: string, type: string, points: number): string => {
    items.push({
      sourceId: key,
      kind: 'issue',
      project: 'KES',
      number: key,
      title: `Issue ${key}`,
      state: 'Done',
      author: A,
      openedAt: '2026-01-01T00:00:00Z',
      attributes: { issueType: type, storyPoints: points },
    });
    return key;
  };
  const transition = (
    key: string,
    hid: string,
    kind: string,
    who: IdentityRef,
    at: string,
    points: number,
  ): void => {
    events.push({
      sourceId: `${key}/h/${hid}`,
      kind,
      occurredAt: at,
      actor: who,
      project: 'KES',
      itemSourceId: key,
      attributes: { storyPoints: points },
    });
  };
  // KES-1: done, then reopened and not done again — does not count.
  issue('KES-1', 'Story', 3);
  transition('KES-1', '1', 'issue_completed', A, '2026-01-05T15:00:00Z', 3);
  transition('KES-1', '2', 'issue_reopened', G, '2026-01-06T15:00:00Z', 3);
  // KES-2: a bug Ada completes (5 points).
  issue('KES-2', 'Bug', 5);
  transition('KES-2', '1', 'issue_completed', A, '2026-01-07T15:00:00Z', 5);
  // KES-3: Grace completes, it is reopened, she completes it again — counts once, when finally done.
  issue('KES-3', 'Story', 2);
  transition('KES-3', '1', 'issue_completed', G, '2026-01-05T15:00:00Z', 2);
  transition('KES-3', '2', 'issue_reopened', A, '2026-01-06T15:00:00Z', 2);
  transition('KES-3', '3', 'issue_completed', G, '2026-01-08T15:00:00Z', 2);

  return { team, ada, grace, batch: { source: 'github', items, events } };
}
