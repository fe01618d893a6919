import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildTeam } from '../../../test/factories.js';
import { createTestDatabase, type TestDatabase } from '../../../test/test-db.js';
import { ensureConnection } from '../ingest.connections.js';
import { runConnection } from '../ingest.runner.js';
import { parseMetricsFile, parsePeriod } from './metrics.file.js';

let t: TestDatabase;
let dir: string;
const db = () => t.database.db;

beforeAll(async () => {
  t = await createTestDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-metrics-'));
  await buildPerson(db(), { email: 'ada@kestrel.test', employee_id: 'K-001' });
  await buildTeam(db(), { slug: 'platform', name: 'Platform' });
});
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await t.destroy();
});

async function importFile(name: string, text: string) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  const c = await ensureConnection(db(), 'metrics', `metrics ${name}`, { file });
  return runConnection(db(), c.id);
}

describe('metrics files', () => {
  it('expands periods', () => {
    expect(parsePeriod('2026')).toEqual({ start: '2026-01-01', end: '2026-12-31' });
    expect(parsePeriod('2026-Q1')).toEqual({ start: '2026-01-01', end: '2026-03-31' });
    expect(parsePeriod('2024-02')).toEqual({ start: '2024-02-01', end: '2024-02-29' });
    expect(parsePeriod('2026-13')).toBeNull();
  });

  it('imports a good CSV, and re-importing it changes nothing', async () => {
    const csv = [
      'metric,value,period,person_email,employee_id,team,unit',
      'revenue,125000,2026-Q1,,,platform,EUR',
      'customer_satisfaction,4.6,2026-03,ada@kestrel.test,,,',
      'incidents,3,2026-03,,K-001,,',
      'initiatives_launched,2,2026,,,Platform,',
    ].join('\n');
    const first = await importFile('good.csv', csv);
    expect(first.summary).toMatchObject({ read: 4, created: 4, rejected: 0 });
    const again = await importFile('good.csv', csv);
    expect(again.summary).toMatchObject({ read: 4, unchanged: 4, created: 0, updated: 0 });
    const changed = await importFile('good.csv', csv.replace('125000', '130000'));
    expect(changed.summary).toMatchObject({ updated: 1, unchanged: 3 });
  });

  it('names bad rows by line and column, quarantines them, and keeps the good rows', async () => {
    const csv = [
      'metric,value,period_start,period_end,person_email,team',
      'revenue,12,2026-01-01,2026-01-31,,platform',
      'revenue,twelve,2026-01-01,2026-01-31,,platform',
      'revenue,12,2026-02-30,2026-03-31,,platform',
      'happiness,12,2026-01-01,2026-01-31,,platform',
      'errors,12,2026-01-01,2026-01-31,ada@kestrel.test,platform',
      'errors,5,2026-01-01,2026-01-31,ghost@kestrel.test,',
    ].join('\n');
    const r = await importFile('bad.csv', csv);
    expect(r.status).toBe('succeeded');
    expect(r.summary).toMatchObject({ read: 6, created: 1, rejected: 5 });
    const q = await db()
      .selectFrom('ingest_quarantine')
      .select(['record_ref', 'field', 'problem'])
      .where('record_ref', 'like', 'bad.csv%')
      .orderBy('record_ref')
      .execute();
    expect(q.map((e) => [e.record_ref, e.field])).toEqual([
      ['bad.csv line 3', 'column 2 (value)'],
      ['bad.csv line 4', 'column 3 (period_start)'],
      ['bad.csv line 5', 'column 1 (metric)'],
      ['bad.csv line 6', 'column 6 (team)'],
    ]);
    expect(q[0]!.problem).toBe('bad.csv line 3, column 2 (value): is not a number: "twelve"');
    const ghost = await db()
      .selectFrom('ingest_quarantine')
      .select('problem')
      .where('problem', 'like', '%ghost@kestrel.test%')
      .executeTakeFirstOrThrow();
    expect(ghost.problem).toContain('no known person');
  });

  it('rejects a file that is not CSV/JSON or lacks columns as a whole, writing nothing', async () => {
    const before = await db()
      .selectFrom('ingest_business_metric')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const r1 = await importFile('cols.csv', 'metric,amount\nrevenue,1\n');
    expect(r1.status).toBe('failed');
    expect(r1.error).toBe(
      'cols.csv line 1: unknown column amount (known: metric, value, period, period_start, period_end, person_email, employee_id, team, unit, note).',
    );
    const r2 = await importFile('broken.json', '[{"metric": "revenue", ');
    expect(r2.error).toMatch(/^broken\.json: not valid JSON/);
    const r3 = await importFile('quote.csv', 'metric,value,period,team\n"revenue,1,2026,platform\n');
    expect(r3.error).toMatch(/^quote\.csv.*not valid CSV/);
    const after = await db()
      .selectFrom('ingest_business_metric')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('reads JSON with the same fields', () => {
    const parsed = parseMetricsFile(
      'm.json',
      JSON.stringify({
        metrics: [
          { metric: 'nps', value: 42, period: '2026-Q2', team: 'platform' },
          { metric: 'nps', value: 'x', period: '2026', team: 'platform' },
        ],
      }),
    );
    expect(parsed.metrics).toHaveLength(1);
    expect(parsed.rejected[0]).toMatchObject({ recordRef: 'm.json item 2', field: 'value' });
  });
});
