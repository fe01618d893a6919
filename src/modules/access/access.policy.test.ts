import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actorOf,
  buildAccessFixture,
  FIXTURE_RELATIONS,
  type AccessFixture,
  type RelationName,
} from '../../test/access-fixture.js';
import { buildAccount } from '../../test/factories.js';
import { createTestDatabase, type TestDatabase } from '../../test/test-db.js';
import type { Action } from './access.policy.js';
import { authorize, decide, resolveRelations } from './access.service.js';
import { ANONYMOUS, type Actor } from './access.types.js';

const RELATIONS = FIXTURE_RELATIONS;

// Expected decisions on the fixture's target person, by action. The development/compensation wall is here:
// HR, admins and executives never read development data; coaches never read compensation data.
const EXPECTED: Partial<Record<Action, RelationName[]>> = {
  'person.read': [
    'self',
    'manager',
    'skipLevel',
    'ceo',
    'formerManager',
    'peer',
    'hrIn',
    'hrOut',
    'admin',
    'executive',
  ],
  'person.read_profile': ['self', 'manager', 'skipLevel', 'ceo', 'hrIn', 'admin'],
  'person.update': ['hrIn', 'admin'],
  'development.read': ['self', 'manager', 'skipLevel', 'ceo'],
  'development.write': ['self', 'manager'],
  'compensation.read': ['self', 'manager', 'skipLevel', 'ceo', 'hrIn'],
  'coaching_engagement.read': ['self', 'hrIn', 'admin'],
  'coaching_engagement.manage': ['hrIn', 'admin'],
};

describe('access policy matrix (person resource)', () => {
  let t: TestDatabase;
  let f: AccessFixture;
  const actor = (rel: RelationName): Actor => (rel === 'anonymous' ? ANONYMOUS : actorOf(f.accounts[rel]));

  beforeAll(async () => {
    t = await createTestDatabase();
    f = await buildAccessFixture(t.database.db);
  });
  afterAll(() => t.destroy());

  it('derives each relation from the dated reporting lines, roles and HR scope', async () => {
    const db = t.database.db;
    const target = { type: 'person' as const, id: f.people.target.id };
    const rel = async (r: RelationName) => [...(await resolveRelations(db, actor(r), target))].sort();
    expect(await rel('self')).toContain('self');
    expect(await rel('manager')).toContain('manager');
    expect(await rel('skipLevel')).toContain('skip_level_manager');
    expect(await rel('ceo')).toContain('skip_level_manager');
    expect(await rel('formerManager')).toContain('former_manager');
    expect(await rel('formerManager')).not.toContain('manager');
    expect(await rel('peer')).toContain('peer');
    expect(await rel('hrIn')).toContain('hr_partner');
    expect(await rel('hrOut')).not.toContain('hr_partner');
    expect(await rel('anonymous')).toEqual([]);
  });

  for (const [action, allowed] of Object.entries(EXPECTED) as [Action, RelationName[]][]) {
    it(`${action}: allows exactly ${allowed.join(', ')}`, async () => {
      const got: RelationName[] = [];
      for (const r of RELATIONS) {
        const d = await decide(t.database.db, actor(r), action, { type: 'person', id: f.people.target.id });
        if (d.allowed) got.push(r);
      }
      expect(got).toEqual(allowed);
    });
  }

  it('a coach may read development data but never compensation data', async () => {
    const db = t.database.db;
    await db
      .insertInto('coach_relationship')
      .values({
        coach_person_id: f.people.hrOutPerson.id,
        coachee_person_id: f.people.peer.id,
        kind: 'peer',
        valid_from: '2024-01-01',
      })
      .execute();
    const coach = actor('hrOut');
    const peerRes = { type: 'person' as const, id: f.people.peer.id };
    expect((await decide(db, coach, 'development.read', peerRes)).allowed).toBe(true);
    expect((await decide(db, coach, 'compensation.read', peerRes)).allowed).toBe(false);
  });

  it('an ended coach relationship grants nothing', async () => {
    const db = t.database.db;
    await db
      .insertInto('coach_relationship')
      .values({
        coach_person_id: f.people.adminPerson.id,
        coachee_person_id: f.people.peer.id,
        kind: 'external',
        valid_from: '2022-01-01',
        valid_to: '2023-01-01',
      })
      .execute();
    expect(
      (await decide(db, actor('admin'), 'development.read', { type: 'person', id: f.people.peer.id }))
        .allowed,
    ).toBe(false);
  });

  it('a manager chain with a cycle in old data does not loop', async () => {
    const db = t.database.db;
    const a = await buildAccount(db);
    // A cycle can only come from bad historical data; resolution must still terminate.
    await db
      .insertInto('reporting_line')
      .values({ person_id: f.people.ceo.id, manager_id: f.people.manager.id, valid_from: '2020-01-01' })
      .execute();
    const d = await decide(db, actorOf(a), 'person.read_profile', { type: 'person', id: f.people.target.id });
    expect(d.allowed).toBe(false);
    await db.deleteFrom('reporting_line').where('person_id', '=', f.people.ceo.id).execute();
  });

  it('audits every denial and every allowed sensitive read, with actor, action, resource and reason', async () => {
    const db = t.database.db;
    const before = await db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    await expect(
      authorize(
        db,
        actor('peer'),
        'person.read_profile',
        { type: 'person', id: f.people.target.id },
        { ip: '10.0.0.9', requestId: 'req-1' },
      ),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await authorize(db, actor('manager'), 'person.read_profile', { type: 'person', id: f.people.target.id });
    await authorize(db, actor('peer'), 'person.read', { type: 'person', id: f.people.target.id }); // directory: not audited
    await expect(
      authorize(db, ANONYMOUS, 'person.read', { type: 'person', id: f.people.target.id }),
    ).rejects.toMatchObject({ code: 'unauthenticated' });
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .orderBy('id')
      .offset(Number(before.n))
      .execute();
    expect(rows.map((r) => [r.actor_label, r.action, r.decision])).toEqual([
      [f.accounts.peer.email, 'person.read_profile', 'deny'],
      [f.accounts.manager.email, 'person.read_profile', 'allow'],
      ['anonymous', 'person.read', 'deny'],
    ]);
    expect(rows[0]).toMatchObject({
      resource_type: 'person',
      resource_id: f.people.target.id,
      data_class: 'personal',
      ip: '10.0.0.9',
      request_id: 'req-1',
    });
    expect(rows[0]!.reason).toMatch(/requires/);
  });
});
