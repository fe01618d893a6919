import type { Kysely } from 'kysely';
import { runStatements } from '../run-sql.js';

// Foundation schema: organisation, accounts and sessions, access relationships, audit log, settings.
// Migrations are never edited after they land; later capabilities add their own files.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create table team (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      slug text not null unique,
      kind text not null check (kind in ('company', 'department', 'team')),
      parent_id uuid references team (id),
      description text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (parent_id is null or parent_id <> id)
    );
    create index team_parent_idx on team (parent_id);

    create table person (
      id uuid primary key default gen_random_uuid(),
      employee_id text unique,
      email text not null,
      name text not null,
      title text,
      level text,
      team_id uuid references team (id),
      hire_date date,
      leave_date date,
      leave_reason text,
      location text,
      time_zone text not null default 'UTC',
      work_mode text check (work_mode in ('onsite', 'remote', 'hybrid')),
      attributes jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index person_email_key on person (lower(email));
    create index person_team_idx on person (team_id);

    create table reporting_line (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person (id) on delete cascade,
      manager_id uuid not null references person (id) on delete cascade,
      valid_from date not null,
      valid_to date,
      created_at timestamptz not null default now(),
      check (person_id <> manager_id),
      check (valid_to is null or valid_to > valid_from)
    );
    create index reporting_line_person_idx on reporting_line (person_id, valid_from);
    create index reporting_line_manager_idx on reporting_line (manager_id, valid_from);

    create table org_change (
      id bigserial primary key,
      entity_type text not null,
      entity_id uuid not null,
      change text not null check (change in ('create', 'update', 'delete')),
      source text not null,
      actor_account_id uuid,
      before jsonb,
      after jsonb,
      at timestamptz not null default now()
    );
    create index org_change_entity_idx on org_change (entity_type, entity_id, at);

    create table account (
      id uuid primary key default gen_random_uuid(),
      email text not null,
      person_id uuid unique references person (id) on delete set null,
      password_hash text,
      roles text[] not null default '{}',
      is_demo boolean not null default false,
      disabled_at timestamptz,
      failed_login_count integer not null default 0,
      locked_until timestamptz,
      password_changed_at timestamptz,
      last_login_at timestamptz,
      created_at timestamptz not null default now(),
      check (roles <@ array['admin', 'hr', 'executive']::text[])
    );
    create unique index account_email_key on account (lower(email));

    create table session (
      id text primary key,
      account_id uuid not null references account (id) on delete cascade,
      csrf_token text not null,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at timestamptz not null,
      ip text,
      user_agent text
    );
    create index session_account_idx on session (account_id);

    create table api_token (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references account (id) on delete cascade,
      name text not null,
      token_hash text not null unique,
      token_prefix text not null,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      expires_at timestamptz,
      revoked_at timestamptz
    );
    create index api_token_account_idx on api_token (account_id);

    create table password_reset (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references account (id) on delete cascade,
      token_hash text not null unique,
      created_by_account_id uuid references account (id) on delete set null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz
    );

    create table hr_assignment (
      account_id uuid not null references account (id) on delete cascade,
      team_id uuid not null references team (id) on delete cascade,
      created_at timestamptz not null default now(),
      primary key (account_id, team_id)
    );

    create table coach_relationship (
      id uuid primary key default gen_random_uuid(),
      coach_person_id uuid not null references person (id) on delete cascade,
      coachee_person_id uuid not null references person (id) on delete cascade,
      kind text not null check (kind in ('peer', 'upward', 'external')),
      valid_from date not null,
      valid_to date,
      created_at timestamptz not null default now(),
      check (coach_person_id <> coachee_person_id)
    );
    create index coach_relationship_coachee_idx on coach_relationship (coachee_person_id);

    create table audit_log (
      id bigserial primary key,
      at timestamptz not null default now(),
      actor_account_id uuid,
      actor_label text not null,
      action text not null,
      resource_type text not null,
      resource_id text,
      decision text not null check (decision in ('allow', 'deny')),
      reason text,
      data_class text,
      ip text,
      request_id text
    );
    create index audit_log_at_idx on audit_log (at desc);
    create index audit_log_actor_idx on audit_log (actor_account_id, at desc);
    create index audit_log_resource_idx on audit_log (resource_type, resource_id, at desc);

    create table app_setting (
      key text primary key,
      value jsonb not null,
      updated_at timestamptz not null default now()
    );
  `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    drop table app_setting, audit_log, coach_relationship, hr_assignment, password_reset, api_token,
      session, account, org_change, reporting_line, person, team;
  `,
  );
}
