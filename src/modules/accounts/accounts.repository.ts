import type { Kysely } from 'kysely';
import type { Account, DB, Role } from '../../db/types.js';

export function findAccountByEmail(db: Kysely<DB>, email: string): Promise<Account | undefined> {
  return db
    .selectFrom('account')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
}

export function findAccountById(db: Kysely<DB>, id: string): Promise<Account | undefined> {
  return db.selectFrom('account').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertAccount(
  db: Kysely<DB>,
  values: {
    email: string;
    personId: string | null;
    passwordHash: string | null;
    roles: Role[];
    isDemo?: boolean;
  },
): Promise<Account> {
  return db
    .insertInto('account')
    .values({
      email: values.email,
      person_id: values.personId,
      password_hash: values.passwordHash,
      roles: values.roles,
      is_demo: values.isDemo ?? false,
      password_changed_at: values.passwordHash ? new Date() : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findSessionWithAccount(db: Kysely<DB>, sessionId: string) {
  return db
    .selectFrom('session')
    .innerJoin('account', 'account.id', 'session.account_id')
    .select([
      'session.id as session_id',
      'session.csrf_token',
      'session.created_at as session_created_at',
      'session.last_seen_at',
      'session.expires_at',
      'account.id',
      'account.email',
      'account.person_id',
      'account.roles',
      'account.is_demo',
      'account.disabled_at',
    ])
    .where('session.id', '=', sessionId)
    .executeTakeFirst();
}

export async function findTokenWithAccount(db: Kysely<DB>, tokenHash: string) {
  return db
    .selectFrom('api_token')
    .innerJoin('account', 'account.id', 'api_token.account_id')
    .select([
      'api_token.id as token_id',
      'api_token.expires_at',
      'api_token.revoked_at',
      'api_token.last_used_at',
      'account.id',
      'account.email',
      'account.person_id',
      'account.roles',
      'account.is_demo',
      'account.disabled_at',
    ])
    .where('api_token.token_hash', '=', tokenHash)
    .executeTakeFirst();
}
