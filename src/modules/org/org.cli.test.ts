import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connection.js';

// The command runs as an operator would run it: a child process on an embedded database folder.
const root = path.resolve(import.meta.dirname, '../../..');
let dir: string;

function cairn(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.CAIRN_DATA_DIR;
  return new Promise((resolve) => {
    execFile(
      'node',
      ['bin/cairn.js', ...args],
      { cwd: root, env, timeout: 120_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

async function peopleCount(dataDir: string): Promise<number> {
  const database = await openDatabase({ dataDir });
  try {
    const row = await database.db
      .selectFrom('person')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await database.close();
  }
}

describe('cairn import people', () => {
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-import-'));
    fs.writeFileSync(
      path.join(dir, 'people.csv'),
      [
        'employee_id,email,name,department,team,manager_employee_id,hire_date,time_zone',
        'E1,ceo@acme.test,Cora CEO,,,,2015-01-05,Europe/Berlin',
        'E2,vp@acme.test,Vic VP,Engineering,,E1,2017-03-01,Europe/Berlin',
        'E3,dev@acme.test,Dev Eloper,Engineering,Platform,E2,2020-06-01,UTC',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(dir, 'bad.csv'),
      [
        'employee_id,email,name,manager_employee_id,hire_date',
        'B1,b1@acme.test,Bad One,,2020-01-01',
        'B2,b2@acme.test,Bad Two,B1,2021-13-01',
        'B3,b3@acme.test,Bad Three,NOPE,2020-01-01',
      ].join('\n'),
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('imports a good file, then reports it unchanged; a dry run writes nothing', async () => {
    const data = path.join(dir, 'good-data');
    const dry = await cairn(
      'import',
      'people',
      path.join(dir, 'people.csv'),
      '--dry-run',
      '--data-dir',
      data,
    );
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(
      /^Dry run \(nothing written\): would import 3 rows from people\.csv: 3 created/,
    );
    expect(await peopleCount(data)).toBe(0);
    const first = await cairn('import', 'people', path.join(dir, 'people.csv'), '--data-dir', data);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(
      'Imported 3 rows from people.csv: 3 created, 0 updated, 0 unchanged; 3 teams created',
    );
    expect(await peopleCount(data)).toBe(3);
    const second = await cairn('import', 'people', path.join(dir, 'people.csv'), '--data-dir', data);
    expect(second.stdout).toContain('0 created, 0 updated, 3 unchanged');
  }, 180_000);

  it('prints every problem with file, line and column, exits 1 and writes nothing', async () => {
    const data = path.join(dir, 'bad-data');
    const res = await cairn('import', 'people', path.join(dir, 'bad.csv'), '--data-dir', data);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('bad.csv line 3, column hire_date: "2021-13-01" is not a date (YYYY-MM-DD)');
    expect(res.stdout).toBe('');
    expect(await peopleCount(data)).toBe(0);
    const missing = await cairn('import', 'people', path.join(dir, 'nope.csv'), '--data-dir', data);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/Cannot read .*nope\.csv: no such file/);
  }, 180_000);
});
