import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/test-db.js';

describe('openDatabase type parsing (same on PGlite and PostgreSQL)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.destroy();
  });

  it('returns date columns as YYYY-MM-DD strings, with no time-zone shift', async () => {
    const { rows } = await sql<{ d: unknown; late: unknown }>`
      select '2024-02-29'::date as d, '1999-12-31'::date as late`.execute(t.database.db);
    expect(rows[0]).toEqual({ d: '2024-02-29', late: '1999-12-31' });
  });

  it('returns a date read from a table as a string', async () => {
    await sql`create table date_probe (d date)`.execute(t.database.db);
    await sql`insert into date_probe values ('2026-03-29')`.execute(t.database.db);
    const { rows } = await sql<{ d: unknown }>`select d from date_probe`.execute(t.database.db);
    expect(rows[0]!.d).toBe('2026-03-29');
  });

  it('returns counts (int8) as numbers and timestamptz as Date', async () => {
    const { rows } = await sql<{ n: unknown; at: unknown }>`
      select count(*) as n, '2026-01-01T12:00:00Z'::timestamptz as at
      from (values (1), (2), (3)) v(x)`.execute(t.database.db);
    expect(rows[0]!.n).toBe(3);
    expect(rows[0]!.at).toBeInstanceOf(Date);
    expect((rows[0]!.at as Date).toISOString()).toBe('2026-01-01T12:00:00.000Z');
  });
});
