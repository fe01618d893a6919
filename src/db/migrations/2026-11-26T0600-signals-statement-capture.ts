import { sql, type Kysely } from 'kysely';
import { runStatements } from '../run-sql.js';

// Signals change capture, set-based: the row-level triggers on the work model ran a PL/pgSQL
// function and one `insert into signals_change` per written row, the largest cost of writing work
// events. Statement-level triggers with transition tables write the same `signals_change` rows
// (the old/new event as JSON, or the item's source and id) in one insert per statement.
// PostgreSQL allows transition tables only on single-event triggers, so there is one per
// insert/update/delete. See docs/signals.md.
/**
 * A captured event: the columns a signal event has (`SignalEvent`, what the applier reads) — the
 * row without its content hash, connection and bookkeeping times, which is smaller and quicker to
 * build than `to_jsonb` of the whole row.
 */
const event = (a: string): string =>
  `jsonb_build_object('id', ${a}.id, 'source', ${a}.source, 'source_id', ${a}.source_id, 'kind', ${a}.kind,
      'person_id', ${a}.person_id, 'actor_identity_id', ${a}.actor_identity_id, 'occurred_at', ${a}.occurred_at,
      'project', ${a}.project, 'item_source_id', ${a}.item_source_id, 'attributes', ${a}.attributes)`;

const FUNCTIONS = [
  `create function signals_capture_event_insert() returns trigger language plpgsql as $$
  begin
    insert into signals_change (new_event) select ${event('n')} from signals_new n;
    return null;
  end $$`,
  `create function signals_capture_event_update() returns trigger language plpgsql as $$
  begin
    insert into signals_change (old_event, new_event)
      select ${event('o')}, ${event('n')} from signals_old o join signals_new n on n.id = o.id
      where n.person_id is distinct from o.person_id or n.kind is distinct from o.kind
         or n.occurred_at is distinct from o.occurred_at or n.project is distinct from o.project
         or n.attributes is distinct from o.attributes or n.item_source_id is distinct from o.item_source_id
         or n.actor_identity_id is distinct from o.actor_identity_id;
    return null;
  end $$`,
  `create function signals_capture_event_delete() returns trigger language plpgsql as $$
  begin
    insert into signals_change (old_event) select ${event('o')} from signals_old o;
    return null;
  end $$`,
  `create function signals_capture_item_insert() returns trigger language plpgsql as $$
  begin
    insert into signals_change (item_source, item_source_id) select n.source, n.source_id from signals_new n;
    return null;
  end $$`,
  `create function signals_capture_item_update() returns trigger language plpgsql as $$
  begin
    insert into signals_change (item_source, item_source_id)
      select n.source, n.source_id from signals_old o join signals_new n on n.id = o.id
      where n.person_id is distinct from o.person_id or n.attributes is distinct from o.attributes
         or n.title is distinct from o.title or n.opened_at is distinct from o.opened_at
         or n.merged_at is distinct from o.merged_at or n.closed_at is distinct from o.closed_at
         or n.state is distinct from o.state;
    return null;
  end $$`,
  `create function signals_capture_item_delete() returns trigger language plpgsql as $$
  begin
    insert into signals_change (item_source, item_source_id) select o.source, o.source_id from signals_old o;
    return null;
  end $$`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    drop trigger signals_event_change on ingest_work_event;
    drop trigger signals_item_change on ingest_work_item;
    drop function signals_capture_event();
    drop function signals_capture_item()
  `,
  );
  for (const f of FUNCTIONS) await sql.raw(f).execute(db);
  await runStatements(
    db,
    `
    create trigger signals_event_insert after insert on ingest_work_event
      referencing new table as signals_new
      for each statement execute function signals_capture_event_insert();
    create trigger signals_event_update after update on ingest_work_event
      referencing old table as signals_old new table as signals_new
      for each statement execute function signals_capture_event_update();
    create trigger signals_event_delete after delete on ingest_work_event
      referencing old table as signals_old
      for each statement execute function signals_capture_event_delete();
    create trigger signals_item_insert after insert on ingest_work_item
      referencing new table as signals_new
      for each statement execute function signals_capture_item_insert();
    create trigger signals_item_update after update on ingest_work_item
      referencing old table as signals_old new table as signals_new
      for each statement execute function signals_capture_item_update();
    create trigger signals_item_delete after delete on ingest_work_item
      referencing old table as signals_old
      for each statement execute function signals_capture_item_delete()
  `,
  );
}
