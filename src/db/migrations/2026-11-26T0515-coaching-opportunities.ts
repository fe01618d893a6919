import type { Kysely } from 'kysely';
import { runStatements } from '../run-sql.js';

// Coaching opportunities: suggested coaching moments for a manager, with their evidence and state, and
// the candidates a weekly rate limit held back (docs/coaching-opportunities.md).
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create table coaching_opportunity (
      id uuid primary key default gen_random_uuid(),
      recipient_person_id uuid not null references person (id) on delete cascade,
      subject_type text not null check (subject_type in ('person', 'team')),
      subject_person_id uuid references person (id) on delete cascade,
      subject_team_id uuid references team (id) on delete cascade,
      trigger text not null,
      polarity text not null check (polarity in ('corrective', 'growth', 'system')),
      priority text not null check (priority in ('high', 'medium', 'low')),
      framework text not null check (framework in ('GROW', 'SBI', 'strengths', 'career', 'retention')),
      title text not null,
      reason text not null,
      evidence jsonb not null,
      facts jsonb not null default '{}'::jsonb,
      period text not null,
      dedupe_key text not null,
      scan_week date not null,
      status text not null default 'open' check (status in ('open', 'acted', 'snoozed', 'dismissed')),
      snoozed_until date,
      acted_at timestamptz,
      acted_note text,
      dismissed_at timestamptz,
      dismiss_reason text,
      useful boolean,
      feedback_at timestamptz,
      inbox_item_id uuid references coaching_inbox_item (id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((subject_type = 'person') = (subject_person_id is not null)),
      check ((subject_type = 'team') = (subject_team_id is not null)),
      check (status <> 'snoozed' or snoozed_until is not null)
    );
    create unique index coaching_opportunity_dedupe on coaching_opportunity (recipient_person_id, dedupe_key);
    create index coaching_opportunity_inbox_idx on coaching_opportunity (recipient_person_id, status, created_at desc);
    create index coaching_opportunity_week_idx on coaching_opportunity (recipient_person_id, scan_week);

    create table coaching_opportunity_suppressed (
      recipient_person_id uuid not null references person (id) on delete cascade,
      scan_week date not null,
      dedupe_key text not null,
      priority text not null,
      created_at timestamptz not null default now(),
      primary key (recipient_person_id, scan_week, dedupe_key)
    );
    `,
  );
}
