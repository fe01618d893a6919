import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Account, DB, NewPerson, Person, Role, Team, TeamKind } from '../db/types.js';
import { hashPassword } from '../modules/accounts/secrets.js';

/** Password every test account gets unless a test says otherwise. */
export const TEST_PASSWORD = 'correct horse battery staple';
let cachedHash: Promise<string> | undefined;

function uid(): string {
  return crypto.randomBytes(4).toString('hex');
}

export async function buildTeam(
  db: Kysely<DB>,
  values: { name?: string; kind?: TeamKind; parentId?: string | null; slug?: string } = {},
): Promise<Team> {
  const name = values.name ?? `Team ${uid()}`;
  return db
    .insertInto('team')
    .values({
      name,
      slug: values.slug ?? `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${uid()}`,
      kind: values.kind ?? 'team',
      parent_id: values.parentId ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function buildPerson(db: Kysely<DB>, values: Partial<NewPerson> = {}): Promise<Person> {
  const id = uid();
  return db
    .insertInto('person')
    .values({
      name: `Person ${id}`,
      email: `person-${id}@example.test`,
      employee_id: `E-${id}`,
      time_zone: 'Europe/Berlin',
      hire_date: '2022-03-01',
      ...values,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A dated reporting line: `personId` reports to `managerId` from `from` (inclusive) to `to` (exclusive). */
export async function buildReportingLine(
  db: Kysely<DB>,
  personId: string,
  managerId: string,
  from = '2020-01-01',
  to: string | null = null,
): Promise<void> {
  await db
    .insertInto('reporting_line')
    .values({ person_id: personId, manager_id: managerId, valid_from: from, valid_to: to })
    .execute();
}

export async function buildAccount(
  db: Kysely<DB>,
  values: {
    email?: string;
    personId?: string | null;
    roles?: Role[];
    password?: string;
    hrTeamIds?: string[];
  } = {},
): Promise<Account> {
  let email = values.email;
  if (!email && values.personId) {
    const person = await db
      .selectFrom('person')
      .select('email')
      .where('id', '=', values.personId)
      .executeTakeFirstOrThrow();
    email = person.email;
  }
  const passwordHash = values.password
    ? await hashPassword(values.password)
    : await (cachedHash ??= hashPassword(TEST_PASSWORD));
  const account = await db
    .insertInto('account')
    .values({
      email: email ?? `account-${uid()}@example.test`,
      person_id: values.personId ?? null,
      password_hash: passwordHash,
      roles: values.roles ?? [],
      password_changed_at: new Date(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  if (values.hrTeamIds?.length) {
    await db
      .insertInto('hr_assignment')
      .values(values.hrTeamIds.map((team_id) => ({ account_id: account.id, team_id })))
      .execute();
  }
  return account;
}
