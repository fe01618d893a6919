import { sql, type Kysely } from 'kysely';
import { runStatements } from '../run-sql.js';

// Work events' references (actor identity, person, connection), checked per statement. A declared
// foreign key checks every inserted row with its own query; on the embedded database that was a
// third of the time of writing a batch of events. These triggers keep the same guarantees set-based:
// - writing events: the distinct identities, people and connections they name are locked
//   FOR KEY SHARE (as a foreign key does, so none can be deleted until the write commits) and an
//   event naming one that does not exist fails the statement with foreign_key_violation (23503);
// - deleting a connection or a person clears it on their events (ON DELETE SET NULL, as before);
// - deleting an identity that events still name fails (as before: no action).
// See docs/ingest.md (indexes and references).
const FUNCTIONS = [
  `create function ingest_work_event_check_refs() returns trigger language plpgsql as $$
  declare
    bad record;
  begin
    perform 1 from ingest_identity where id in (select actor_identity_id from ingest_refs_new) for key share;
    perform 1 from person where id in (select person_id from ingest_refs_new) for key share;
    perform 1 from ingest_connection where id in (select connection_id from ingest_refs_new) for key share;
    for bad in
      select 'actor_identity_id' as col, n.actor_identity_id::text as val, 'ingest_identity' as ref from ingest_refs_new n
        where n.actor_identity_id is not null and not exists (select 1 from ingest_identity i where i.id = n.actor_identity_id)
      union all
      select 'person_id', n.person_id::text, 'person' from ingest_refs_new n
        where n.person_id is not null and not exists (select 1 from person p where p.id = n.person_id)
      union all
      select 'connection_id', n.connection_id::text, 'ingest_connection' from ingest_refs_new n
        where n.connection_id is not null and not exists (select 1 from ingest_connection c where c.id = n.connection_id)
      limit 1
    loop
      raise foreign_key_violation using
        message = format('insert or update on table "ingest_work_event" violates foreign key constraint "ingest_work_event_%s_fkey"', bad.col),
        detail = format('Key (%s)=(%s) is not present in table "%s".', bad.col, bad.val, bad.ref),
        table = 'ingest_work_event', column = bad.col;
    end loop;
    return null;
  end $$`,
  `create function ingest_work_event_clear_connection() returns trigger language plpgsql as $$
  begin
    update ingest_work_event set connection_id = null where connection_id in (select id from ingest_refs_old);
    return null;
  end $$`,
  `create function ingest_work_event_clear_person() returns trigger language plpgsql as $$
  begin
    update ingest_work_event set person_id = null where person_id in (select id from ingest_refs_old);
    return null;
  end $$`,
  `create function ingest_work_event_keep_identity() returns trigger language plpgsql as $$
  declare
    used uuid;
  begin
    select e.actor_identity_id into used from ingest_work_event e
      where e.actor_identity_id in (select id from ingest_refs_old) limit 1;
    if found then
      raise foreign_key_violation using
        message = 'update or delete on table "ingest_identity" violates foreign key constraint "ingest_work_event_actor_identity_id_fkey" on table "ingest_work_event"',
        detail = format('Key (id)=(%s) is still referenced from table "ingest_work_event".', used),
        table = 'ingest_identity';
    end if;
    return null;
  end $$`,
  // Ids are generated and never changed; should one change while events name it, fail as the
  // foreign keys' default ON UPDATE NO ACTION did (transition tables rule out `update of id`, so the
  // trigger first looks whether any id changed). TG_ARGV[0]: the event column naming the table.
  `create function ingest_work_event_keep_key() returns trigger language plpgsql as $$
  declare
    used text;
  begin
    if not exists (select 1 from ingest_refs_old o where not exists (select 1 from ingest_refs_new n where n.id = o.id)) then
      return null;
    end if;
    execute format(
      'select e.%1$I::text from ingest_work_event e where e.%1$I in '
      '(select o.id from ingest_refs_old o where not exists (select 1 from ingest_refs_new n where n.id = o.id)) limit 1',
      tg_argv[0]) into used;
    if used is not null then
      raise foreign_key_violation using
        message = format('update or delete on table "%s" violates foreign key constraint "ingest_work_event_%s_fkey" on table "ingest_work_event"', tg_table_name, tg_argv[0]),
        detail = format('Key (id)=(%s) is still referenced from table "ingest_work_event".', used),
        table = tg_table_name;
    end if;
    return null;
  end $$`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const f of FUNCTIONS) await sql.raw(f).execute(db);
  await runStatements(
    db,
    `
    alter table ingest_work_event drop constraint ingest_work_event_actor_identity_id_fkey;
    alter table ingest_work_event drop constraint ingest_work_event_person_id_fkey;
    alter table ingest_work_event drop constraint ingest_work_event_connection_id_fkey;
    create trigger ingest_work_event_refs_insert after insert on ingest_work_event
      referencing new table as ingest_refs_new
      for each statement execute function ingest_work_event_check_refs();
    create trigger ingest_work_event_refs_update after update on ingest_work_event
      referencing new table as ingest_refs_new
      for each statement execute function ingest_work_event_check_refs();
    create trigger ingest_work_event_connection_delete after delete on ingest_connection
      referencing old table as ingest_refs_old
      for each statement execute function ingest_work_event_clear_connection();
    create trigger ingest_work_event_person_delete after delete on person
      referencing old table as ingest_refs_old
      for each statement execute function ingest_work_event_clear_person();
    create trigger ingest_work_event_identity_delete after delete on ingest_identity
      referencing old table as ingest_refs_old
      for each statement execute function ingest_work_event_keep_identity();
    create trigger ingest_work_event_identity_key after update on ingest_identity
      referencing old table as ingest_refs_old new table as ingest_refs_new
      for each statement execute function ingest_work_event_keep_key('actor_identity_id');
    create trigger ingest_work_event_person_key after update on person
      referencing old table as ingest_refs_old new table as ingest_refs_new
      for each statement execute function ingest_work_event_keep_key('person_id');
    create trigger ingest_work_event_connection_key after update on ingest_connection
      referencing old table as ingest_refs_old new table as ingest_refs_new
      for each statement execute function ingest_work_event_keep_key('connection_id')
  `,
  );
}
