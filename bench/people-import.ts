import { performance } from 'node:perf_hooks';
import { openDatabase, type Database } from '../src/db/connection.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { NewPerson } from '../src/db/types.js';
import { importPeople, type PersonRecord } from '../src/modules/org/org.import.js';
import { round3, type BenchResult, type Log } from './result.js';

const DEPARTMENTS = ['Engineering', 'Product', 'Sales', 'Operations', 'Support'];
const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata'];

/** A synthetic HRIS export of `n` people: a manager tree of span 8, ten people a team. */
export function syntheticPeople(n: number): PersonRecord[] {
  const records: PersonRecord[] = [];
  for (let i = 0; i < n; i++) {
    const manager = i === 0 ? null : Math.floor((i - 1) / 8);
    const team = Math.floor(i / 10);
    records.push({
      employeeId: `B${i}`,
      email: `person.${i}@bench.example`,
      name: `Person ${i}`,
      title: i === 0 ? 'CEO' : 'Engineer',
      level: `IC${(i % 5) + 1}`,
      department: DEPARTMENTS[team % DEPARTMENTS.length]!,
      team: `Team ${team}`,
      managerEmployeeId: manager === null ? null : `B${manager}`,
      managerSince: manager === null ? null : '2024-01-01',
      hireDate: '2024-01-01',
      location: 'Berlin',
      timeZone: ZONES[i % ZONES.length]!,
      workMode: 'hybrid',
      attributes: { cost_center: `CC-${team % 7}` },
    });
  }
  return records;
}

async function freshDatabase(): Promise<Database> {
  const database = await openDatabase({ memory: true });
  await migrateToLatest(database.db);
  return database;
}

/** The same rows as plain person rows, inserted with multi-row INSERTs (no teams, lines or history). */
async function bareInsert(database: Database, records: PersonRecord[]): Promise<void> {
  const rows: NewPerson[] = records.map((r) => ({
    employee_id: r.employeeId ?? null,
    email: r.email,
    name: r.name,
    title: r.title ?? null,
    level: r.level ?? null,
    hire_date: r.hireDate ?? null,
    location: r.location ?? null,
    time_zone: r.timeZone ?? 'UTC',
    work_mode: 'hybrid',
    attributes: JSON.stringify(r.attributes ?? {}),
  }));
  // PostgreSQL takes at most 65535 parameters a statement: 1000 rows of 10 columns stay well below.
  for (let i = 0; i < rows.length; i += 1000) {
    await database.db
      .insertInto('person')
      .values(rows.slice(i, i + 1000))
      .execute();
  }
}

/** People import throughput (rows/s through importPeople) against a bare INSERT of the same rows. */
export async function benchPeopleImport(rows: number, log: Log): Promise<BenchResult> {
  const records = syntheticPeople(rows);
  const baseDb = await freshDatabase();
  const importDb = await freshDatabase();
  try {
    log(`people import: bare INSERT of ${rows} rows…`);
    let t = performance.now();
    await bareInsert(baseDb, records);
    const baseSeconds = (performance.now() - t) / 1000;
    log(`people import: importPeople with ${rows} rows…`);
    t = performance.now();
    const report = await importPeople(
      importDb.db,
      { records },
      { dryRun: false, source: 'import', actorAccountId: null },
    );
    const importSeconds = (performance.now() - t) / 1000;
    if (report.errors.length || report.created !== rows) {
      throw new Error(`the benchmark import failed: ${JSON.stringify(report.errors.slice(0, 3))}`);
    }
    const value = rows / importSeconds;
    const baseline = rows / baseSeconds;
    const ratio = value / baseline;
    return {
      name: 'people_import_throughput',
      value: round3(value),
      unit: 'rows/s',
      baseline: round3(baseline),
      baseline_name: 'bare multi-row INSERT into person',
      ratio: round3(ratio),
      target: '>= 0.2',
      met: ratio >= 0.2,
      size: { rows, database: 'pglite' },
    };
  } finally {
    await baseDb.close();
    await importDb.close();
  }
}
