import type { Kysely } from 'kysely';
import type { Account, DB } from '../db/types.js';
import type { Actor } from '../modules/access/access.types.js';
import { buildAccount, buildPerson, buildReportingLine, buildTeam } from './factories.js';

/**
 * A small organisation with one person of interest (`target`) and someone in every relation to them:
 *
 *   company ── Engineering (dept) ── Platform (team): manager, target, peer
 *          │                      └─ Mobile (team):   formerManager
 *          └─ Sales (dept) ── Field (team):           adminPerson
 *   ceo → director → manager → target, peer;   director → formerManager
 *   formerManager managed target from 2021-01-01 to 2023-06-01.
 *   hrIn is HR partner for Engineering, hrOut for Sales; exec has the executive role.
 */
export async function buildAccessFixture(db: Kysely<DB>) {
  const company = await buildTeam(db, { name: 'Company', kind: 'company' });
  const engineering = await buildTeam(db, { name: 'Engineering', kind: 'department', parentId: company.id });
  const sales = await buildTeam(db, { name: 'Sales', kind: 'department', parentId: company.id });
  const platform = await buildTeam(db, { name: 'Platform', kind: 'team', parentId: engineering.id });
  const mobile = await buildTeam(db, { name: 'Mobile', kind: 'team', parentId: engineering.id });
  const field = await buildTeam(db, { name: 'Field', kind: 'team', parentId: sales.id });

  const ceo = await buildPerson(db, { name: 'Cora CEO', team_id: company.id });
  const director = await buildPerson(db, { name: 'Dana Director', team_id: engineering.id });
  const manager = await buildPerson(db, { name: 'Max Manager', team_id: platform.id });
  const target = await buildPerson(db, { name: 'Tess Target', team_id: platform.id });
  const peer = await buildPerson(db, { name: 'Pat Peer', team_id: platform.id });
  const formerManager = await buildPerson(db, { name: 'Fred Former', team_id: mobile.id });
  const hrPerson = await buildPerson(db, { name: 'Hana HR', team_id: field.id });
  const hrOutPerson = await buildPerson(db, { name: 'Otto HR', team_id: field.id });
  const adminPerson = await buildPerson(db, { name: 'Ada Admin', team_id: field.id });
  const execPerson = await buildPerson(db, { name: 'Eve Exec', team_id: company.id });

  await buildReportingLine(db, director.id, ceo.id);
  await buildReportingLine(db, manager.id, director.id);
  await buildReportingLine(db, formerManager.id, director.id);
  await buildReportingLine(db, target.id, formerManager.id, '2021-01-01', '2023-06-01');
  await buildReportingLine(db, target.id, manager.id, '2023-06-01');
  await buildReportingLine(db, peer.id, manager.id);
  await buildReportingLine(db, execPerson.id, ceo.id);

  const accounts = {
    self: await buildAccount(db, { personId: target.id }),
    manager: await buildAccount(db, { personId: manager.id }),
    skipLevel: await buildAccount(db, { personId: director.id }),
    ceo: await buildAccount(db, { personId: ceo.id }),
    formerManager: await buildAccount(db, { personId: formerManager.id }),
    peer: await buildAccount(db, { personId: peer.id }),
    hrIn: await buildAccount(db, { personId: hrPerson.id, roles: ['hr'], hrTeamIds: [engineering.id] }),
    hrOut: await buildAccount(db, { personId: hrOutPerson.id, roles: ['hr'], hrTeamIds: [sales.id] }),
    admin: await buildAccount(db, { personId: adminPerson.id, roles: ['admin'] }),
    executive: await buildAccount(db, { personId: execPerson.id, roles: ['executive'] }),
  };
  return {
    teams: { company, engineering, sales, platform, mobile, field },
    people: {
      ceo,
      director,
      manager,
      target,
      peer,
      formerManager,
      hrPerson,
      hrOutPerson,
      adminPerson,
      execPerson,
    },
    accounts,
  };
}

export type AccessFixture = Awaited<ReturnType<typeof buildAccessFixture>>;
export type RelationName = keyof AccessFixture['accounts'] | 'anonymous';

/** Every relation of the fixture, in matrix order, anonymous last. */
export const FIXTURE_RELATIONS: RelationName[] = [
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
  'anonymous',
];

/** The actor of a fixture account signed in through a browser session. */
export function actorOf(account: Account): Actor {
  return {
    kind: 'account',
    accountId: account.id,
    personId: account.person_id,
    email: account.email,
    roles: account.roles,
    isDemo: false,
    via: 'session',
  };
}
