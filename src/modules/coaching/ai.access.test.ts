import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actorOf,
  buildAccessFixture,
  FIXTURE_RELATIONS,
  type AccessFixture,
  type RelationName,
} from '../../test/access-fixture.js';
import { createTestDatabase, type TestDatabase } from '../../test/test-db.js';
import type { Action } from '../access/access.policy.js';
import { decide } from '../access/access.service.js';
import { ANONYMOUS, type Actor, type Resource } from '../access/access.types.js';

/* The access matrix of AI drafting: settings are the administrator's; a draft is its author's alone. */

const RELATIONS = FIXTURE_RELATIONS;

describe('AI drafting access matrix', () => {
  let t: TestDatabase;
  let f: AccessFixture;
  let draftId: string;
  const actor = (r: RelationName): Actor => (r === 'anonymous' ? ANONYMOUS : actorOf(f.accounts[r]));

  beforeAll(async () => {
    t = await createTestDatabase();
    f = await buildAccessFixture(t.database.db);
    const row = await t.database.db
      .insertInto('coaching_ai_draft')
      .values({
        opportunity_id: '00000000-0000-4000-8000-000000000001',
        kind: 'guide',
        created_by_account_id: f.accounts.manager.id,
        model: 'm',
        base_url: 'http://127.0.0.1/v1',
        messages: JSON.stringify([]),
        output: 'x',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    draftId = row.id;
  });
  afterAll(() => t.destroy());

  const allowed = async (action: Action, resource: () => Resource) => {
    const got: RelationName[] = [];
    for (const r of RELATIONS)
      if ((await decide(t.database.db, actor(r), action, resource())).allowed) got.push(r);
    return got;
  };

  it('only administrators read or change the AI settings', async () => {
    expect(await allowed('coaching.ai.settings.read', () => ({ type: 'org' }))).toEqual(['admin']);
    expect(await allowed('coaching.ai.settings.manage', () => ({ type: 'org' }))).toEqual(['admin']);
  });

  it('everyone signed in may ask whether AI is available', async () => {
    expect(await allowed('coaching.ai.status', () => ({ type: 'org' }))).toEqual(
      RELATIONS.filter((r) => r !== 'anonymous'),
    );
  });

  it('a draft is readable and decidable by its author only (not the chain, HR, admins or executives)', async () => {
    const draft = () => ({ type: 'coaching_draft' as const, id: draftId });
    expect(await allowed('coaching.ai.draft.read', draft)).toEqual(['manager']);
    expect(await allowed('coaching.ai.draft.decide', draft)).toEqual(['manager']);
    expect(
      (
        await decide(t.database.db, actor('manager'), 'coaching.ai.draft.read', {
          type: 'coaching_draft',
          id: 'nope',
        })
      ).allowed,
    ).toBe(false);
  });
});
