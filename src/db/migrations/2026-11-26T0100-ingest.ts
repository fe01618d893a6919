import type { Kysely } from 'kysely';
import { runStatements } from '../run-sql.js';

// Work data: connections and their runs, source identities, the normalised work model (items and
// events), raw payloads, quarantine, webhook deliveries and business metrics.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create table ingest_connection (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('git', 'github', 'jira', 'metrics')),
      name text not null,
      config jsonb not null default '{}'::jsonb,
      secret text,
      cursor jsonb not null default '{}'::jsonb,
      status text not null default 'idle' check (status in ('idle', 'queued', 'running', 'succeeded', 'failed', 'disabled')),
      last_run_at timestamptz,
      last_success_at timestamptz,
      last_error text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index ingest_connection_name_key on ingest_connection (lower(name));

    create table ingest_run (
      id uuid primary key default gen_random_uuid(),
      connection_id uuid not null references ingest_connection (id) on delete cascade,
      trigger text not null default 'api',
      status text not null default 'running' check (status in ('queued', 'running', 'succeeded', 'failed')),
      queued_at timestamptz not null default now(),
      started_at timestamptz,
      finished_at timestamptz,
      read integer not null default 0,
      created integer not null default 0,
      updated integer not null default 0,
      unchanged integer not null default 0,
      rejected integer not null default 0,
      unmatched integer not null default 0,
      progress jsonb not null default '{}'::jsonb,
      error text
    );
    create index ingest_run_connection_idx on ingest_run (connection_id, queued_at desc);

    create table ingest_identity (
      id uuid primary key default gen_random_uuid(),
      source text not null,
      external_id text not null,
      login text,
      email text,
      display_name text,
      is_bot boolean not null default false,
      person_id uuid references person (id) on delete set null,
      mapped_by text check (mapped_by in ('email', 'noreply', 'login', 'explicit')),
      mapped_at timestamptz,
      first_seen_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      unique (source, external_id)
    );
    create index ingest_identity_person_idx on ingest_identity (person_id);
    create index ingest_identity_email_idx on ingest_identity (lower(email));
    create index ingest_identity_login_idx on ingest_identity (lower(login));

    create table ingest_work_item (
      id uuid primary key default gen_random_uuid(),
      source text not null,
      source_id text not null,
      connection_id uuid references ingest_connection (id) on delete set null,
      kind text not null check (kind in ('pull_request', 'issue', 'ticket')),
      project text,
      number text,
      title text,
      state text not null,
      author_identity_id uuid references ingest_identity (id),
      person_id uuid references person (id) on delete set null,
      opened_at timestamptz,
      closed_at timestamptz,
      merged_at timestamptz,
      source_updated_at timestamptz,
      attributes jsonb not null default '{}'::jsonb,
      content_hash text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (source, source_id)
    );
    create index ingest_work_item_person_idx on ingest_work_item (person_id);
    create index ingest_work_item_author_idx on ingest_work_item (author_identity_id);

    create table ingest_work_event (
      id bigint generated always as identity primary key,
      source text not null,
      source_id text not null,
      connection_id uuid references ingest_connection (id) on delete set null,
      kind text not null,
      actor_identity_id uuid references ingest_identity (id),
      person_id uuid references person (id) on delete set null,
      occurred_at timestamptz not null,
      project text,
      item_source_id text,
      attributes jsonb not null default '{}'::jsonb,
      content_hash text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (source, source_id)
    );
    create index ingest_work_event_person_idx on ingest_work_event (person_id, occurred_at);
    create index ingest_work_event_actor_idx on ingest_work_event (actor_identity_id);
    create index ingest_work_event_item_idx on ingest_work_event (source, item_source_id);

    create table ingest_raw_payload (
      id bigint generated always as identity primary key,
      source text not null,
      source_id text not null,
      connection_id uuid references ingest_connection (id) on delete cascade,
      payload jsonb not null,
      received_at timestamptz not null default now(),
      unique (source, source_id)
    );
    create index ingest_raw_payload_received_idx on ingest_raw_payload (received_at);

    create table ingest_quarantine (
      id uuid primary key default gen_random_uuid(),
      connection_id uuid references ingest_connection (id) on delete cascade,
      run_id uuid references ingest_run (id) on delete set null,
      source text not null,
      record_ref text not null,
      field text,
      problem text not null,
      raw jsonb,
      status text not null default 'pending' check (status in ('pending', 'resolved', 'discarded')),
      attempts integer not null default 0,
      last_attempt_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index ingest_quarantine_status_idx on ingest_quarantine (status, created_at desc);
    create unique index ingest_quarantine_pending_key on ingest_quarantine (source, record_ref, (coalesce(field, ''))) where status = 'pending';

    create table ingest_webhook_delivery (
      connection_id uuid not null references ingest_connection (id) on delete cascade,
      delivery_id text not null,
      event text,
      status text not null default 'received' check (status in ('received', 'processed', 'failed')),
      error text,
      received_at timestamptz not null default now(),
      processed_at timestamptz,
      primary key (connection_id, delivery_id)
    );

    create table ingest_business_metric (
      id uuid primary key default gen_random_uuid(),
      source text not null,
      source_id text not null,
      connection_id uuid references ingest_connection (id) on delete set null,
      metric text not null,
      value double precision not null,
      unit text,
      person_id uuid references person (id) on delete cascade,
      team_id uuid references team (id) on delete cascade,
      period_start date not null,
      period_end date not null,
      attributes jsonb not null default '{}'::jsonb,
      content_hash text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (source, source_id),
      check ((person_id is null) <> (team_id is null)),
      check (period_end >= period_start)
    );
    create index ingest_business_metric_person_idx on ingest_business_metric (person_id, period_start);
    create index ingest_business_metric_team_idx on ingest_business_metric (team_id, period_start);
    `,
  );
}
