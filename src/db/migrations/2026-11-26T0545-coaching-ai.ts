import type { Kysely } from 'kysely';
import { runStatements } from '../run-sql.js';

// Optional AI drafting: the endpoint settings (one row, off by default) and the drafts with their inputs.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create table coaching_ai_setting (
      id smallint primary key default 1 check (id = 1),
      enabled boolean not null default false,
      base_url text,
      model text,
      api_key text,
      timeout_seconds integer not null default 30 check (timeout_seconds between 1 and 300),
      updated_by_account_id uuid references account (id) on delete set null,
      updated_at timestamptz not null default now()
    );

    create table coaching_ai_draft (
      id uuid primary key default gen_random_uuid(),
      opportunity_id uuid not null,
      kind text not null check (kind in ('guide', 'evidence_summary')),
      created_by_account_id uuid not null references account (id) on delete cascade,
      model text not null,
      base_url text not null,
      messages jsonb not null,
      output text not null,
      status text not null default 'draft' check (status in ('draft', 'accepted', 'discarded')),
      created_at timestamptz not null default now(),
      decided_at timestamptz
    );
    create index coaching_ai_draft_opportunity_idx on coaching_ai_draft (opportunity_id, created_by_account_id, created_at desc);
    `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `drop table coaching_ai_draft; drop table coaching_ai_setting;`);
}
