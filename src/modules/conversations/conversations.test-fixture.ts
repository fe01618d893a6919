import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { buildAccessFixture } from '../../test/access-fixture.js';
import { buildAccount, buildPerson, buildReportingLine } from '../../test/factories.js';

/**
 * The access fixture plus the people a conversation needs around it: a teammate who takes part in
 * nothing (the unrelated peer) and an external coach engaged for the target.
 */
export async function buildConversationFixture(db: Kysely<DB>) {
  const f = await buildAccessFixture(db);
  const teammate = await buildPerson(db, { name: 'Uma Unrelated', team_id: f.teams.platform.id });
  await buildReportingLine(db, teammate.id, f.people.manager.id);
  const externalCoach = await buildPerson(db, {
    name: 'Xena External',
    email: `xena-${teammate.id.slice(0, 6)}@coaching.example`,
    team_id: null,
    attributes: JSON.stringify({ external: 'true' }),
  });
  await db
    .insertInto('coach_relationship')
    .values({
      coach_person_id: externalCoach.id,
      coachee_person_id: f.people.target.id,
      kind: 'external',
      valid_from: '2024-01-01',
    })
    .execute();
  const accounts = {
    ...f.accounts,
    unrelatedPeer: await buildAccount(db, { personId: teammate.id }),
    externalCoach: await buildAccount(db, { personId: externalCoach.id }),
  };
  return { ...f, people: { ...f.people, teammate, externalCoach }, accounts };
}
