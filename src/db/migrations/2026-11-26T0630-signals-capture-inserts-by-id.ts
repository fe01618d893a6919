import { sql, type Kysely } from 'kysely';
import { runStatements } from '../run-sql.js';

// Signals change capture, lighter for inserts: an insert statement writes ONE `signals_change` row
// holding the new events' ids (`event_ids`), instead of one row per event with the event copied as
// JSON — copying every event doubled what writing work events cost. The consumer reads an inserted
// event as it was inserted: from the old side of the first later change of that event (an update or
// a delete, which still carry the event as JSON and now name it in `old_event_id`), else from the
// event row itself, in the same repeatable-read snapshot as the change log. See docs/signals.md.
//
// The events' kind index served only the sprint queries (sprints started or closed in a period); it
// now holds only those events, so writing commits, reviews and the rest no longer touches it.
const FUNCTIONS = [
  `create or replace function signals_capture_event_insert() returns trigger language plpgsql as $$
  begin
    insert into signals_change (event_ids) select array_agg(n.id) from signals_new n having count(*) > 0;
    return null;
  end $$`,
  `create or replace function signals_capture_event_update() returns trigger language plpgsql as $$
  begin
    insert into signals_change (old_event_id, old_event, new_event)
      select o.id, ${event('o')}, ${event('n')} from signals_old o join signals_new n on n.id = o.id
      where n.person_id is distinct from o.person_id or n.kind is distinct from o.kind
         or n.occurred_at is distinct from o.occurred_at or n.project is distinct from o.project
         or n.attributes is distinct from o.attributes or n.item_source_id is distinct from o.item_source_id
         or n.actor_identity_id is distinct from o.actor_identity_id;
    return null;
  end $$`,
  `create or replace function signals_capture_event_delete() returns trigger language plpgsql as $$
  begin
    insert into signals_change (old_event_id, old_event) select o.id, ${event('o')} from signals_old o;
    return null;
  end $$`,
];

/** A captured event as JSON: the columns a signal event has (as in 2026-11-26T0600). */
function event(a: string): string {
  return `jsonb_build_object('id', ${a}.id, 'source', ${a}.source, 'source_id', ${a}.source_id, 'kind', ${a}.kind,
      'person_id', ${a}.person_id, 'actor_identity_id', ${a}.actor_identity_id, 'occurred_at', ${a}.occurred_at,
      'project', ${a}.project, 'item_source_id', ${a}.item_source_id, 'attributes', ${a}.attributes)`;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    alter table signals_change add column event_ids bigint[];
    alter table signals_change add column old_event_id bigint;
    update signals_change set old_event_id = (old_event->>'id')::bigint where old_event is not null;
    create index signals_change_old_event_idx on signals_change (old_event_id, id) where old_event_id is not null;
    drop index ingest_work_event_kind_occurred_idx;
    create index ingest_work_event_sprint_idx on ingest_work_event (kind, occurred_at)
      where kind in ('sprint_started', 'sprint_closed')
  `,
  );
  for (const f of FUNCTIONS) await sql.raw(f).execute(db);
}
