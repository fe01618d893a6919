import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import type { IdentityRef } from './ingest.model.js';
import type { MappedBy } from './ingest.tables.js';

/**
 * Identity resolution: every source identity (git e-mail, GitHub user, Jira account) becomes one
 * `ingest_identity` row, mapped to a person by, in order:
 *  1. an explicit mapping an admin made (never overridden automatically);
 *  2. exact e-mail: the identity's e-mail equals a person's e-mail or the e-mail of an account
 *     linked to a person (case-insensitive);
 *  3. GitHub no-reply addresses `ID+login@users.noreply.github.com` / `login@users.noreply…`:
 *     the login (or numeric id) of an identity already mapped to a person;
 *  4. the same login as an identity of another source already mapped to a person.
 * Bots (`[bot]` logins, dependabot, renovate, github-actions …) are flagged and never mapped, so
 * their events stay out of people's signals. Unmatched identities wait in the review queue.
 */

type Db = Kysely<DB> | Transaction<DB>;

export interface ResolvedIdentity {
  id: string;
  personId: string | null;
  isBot: boolean;
}

const BOT_NAME =
  /(^|[^a-z])(dependabot|renovate|github-actions|greenkeeper|snyk-bot|mergify|codecov|semantic-release-bot|imgbot|allcontributors|pre-commit-ci|jenkins|ci-bot)([^a-z]|$)/i;

/** True when the identity is a bot: a `[bot]` login or e-mail, a well-known automation account, or the source says so. */
export function isBotIdentity(ref: Pick<IdentityRef, 'login' | 'email' | 'name' | 'isBot'>): boolean {
  if (ref.isBot) return true;
  const login = ref.login ?? '';
  const email = ref.email ?? '';
  const name = ref.name ?? '';
  if (/\[bot\]$/i.test(login) || /\[bot\]@/i.test(email) || /\[bot\]$/i.test(name)) return true;
  return BOT_NAME.test(login) || BOT_NAME.test(email.split('@')[0] ?? '') || BOT_NAME.test(name);
}

const NOREPLY = /^(?:(\d+)\+)?([^@+]+)@users\.noreply\.github\.com$/i;

/** Parses a GitHub no-reply address into its user id (when present) and login. */
export function parseGithubNoreply(
  email: string | null | undefined,
): { id: string | null; login: string } | null {
  if (!email) return null;
  const m = NOREPLY.exec(email.trim());
  if (!m) return null;
  return { id: m[1] ?? null, login: m[2]!.replace(/\[bot\]$/i, '') };
}

/** The key identities are de-duplicated on within a batch. */
export function identityKey(ref: Pick<IdentityRef, 'source' | 'externalId'>): string {
  return `${ref.source}\u0000${normaliseExternalId(ref)}`;
}

function normaliseExternalId(ref: Pick<IdentityRef, 'source' | 'externalId'>): string {
  const id = ref.externalId.trim();
  return ref.source === 'git' || id.includes('@') ? id.toLowerCase() : id;
}

interface IdentityRow {
  id: string;
  source: string;
  external_id: string;
  person_id: string | null;
  is_bot: boolean;
  mapped_by: MappedBy | null;
  login: string | null;
  email: string | null;
  display_name: string | null;
}

/**
 * Finds or creates the identity rows for `refs` and resolves new or still-unmatched ones to
 * people. Returns them by `identityKey`. Runs inside the caller's transaction.
 */
export async function resolveIdentities(db: Db, refs: IdentityRef[]): Promise<Map<string, ResolvedIdentity>> {
  const wanted = new Map<string, IdentityRef>();
  for (const ref of refs) {
    const key = identityKey(ref);
    const prev = wanted.get(key);
    // Most refs repeat one already seen (a batch's commits share few authors): merge only news.
    if (!prev) wanted.set(key, ref);
    else if (addsDetail(prev, ref)) wanted.set(key, { ...prev, ...definedOnly(ref) });
  }
  const result = new Map<string, ResolvedIdentity>();
  if (wanted.size === 0) return result;
  const keys = [...wanted.keys()].sort();
  const rows = JSON.stringify(
    keys.map((key) => {
      const ref = wanted.get(key)!;
      return {
        source: ref.source,
        external_id: normaliseExternalId(ref),
        login: ref.login ?? null,
        email: ref.email ? ref.email.trim() : null,
        display_name: ref.name ?? null,
        is_bot: isBotIdentity(ref),
      };
    }),
  );
  // New identities are inserted; existing ones keep their mapping and gain details they lacked.
  await sql`
    insert into ingest_identity (source, external_id, login, email, display_name, is_bot)
    select r.source, r.external_id, r.login, r.email, r.display_name, r.is_bot
    from json_to_recordset(${rows}::json) as r(source text, external_id text, login text, email text, display_name text, is_bot boolean)
    on conflict (source, external_id) do update set
      login = coalesce(excluded.login, ingest_identity.login),
      email = coalesce(excluded.email, ingest_identity.email),
      display_name = coalesce(excluded.display_name, ingest_identity.display_name),
      is_bot = ingest_identity.is_bot or (excluded.is_bot and ingest_identity.mapped_by is distinct from 'explicit'),
      last_seen_at = now()
    where (excluded.login is not null and excluded.login is distinct from ingest_identity.login)
       or (excluded.email is not null and excluded.email is distinct from ingest_identity.email)
       or (excluded.display_name is not null and excluded.display_name is distinct from ingest_identity.display_name)
       or (excluded.is_bot and not ingest_identity.is_bot and ingest_identity.mapped_by is distinct from 'explicit')
  `.execute(db);
  const found = await sql<IdentityRow>`
    select i.id, i.source, i.external_id, i.person_id, i.is_bot, i.mapped_by, i.login, i.email, i.display_name
    from ingest_identity i
    join json_to_recordset(${rows}::json) as r(source text, external_id text)
      on i.source = r.source and i.external_id = r.external_id
  `.execute(db);
  let pending: IdentityRow[] = [];
  for (const row of found.rows) {
    if (!row.person_id && !row.is_bot && row.mapped_by === null) pending.push(row);
    result.set(`${row.source}\u0000${row.external_id}`, {
      id: row.id,
      personId: row.is_bot ? null : row.person_id,
      isBot: row.is_bot,
    });
  }
  // A second pass lets a no-reply address follow a GitHub identity matched by e-mail in the same batch.
  for (let pass = 0; pass < 2 && pending.length; pass++) {
    const matches = await autoMatch(db, pending);
    if (!matches.size) break;
    for (const row of pending) {
      const match = matches.get(row.id);
      if (!match) continue;
      await setIdentityPerson(db, row.id, match.personId, match.by);
      result.set(`${row.source}\u0000${row.external_id}`, {
        id: row.id,
        personId: match.personId,
        isBot: false,
      });
    }
    pending = pending.filter((r) => !matches.has(r.id));
  }
  return result;
}

/** True when `ref` has a value (not null/undefined) that `prev` lacks or holds differently. */
function addsDetail(prev: IdentityRef, ref: IdentityRef): boolean {
  if (prev === ref) return false;
  for (const k in ref) {
    const v = (ref as unknown as Record<string, unknown>)[k];
    if (v !== undefined && v !== null && (prev as unknown as Record<string, unknown>)[k] !== v) return true;
  }
  return false;
}

function definedOnly(ref: IdentityRef): Partial<IdentityRef> {
  const out: Partial<IdentityRef> = {};
  for (const [k, v] of Object.entries(ref))
    if (v !== undefined && v !== null) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** Rules 2–4 for identities that have no person yet. */
async function autoMatch(
  db: Db,
  rows: IdentityRow[],
): Promise<Map<string, { personId: string; by: MappedBy }>> {
  const out = new Map<string, { personId: string; by: MappedBy }>();
  const emails = [...new Set(rows.map((r) => r.email?.toLowerCase()).filter((e): e is string => !!e))];
  const byEmail = new Map<string, string>();
  if (emails.length) {
    const people = await sql<{ email: string; person_id: string }>`
      select lower(email) as email, id as person_id from person where lower(email) = any(${emails}::text[])
      union all
      select lower(email), person_id from account where person_id is not null and lower(email) = any(${emails}::text[])
    `.execute(db);
    for (const p of people.rows) if (!byEmail.has(p.email)) byEmail.set(p.email, p.person_id);
  }
  const logins = new Set<string>();
  const githubIds = new Set<string>();
  for (const r of rows) {
    const noreply = parseGithubNoreply(r.email);
    if (noreply) {
      logins.add(noreply.login.toLowerCase());
      if (noreply.id) githubIds.add(noreply.id);
    }
    if (r.login) logins.add(r.login.toLowerCase());
  }
  const byLogin = new Map<string, string>();
  const byGithubId = new Map<string, string>();
  if (logins.size || githubIds.size) {
    const mapped = await sql<{
      login: string | null;
      source: string;
      external_id: string;
      person_id: string;
    }>`
      select lower(login) as login, source, external_id, person_id from ingest_identity
      where person_id is not null and not is_bot
        and (lower(login) = any(${[...logins]}::text[]) or (source = 'github' and external_id = any(${[...githubIds]}::text[])))
      order by mapped_by = 'explicit' desc, mapped_at
    `.execute(db);
    for (const m of mapped.rows) {
      if (m.login && !byLogin.has(m.login)) byLogin.set(m.login, m.person_id);
      if (m.source === 'github' && !byGithubId.has(m.external_id)) byGithubId.set(m.external_id, m.person_id);
    }
  }
  for (const r of rows) {
    const email = r.email?.toLowerCase();
    if (email && byEmail.has(email)) {
      out.set(r.id, { personId: byEmail.get(email)!, by: 'email' });
      continue;
    }
    const noreply = parseGithubNoreply(r.email);
    if (noreply) {
      const person = (noreply.id && byGithubId.get(noreply.id)) || byLogin.get(noreply.login.toLowerCase());
      if (person) {
        out.set(r.id, { personId: person, by: 'noreply' });
        continue;
      }
    }
    if (r.login) {
      const person =
        (r.source === 'github' && byGithubId.get(r.external_id)) || byLogin.get(r.login.toLowerCase());
      if (person) out.set(r.id, { personId: person, by: 'login' });
    }
  }
  return out;
}

/**
 * Points an identity at a person (or at nobody) and re-attributes every event and work item it
 * already has — past work follows the mapping without a re-import.
 */
export async function setIdentityPerson(
  db: Db,
  identityId: string,
  personId: string | null,
  by: MappedBy | null,
  options: { isBot?: boolean } = {},
): Promise<void> {
  await db
    .updateTable('ingest_identity')
    .set({
      person_id: personId,
      mapped_by: by,
      mapped_at: by ? new Date() : null,
      ...(options.isBot !== undefined ? { is_bot: options.isBot } : {}),
    })
    .where('id', '=', identityId)
    .execute();
  await db
    .updateTable('ingest_work_event')
    .set({ person_id: personId })
    .where('actor_identity_id', '=', identityId)
    .where((w) =>
      personId === null ? w('person_id', 'is not', null) : w('person_id', 'is distinct from', personId),
    )
    .execute();
  await db
    .updateTable('ingest_work_item')
    .set({ person_id: personId })
    .where('author_identity_id', '=', identityId)
    .where((w) =>
      personId === null ? w('person_id', 'is not', null) : w('person_id', 'is distinct from', personId),
    )
    .execute();
}

/** Admin action: map an identity to a person (explicit, wins over automatic rules) in one transaction. */
export async function mapIdentity(db: Kysely<DB>, identityId: string, personId: string): Promise<void> {
  await db
    .transaction()
    .execute((trx) => setIdentityPerson(trx, identityId, personId, 'explicit', { isBot: false }));
}

/** Admin action: mark an identity as a bot (its events leave people's signals) or clear the flag. */
export async function markIdentityBot(db: Kysely<DB>, identityId: string, isBot: boolean): Promise<void> {
  await db
    .transaction()
    .execute((trx) =>
      isBot
        ? setIdentityPerson(trx, identityId, null, 'explicit', { isBot: true })
        : setIdentityPerson(trx, identityId, null, null, { isBot: false }),
    );
}

/** Admin action: remove a mapping; the identity returns to the review queue. */
export async function unmapIdentity(db: Kysely<DB>, identityId: string): Promise<void> {
  await db.transaction().execute((trx) => setIdentityPerson(trx, identityId, null, null));
}
