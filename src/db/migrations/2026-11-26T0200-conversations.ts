import type { Kysely } from 'kysely';
import { runStatements } from '../run-sql.js';

// Coaching conversations: 1:1 series, conversations of five kinds, participants, agenda, notes with
// explicit visibility, follow-up actions, topics and the employee's helpfulness rating.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create table conversation_series (
      id uuid primary key default gen_random_uuid(),
      manager_person_id uuid not null references person (id) on delete cascade,
      report_person_id uuid not null references person (id) on delete cascade,
      cadence_days integer not null check (cadence_days between 1 and 92),
      created_at timestamptz not null default now(),
      ended_at timestamptz,
      check (manager_person_id <> report_person_id)
    );
    create index conversation_series_manager_idx on conversation_series (manager_person_id);
    create index conversation_series_report_idx on conversation_series (report_person_id);

    create table conversation (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('one_on_one', 'debrief', 'peer', 'upward', 'external')),
      title text not null,
      series_id uuid references conversation_series (id) on delete set null,
      coach_relationship_id uuid references coach_relationship (id) on delete set null,
      team_id uuid references team (id) on delete set null,
      project text,
      scheduled_at timestamptz not null,
      duration_minutes integer not null check (duration_minutes between 5 and 480),
      status text not null default 'scheduled' check (status in ('scheduled', 'completed', 'cancelled')),
      completed_at timestamptz,
      participant_key text not null,
      prompt_kind text,
      prompt_id text,
      topics_edited boolean not null default false,
      created_by_person_id uuid references person (id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((prompt_kind is null) = (prompt_id is null))
    );
    create index conversation_pair_idx on conversation (participant_key, scheduled_at);
    create index conversation_series_idx on conversation (series_id, scheduled_at);

    create table conversation_participant (
      conversation_id uuid not null references conversation (id) on delete cascade,
      person_id uuid not null references person (id) on delete cascade,
      role text not null check (role in ('manager', 'report', 'coach', 'coachee', 'facilitator', 'member')),
      primary key (conversation_id, person_id)
    );
    create index conversation_participant_person_idx on conversation_participant (person_id);

    create table conversation_agenda_item (
      id uuid primary key default gen_random_uuid(),
      conversation_id uuid not null references conversation (id) on delete cascade,
      text text not null,
      position integer not null,
      done boolean not null default false,
      added_by_person_id uuid references person (id) on delete set null,
      carried_from_action_id uuid,
      carried_from_item_id uuid,
      created_at timestamptz not null default now()
    );
    create index conversation_agenda_conversation_idx on conversation_agenda_item (conversation_id, position);
    create unique index conversation_agenda_carried_action_idx
      on conversation_agenda_item (conversation_id, carried_from_action_id) where carried_from_action_id is not null;
    create unique index conversation_agenda_carried_item_idx
      on conversation_agenda_item (conversation_id, carried_from_item_id) where carried_from_item_id is not null;

    create table conversation_note (
      id uuid primary key default gen_random_uuid(),
      conversation_id uuid not null references conversation (id) on delete cascade,
      author_person_id uuid not null references person (id) on delete cascade,
      visibility text not null check (visibility in ('private', 'shared')),
      body text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index conversation_note_conversation_idx on conversation_note (conversation_id);

    create table conversation_action (
      id uuid primary key default gen_random_uuid(),
      conversation_id uuid not null references conversation (id) on delete cascade,
      text text not null,
      owner_person_id uuid not null references person (id) on delete cascade,
      due_date date,
      done_at timestamptz,
      created_by_person_id uuid references person (id) on delete set null,
      created_at timestamptz not null default now()
    );
    create index conversation_action_conversation_idx on conversation_action (conversation_id);
    create index conversation_action_owner_idx on conversation_action (owner_person_id) where done_at is null;

    create table conversation_topic (
      conversation_id uuid not null references conversation (id) on delete cascade,
      topic text not null,
      source text not null check (source in ('auto', 'manual')),
      primary key (conversation_id, topic)
    );

    create table conversation_rating (
      conversation_id uuid not null references conversation (id) on delete cascade,
      rater_person_id uuid not null references person (id) on delete cascade,
      score integer not null check (score between 1 and 5),
      comment text,
      created_at timestamptz not null default now(),
      primary key (conversation_id, rater_person_id)
    );
    `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    drop table conversation_rating, conversation_topic, conversation_action, conversation_note,
      conversation_agenda_item, conversation_participant, conversation, conversation_series;
    `,
  );
}
