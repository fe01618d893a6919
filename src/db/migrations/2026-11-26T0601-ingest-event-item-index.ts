import type { Kysely } from 'kysely';
import { runStatements } from '../run-sql.js';

// The work-event index by item holds only events that belong to an item: every query through it
// names an item (`source = … and item_source_id = …`), and most events — commits — belong to none,
// so writing them no longer touches this index. See docs/ingest.md (indexes).
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    drop index ingest_work_event_item_idx;
    create index ingest_work_event_item_idx on ingest_work_event (source, item_source_id)
      where item_source_id is not null
  `,
  );
}
