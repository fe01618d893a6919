import type { Kysely } from 'kysely';
import { runStatements } from '../run-sql.js';

// Goals (PRODUCT.md §7): goals owned by a person or a team, multi-parent alignment, check-ins,
// modification history, progress links to business metrics or signals, evaluations, reminders.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create table goal (
      id uuid primary key default gen_random_uuid(),
      owner_person_id uuid references person (id) on delete cascade,
      owner_team_id uuid references team (id) on delete cascade,
      level text not null check (level in ('company', 'department', 'team', 'personal')),
      title text not null,
      why text not null,
      criteria jsonb not null,
      role_expectations text,
      period_label text not null,
      period_start date not null,
      period_end date not null,
      visibility text not null default 'public' check (visibility in ('public', 'private')),
      status text not null default 'active' check (status in ('draft', 'active', 'completed', 'abandoned')),
      cadence text not null default 'weekly' check (cadence in ('weekly', 'biweekly', 'monthly')),
      steward_person_id uuid references person (id) on delete set null,
      current_value numeric,
      created_by_account_id uuid references account (id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((owner_person_id is null) <> (owner_team_id is null)),
      check (period_end >= period_start)
    );
    create index goal_owner_person_idx on goal (owner_person_id);
    create index goal_owner_team_idx on goal (owner_team_id);
    create index goal_period_idx on goal (period_start, period_end);

    create table goal_alignment (
      goal_id uuid not null references goal (id) on delete cascade,
      parent_goal_id uuid not null references goal (id) on delete cascade,
      created_at timestamptz not null default now(),
      primary key (goal_id, parent_goal_id),
      check (goal_id <> parent_goal_id)
    );
    create index goal_alignment_parent_idx on goal_alignment (parent_goal_id);

    create table goal_check_in (
      id uuid primary key default gen_random_uuid(),
      goal_id uuid not null references goal (id) on delete cascade,
      value numeric not null,
      confidence integer not null check (confidence between 1 and 5),
      blockers text,
      note text,
      source text not null check (source in ('manual', 'linked', 'demo')),
      author_account_id uuid references account (id) on delete set null,
      checked_at timestamptz not null default now(),
      created_at timestamptz not null default now()
    );
    create index goal_check_in_goal_idx on goal_check_in (goal_id, checked_at);

    create table goal_history (
      id bigserial primary key,
      goal_id uuid not null references goal (id) on delete cascade,
      change text not null,
      actor_account_id uuid,
      actor_label text not null,
      before jsonb,
      after jsonb,
      reason text,
      at timestamptz not null default now()
    );
    create index goal_history_goal_idx on goal_history (goal_id, id);

    create table goal_link (
      goal_id uuid primary key references goal (id) on delete cascade,
      kind text not null check (kind in ('business_metric', 'signal')),
      key text not null,
      aggregation text not null check (aggregation in ('sum', 'latest', 'average', 'max', 'count')),
      scope_person_id uuid references person (id) on delete set null,
      scope_team_id uuid references team (id) on delete set null,
      last_value numeric,
      last_refreshed_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index goal_link_key_idx on goal_link (kind, key);

    create table goal_evaluation (
      id uuid primary key default gen_random_uuid(),
      goal_id uuid not null references goal (id) on delete cascade,
      role text not null check (role in ('owner', 'manager')),
      rating text not null check (rating in ('exceeded', 'met', 'partially_met', 'not_met')),
      final_value numeric,
      rubric_level text,
      comment text not null,
      author_account_id uuid not null references account (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (goal_id, role)
    );

    create table goal_reminder (
      id uuid primary key default gen_random_uuid(),
      goal_id uuid not null references goal (id) on delete cascade,
      person_id uuid not null references person (id) on delete cascade,
      due_on date not null,
      created_at timestamptz not null default now(),
      dismissed_at timestamptz,
      unique (goal_id, due_on)
    );
    create index goal_reminder_person_idx on goal_reminder (person_id, dismissed_at);
    `,
  );
}
