import type { Kysely } from 'kysely';
import type { Config } from '../../server/config.js';
import type { Account, DB, Role } from '../../db/types.js';
import { AppError } from '../../shared/app-error.js';
import type { Actor } from '../access/access.types.js';
import * as repo from './accounts.repository.js';
import { TOKEN_PREFIX, digest, hashPassword, randomSecret, verifyPassword } from './secrets.js';

export const MIN_PASSWORD_LENGTH = 12;
const LOCK_AFTER_FAILURES = 5;
const RESET_LINK_HOURS = 24;

// Verifying against a real hash when the e-mail is unknown keeps response times alike (no account probing).
let dummyHash: Promise<string> | undefined;
const getDummyHash = (): Promise<string> => (dummyHash ??= hashPassword(randomSecret()));

export interface LoginResult {
  account: Account;
  sessionToken: string;
  csrfToken: string;
  expiresAt: Date;
}

/** Checks credentials and opens a session; refuses disabled, locked and (outside demo mode) demo accounts. */
export async function login(
  db: Kysely<DB>,
  config: Config,
  input: { email: string; password: string; ip: string | null; userAgent: string | null },
): Promise<LoginResult> {
  const account = await repo.findAccountByEmail(db, input.email.trim());
  const wrong = new AppError('unauthenticated', 'The e-mail or password is incorrect.');
  if (!account || !account.password_hash) {
    await verifyPassword(await getDummyHash(), input.password);
    throw wrong;
  }
  if (account.locked_until && account.locked_until > new Date()) {
    const minutes = Math.ceil((account.locked_until.getTime() - Date.now()) / 60000);
    throw new AppError('rate_limited', `Too many failed sign-ins. Try again in ${minutes} minute(s).`);
  }
  const ok = await verifyPassword(account.password_hash, input.password);
  if (!ok) {
    const failures = account.failed_login_count + 1;
    const lockMinutes =
      failures >= LOCK_AFTER_FAILURES ? Math.min(15, 2 ** (failures - LOCK_AFTER_FAILURES)) : 0;
    await db
      .updateTable('account')
      .set({
        failed_login_count: failures,
        locked_until: lockMinutes ? new Date(Date.now() + lockMinutes * 60000) : null,
      })
      .where('id', '=', account.id)
      .execute();
    throw wrong;
  }
  if (account.disabled_at) throw new AppError('forbidden', 'This account is disabled. Ask an administrator.');
  if (account.is_demo && !config.demo) {
    throw new AppError(
      'forbidden',
      'Demo accounts only sign in while Cairn runs in demo mode (cairn start --demo).',
    );
  }
  await db
    .updateTable('account')
    .set({ failed_login_count: 0, locked_until: null, last_login_at: new Date() })
    .where('id', '=', account.id)
    .execute();
  const session = await openSession(db, config, account.id, input.ip, input.userAgent);
  return { account, ...session };
}

/** Creates a session row; the cookie carries the token, the database only its digest. */
export async function openSession(
  db: Kysely<DB>,
  config: Config,
  accountId: string,
  ip: string | null,
  userAgent: string | null,
): Promise<{ sessionToken: string; csrfToken: string; expiresAt: Date }> {
  const sessionToken = randomSecret();
  const csrfToken = randomSecret();
  const expiresAt = new Date(Date.now() + config.sessionAbsoluteHours * 3600_000);
  await db
    .insertInto('session')
    .values({
      id: digest(sessionToken),
      account_id: accountId,
      csrf_token: csrfToken,
      expires_at: expiresAt,
      ip,
      user_agent: userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { sessionToken, csrfToken, expiresAt };
}

export async function closeSession(db: Kysely<DB>, sessionToken: string): Promise<void> {
  await db.deleteFrom('session').where('id', '=', digest(sessionToken)).execute();
}

export interface SessionActor {
  actor: Actor & { kind: 'account' };
  csrfToken: string;
  sessionId: string;
}

/**
 * Resolves a session cookie to an actor, enforcing the idle and absolute timeouts. Activity is
 * written at most once a minute so reads do not turn into writes.
 */
export async function resolveSession(
  db: Kysely<DB>,
  config: Config,
  sessionToken: string,
  now = new Date(),
): Promise<SessionActor | null> {
  const id = digest(sessionToken);
  const row = await repo.findSessionWithAccount(db, id);
  if (!row) return null;
  const idleLimit = new Date(row.last_seen_at.getTime() + config.sessionIdleMinutes * 60000);
  if (row.expires_at <= now || idleLimit <= now || row.disabled_at) {
    await db.deleteFrom('session').where('id', '=', id).execute();
    return null;
  }
  if (row.is_demo && !config.demo) return null;
  if (now.getTime() - row.last_seen_at.getTime() > 60_000) {
    await db.updateTable('session').set({ last_seen_at: now }).where('id', '=', id).execute();
  }
  return {
    actor: {
      kind: 'account',
      accountId: row.id,
      personId: row.person_id,
      email: row.email,
      roles: row.roles,
      isDemo: row.is_demo,
      via: 'session',
    },
    csrfToken: row.csrf_token,
    sessionId: id,
  };
}

/** Resolves a personal API token (`Authorization: Bearer cairn_pat_…`) to an actor. */
export async function resolveApiToken(
  db: Kysely<DB>,
  token: string,
): Promise<(Actor & { kind: 'account' }) | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await repo.findTokenWithAccount(db, digest(token));
  if (!row || row.revoked_at || row.disabled_at) return null;
  if (row.expires_at && row.expires_at <= new Date()) return null;
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000) {
    await db
      .updateTable('api_token')
      .set({ last_used_at: new Date() })
      .where('id', '=', row.token_id)
      .execute();
  }
  return {
    kind: 'account',
    accountId: row.id,
    personId: row.person_id,
    email: row.email,
    roles: row.roles,
    isDemo: row.is_demo,
    via: 'token',
  };
}

/** Issues a personal API token; the plain token is returned once and never stored. */
export async function createApiToken(
  db: Kysely<DB>,
  accountId: string,
  name: string,
  expiresInDays?: number,
): Promise<{ id: string; token: string; name: string; expiresAt: Date | null }> {
  const token = TOKEN_PREFIX + randomSecret();
  const expiresAt = expiresInDays ? new Date(Date.now() + expiresInDays * 86400_000) : null;
  const row = await db
    .insertInto('api_token')
    .values({
      account_id: accountId,
      name,
      token_hash: digest(token),
      token_prefix: token.slice(0, TOKEN_PREFIX.length + 6),
      expires_at: expiresAt,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  return { id: row.id, token, name, expiresAt };
}

/** Lists an account's tokens (without secrets). */
export function listApiTokens(db: Kysely<DB>, accountId: string) {
  return db
    .selectFrom('api_token')
    .select(['id', 'name', 'token_prefix', 'created_at', 'last_used_at', 'expires_at', 'revoked_at'])
    .where('account_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .execute();
}

/** Revokes one of the account's own tokens. */
export async function revokeApiToken(db: Kysely<DB>, accountId: string, tokenId: string): Promise<void> {
  const result = await db
    .updateTable('api_token')
    .set({ revoked_at: new Date() })
    .where('id', '=', tokenId)
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new AppError('not_found', 'No active token with that id.');
}

/** Checks a new password against the policy, naming the problem. */
export function checkPasswordPolicy(password: string, email: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError(
      'validation_failed',
      `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`,
      [{ path: '/body/newPassword', message: `at least ${MIN_PASSWORD_LENGTH} characters` }],
    );
  }
  if (password.toLowerCase().includes(email.split('@')[0]!.toLowerCase())) {
    throw new AppError('validation_failed', 'The password must not contain your e-mail name.', [
      { path: '/body/newPassword', message: 'must not contain the e-mail name' },
    ]);
  }
}

/** Sets a password, ends every session of the account and clears lockouts. */
export async function setPassword(db: Kysely<DB>, accountId: string, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('account')
      .set({
        password_hash: passwordHash,
        password_changed_at: new Date(),
        failed_login_count: 0,
        locked_until: null,
        is_demo: false,
      })
      .where('id', '=', accountId)
      .execute();
    await trx.deleteFrom('session').where('account_id', '=', accountId).execute();
  });
}

/** An administrator issues a one-time reset link for an account (valid 24 hours). */
export async function createPasswordReset(
  db: Kysely<DB>,
  accountId: string,
  createdBy: string | null,
): Promise<{ token: string; expiresAt: Date }> {
  const account = await repo.findAccountById(db, accountId);
  if (!account) throw new AppError('not_found', 'No account with that id.');
  const token = randomSecret();
  const expiresAt = new Date(Date.now() + RESET_LINK_HOURS * 3600_000);
  await db.transaction().execute(async (trx) => {
    // Only the newest link works.
    await trx
      .updateTable('password_reset')
      .set({ used_at: new Date() })
      .where('account_id', '=', accountId)
      .where('used_at', 'is', null)
      .execute();
    await trx
      .insertInto('password_reset')
      .values({
        account_id: accountId,
        token_hash: digest(token),
        created_by_account_id: createdBy,
        expires_at: expiresAt,
      })
      .execute();
  });
  return { token, expiresAt };
}

/** Completes a reset: the token must be unused and unexpired; sets the password and ends all sessions. */
export async function completePasswordReset(
  db: Kysely<DB>,
  token: string,
  newPassword: string,
): Promise<Account> {
  const row = await db
    .selectFrom('password_reset')
    .selectAll()
    .where('token_hash', '=', digest(token))
    .executeTakeFirst();
  if (!row || row.used_at || row.expires_at <= new Date()) {
    throw new AppError(
      'validation_failed',
      'This reset link is invalid or has expired. Ask an administrator for a new one.',
      [{ path: '/body/token', message: 'invalid or expired' }],
    );
  }
  const account = await repo.findAccountById(db, row.account_id);
  if (!account) throw new AppError('not_found', 'The account no longer exists.');
  checkPasswordPolicy(newPassword, account.email);
  await db.updateTable('password_reset').set({ used_at: new Date() }).where('id', '=', row.id).execute();
  await setPassword(db, account.id, newPassword);
  return account;
}

/** Changes one's own password after checking the current one. */
export async function changeOwnPassword(
  db: Kysely<DB>,
  accountId: string,
  currentPassword: string,
  newPassword: string,
): Promise<void> {
  const account = await repo.findAccountById(db, accountId);
  if (!account?.password_hash || !(await verifyPassword(account.password_hash, currentPassword))) {
    throw new AppError('validation_failed', 'The current password is incorrect.', [
      { path: '/body/currentPassword', message: 'incorrect' },
    ]);
  }
  checkPasswordPolicy(newPassword, account.email);
  await setPassword(db, accountId, newPassword);
}

/** Creates an account (optionally linked to a person) with roles; the password may be set later by a reset link. */
export async function createAccount(
  db: Kysely<DB>,
  input: {
    email: string;
    personId?: string | null;
    password?: string | null;
    roles?: Role[];
    isDemo?: boolean;
  },
): Promise<Account> {
  const existing = await repo.findAccountByEmail(db, input.email);
  if (existing) {
    throw new AppError('conflict', `An account for ${input.email} already exists.`, [
      { path: '/body/email', message: 'already has an account' },
    ]);
  }
  if (input.personId) {
    const holder = await db
      .selectFrom('account')
      .select('email')
      .where('person_id', '=', input.personId)
      .executeTakeFirst();
    if (holder) {
      throw new AppError('conflict', `This person already has an account (${holder.email}).`, [
        { path: '/body/personId', message: 'already has an account' },
      ]);
    }
  }
  if (input.password && !input.isDemo) checkPasswordPolicy(input.password, input.email);
  return repo.insertAccount(db, {
    email: input.email,
    personId: input.personId ?? null,
    passwordHash: input.password ? await hashPassword(input.password) : null,
    roles: input.roles ?? [],
    isDemo: input.isDemo ?? false,
  });
}

export interface DemoAccountInput {
  email: string;
  personId: string | null;
  roles: Role[];
  disabledAt: Date | null;
  /** Teams (and everything below them) the account is HR partner for. */
  hrTeamIds: string[];
}

/**
 * Demo accounts in bulk, all with one password and one argon2id hash (hashing ~150 times would take
 * longer than the rest of the demo load). Existing accounts are left alone, so a re-run is harmless.
 * Runs inside the caller's transaction when given one.
 */
export async function insertDemoAccounts(
  db: Kysely<DB>,
  password: string,
  accounts: DemoAccountInput[],
): Promise<void> {
  if (accounts.length === 0) return;
  const passwordHash = await hashPassword(password);
  const now = new Date();
  await db
    .insertInto('account')
    .values(
      accounts.map((a) => ({
        email: a.email,
        person_id: a.personId,
        password_hash: passwordHash,
        roles: a.roles,
        is_demo: true,
        password_changed_at: now,
        disabled_at: a.disabledAt,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
  const hr = accounts.filter((a) => a.hrTeamIds.length > 0);
  if (hr.length === 0) return;
  const rows = await db
    .selectFrom('account')
    .select(['id', 'email'])
    .where(
      'email',
      'in',
      hr.map((a) => a.email),
    )
    .execute();
  const accountOf = new Map(rows.map((a) => [a.email.toLowerCase(), a.id]));
  await db
    .insertInto('hr_assignment')
    .values(
      hr.flatMap((a) =>
        a.hrTeamIds.map((teamId) => ({ account_id: accountOf.get(a.email.toLowerCase())!, team_id: teamId })),
      ),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Removes sessions past their absolute or idle limit (run on a schedule). */
export async function purgeExpiredSessions(
  db: Kysely<DB>,
  config: Config,
  now = new Date(),
): Promise<number> {
  const idleCutoff = new Date(now.getTime() - config.sessionIdleMinutes * 60000);
  const result = await db
    .deleteFrom('session')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', idleCutoff)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export { findAccountByEmail, findAccountById } from './accounts.repository.js';
