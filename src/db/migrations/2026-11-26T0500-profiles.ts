import type { Kysely } from 'kysely';
import { runStatements } from '../run-sql.js';

// Work-style profiles: every questionnaire submission, the newest per person being the current profile.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create table profile_submission (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person (id) on delete cascade,
      questionnaire_version integer not null,
      answers jsonb not null,
      autonomy integer not null check (autonomy between 0 and 100),
      collaboration integer not null check (collaboration between 0 and 100),
      structure integer not null check (structure between 0 and 100),
      channel text not null,
      timing text not null,
      directness text not null,
      drivers jsonb not null,
      submitted_by_account_id uuid references account (id) on delete set null,
      submitted_at timestamptz not null default now()
    );
    create index profile_submission_person_idx on profile_submission (person_id, submitted_at desc, id desc);
    `,
  );
}
