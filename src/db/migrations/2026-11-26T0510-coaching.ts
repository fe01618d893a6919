import type { Kysely } from 'kysely';
import { runStatements } from '../run-sql.js';

// Coaching delivery: the in-app inbox, outbound webhooks with their delivery log, and e-mail digests.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create table coaching_inbox_item (
      id uuid primary key default gen_random_uuid(),
      recipient_person_id uuid not null references person (id) on delete cascade,
      subject_person_id uuid references person (id) on delete cascade,
      kind text not null,
      title text not null,
      body text not null,
      link text,
      dedupe_key text,
      created_at timestamptz not null default now(),
      read_at timestamptz,
      acted_at timestamptz
    );
    create index coaching_inbox_recipient_idx on coaching_inbox_item (recipient_person_id, created_at desc);
    create unique index coaching_inbox_dedupe_key on coaching_inbox_item (recipient_person_id, dedupe_key) where dedupe_key is not null;

    create table coaching_webhook_endpoint (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      url text not null,
      secret text not null,
      enabled boolean not null default true,
      created_by_account_id uuid references account (id) on delete set null,
      created_at timestamptz not null default now()
    );

    create table coaching_webhook_delivery (
      id uuid primary key default gen_random_uuid(),
      endpoint_id uuid not null references coaching_webhook_endpoint (id) on delete cascade,
      event text not null,
      payload jsonb not null,
      status text not null default 'pending' check (status in ('pending', 'retrying', 'succeeded', 'failed')),
      attempts integer not null default 0,
      last_status_code integer,
      last_error text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      delivered_at timestamptz
    );
    create index coaching_webhook_delivery_endpoint_idx on coaching_webhook_delivery (endpoint_id, created_at desc);

    create table coaching_webhook_attempt (
      id bigserial primary key,
      delivery_id uuid not null references coaching_webhook_delivery (id) on delete cascade,
      attempt integer not null,
      at timestamptz not null default now(),
      status_code integer,
      error text,
      duration_ms integer not null
    );
    create index coaching_webhook_attempt_delivery_idx on coaching_webhook_attempt (delivery_id, attempt);

    create table coaching_digest_setting (
      person_id uuid primary key references person (id) on delete cascade,
      enabled boolean not null default true,
      local_time text not null default '08:30' check (local_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
      weekdays_only boolean not null default true,
      updated_at timestamptz not null default now()
    );

    create table coaching_digest_sent (
      person_id uuid not null references person (id) on delete cascade,
      period date not null,
      scheduled_for timestamptz not null,
      sent_at timestamptz not null default now(),
      message_id text,
      item_count integer not null,
      primary key (person_id, period)
    );
    `,
  );
}
