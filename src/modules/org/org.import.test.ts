import fs from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { buildAccount } from '../../test/factories.js';
import { call, getTestServer, signIn, type Agent, type TestServer } from '../../test/test-server.js';
import { todayUtc } from '../access/access.service.js';
import { importPeople, type ImportOptions, type PersonRecord } from './org.import.js';

let s: TestServer;
let admin: Agent;
const run: ImportOptions = { dryRun: false, source: 'import', actorAccountId: null };

beforeAll(async () => {
  s = await getTestServer({ loginRateLimitPerMinute: 1000 });
  admin = await signIn(s.app, (await buildAccount(s.ctx.db, { roles: ['admin'] })).email);
});
afterAll(() => s.close());

async function wipe(): Promise<void> {
  await sql`truncate reporting_line, org_change, hr_assignment cascade`.execute(s.ctx.db);
  await sql`update account set person_id = null`.execute(s.ctx.db);
  await sql`delete from person`.execute(s.ctx.db);
  await sql`delete from team`.execute(s.ctx.db);
}

async function counts() {
  const n = async (table: 'person' | 'team' | 'reporting_line' | 'org_change') =>
    Number(
      (
        await s.ctx.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    people: await n('person'),
    teams: await n('team'),
    lines: await n('reporting_line'),
    changes: await n('org_change'),
  };
}

const GOOD = [
  'employee_id,email,name,title,level,department,team,manager_employee_id,manager_email,manager_since,hire_date,leave_date,leave_reason,location,time_zone,work_mode,attr_guild',
  'E1,ceo@acme.test,Cora CEO,Chief Executive,L9,,,,,,2015-01-05,,,Berlin,Europe/Berlin,onsite,',
  'E2,vp@acme.test,Vic VP,VP Engineering,L8,Engineering,,E1,,,2017-03-01,,,Berlin,Europe/Berlin,hybrid,backend',
  'E3,lead@acme.test,Lea Lead,Engineering Manager,L6,Engineering,Platform,E2,,2020-01-01,2019-06-01,,,Lisbon,Europe/Lisbon,remote,backend',
  'E4,dev@acme.test,"Dev, Junior",Engineer,L3,Engineering,Platform,,lead@acme.test,,2023-09-01,,,Lisbon,Europe/Lisbon,remote,frontend',
  'E5,sales@acme.test,Sam Sales,Account Executive,L4,Sales,,E1,,,2021-02-01,2024-03-31,Resigned,New York,America/New_York,onsite,',
].join('\n');

describe('importPeople from CSV', () => {
  beforeEach(wipe);

  it('imports a good file: people, teams on demand, reporting lines with effective dates', async () => {
    const report = await importPeople(s.ctx.db, { csv: GOOD }, run);
    expect(report).toEqual({
      dryRun: false,
      rows: 5,
      created: 5,
      updated: 0,
      unchanged: 0,
      teamsCreated: 4,
      reportingLinesOpened: 4,
      // E5 left on 2024-03-31: their line ends there.
      reportingLinesClosed: 1,
      errors: [],
    });
    const teams = await s.ctx.db
      .selectFrom('team')
      .select(['name', 'kind', 'parent_id', 'id'])
      .orderBy('name')
      .execute();
    const byName = new Map(teams.map((t) => [t.name, t]));
    expect(teams.map((t) => [t.name, t.kind])).toEqual([
      ['Company', 'company'],
      ['Engineering', 'department'],
      ['Platform', 'team'],
      ['Sales', 'department'],
    ]);
    expect(byName.get('Platform')!.parent_id).toBe(byName.get('Engineering')!.id);
    expect(byName.get('Engineering')!.parent_id).toBe(byName.get('Company')!.id);

    const dev = await s.ctx.db
      .selectFrom('person')
      .selectAll()
      .where('employee_id', '=', 'E4')
      .executeTakeFirstOrThrow();
    expect(dev).toMatchObject({
      name: 'Dev, Junior',
      team_id: byName.get('Platform')!.id,
      work_mode: 'remote',
    });
    expect(dev.attributes).toEqual({ guild: 'frontend' });
    const lines = await sql<{ who: string; boss: string; valid_from: string }>`
      select p.employee_id as who, m.employee_id as boss, to_char(rl.valid_from, 'YYYY-MM-DD') as valid_from
      from reporting_line rl join person p on p.id = rl.person_id join person m on m.id = rl.manager_id
      order by p.employee_id`.execute(s.ctx.db);
    expect(lines.rows).toEqual([
      { who: 'E2', boss: 'E1', valid_from: '2017-03-01' },
      { who: 'E3', boss: 'E2', valid_from: '2020-01-01' },
      { who: 'E4', boss: 'E3', valid_from: '2023-09-01' },
      { who: 'E5', boss: 'E1', valid_from: '2021-02-01' },
    ]);
    const c = await counts();
    expect(c.changes).toBe(4 + 5 + 4 + 1);
    const sources = await s.ctx.db.selectFrom('org_change').select('source').distinct().execute();
    expect(sources).toEqual([{ source: 'import' }]);
  });

  it('re-importing the same file changes nothing and writes no change rows', async () => {
    await importPeople(s.ctx.db, { csv: GOOD }, run);
    const before = await counts();
    const again = await importPeople(s.ctx.db, { csv: GOOD }, run);
    expect(again).toMatchObject({
      rows: 5,
      created: 0,
      updated: 0,
      unchanged: 5,
      teamsCreated: 0,
      reportingLinesOpened: 0,
      reportingLinesClosed: 0,
    });
    expect(await counts()).toEqual(before);
    // Matching is case-insensitive on e-mail, but a changed spelling is a real change to one field.
    const recased = await importPeople(
      s.ctx.db,
      { csv: GOOD.replace('E1,ceo@acme.test', 'E1,CEO@Acme.test') },
      run,
    );
    expect(recased).toMatchObject({ created: 0, updated: 1, unchanged: 4 });
    expect((await counts()).changes - before.changes).toBe(1);
  });

  it('a changed field writes one update row; a new manager closes the old line and opens a new one', async () => {
    await importPeople(s.ctx.db, { csv: GOOD }, run);
    const before = await counts();
    const changed = GOOD.replace(
      'E4,dev@acme.test,"Dev, Junior",Engineer,L3',
      'E4,dev@acme.test,"Dev, Junior",Engineer,L4',
    ).replace(',lead@acme.test,,2023-09-01', ',vp@acme.test,2025-02-01,2023-09-01');
    const report = await importPeople(s.ctx.db, { csv: changed }, run);
    expect(report).toMatchObject({
      updated: 1,
      unchanged: 4,
      reportingLinesOpened: 1,
      reportingLinesClosed: 1,
    });
    const after = await counts();
    expect(after.changes - before.changes).toBe(3);
    const dev = await s.ctx.db
      .selectFrom('person')
      .select('id')
      .where('employee_id', '=', 'E4')
      .executeTakeFirstOrThrow();
    const update = await s.ctx.db
      .selectFrom('org_change')
      .selectAll()
      .where('entity_id', '=', dev.id)
      .where('change', '=', 'update')
      .executeTakeFirstOrThrow();
    expect(update.before).toEqual({ level: 'L3' });
    expect(update.after).toEqual({ level: 'L4' });
    const profile = await call(s.app, admin, 'GET', `/api/v1/people/${dev.id}/profile`);
    expect(
      profile
        .json()
        .reportingHistory.map((l: { managerName: string; validFrom: string; validTo: string | null }) => [
          l.managerName,
          l.validFrom,
          l.validTo,
        ]),
    ).toEqual([
      ['Vic VP', '2025-02-01', null],
      ['Lea Lead', '2023-09-01', '2025-02-01'],
    ]);
  });

  it('imports the example file in docs/import-people.md', async () => {
    const doc = fs.readFileSync(new URL('../../../docs/import-people.md', import.meta.url), 'utf8');
    const csv = /```csv\n([\s\S]*?)```/.exec(doc)![1]!;
    const report = await importPeople(s.ctx.db, { csv }, run);
    expect(report).toMatchObject({ errors: [], created: 5, teamsCreated: 4, reportingLinesOpened: 4 });
  });

  it('a dry run reports what would change and writes nothing', async () => {
    const report = await importPeople(s.ctx.db, { csv: GOOD }, { ...run, dryRun: true });
    expect(report).toMatchObject({
      dryRun: true,
      rows: 5,
      created: 5,
      teamsCreated: 4,
      reportingLinesOpened: 4,
    });
    expect(await counts()).toEqual({ people: 0, teams: 0, lines: 0, changes: 0 });
  });

  const header = 'employee_id,email,name,manager_employee_id,hire_date,leave_date,time_zone,work_mode';
  const bad: [string, string, { line: number; column: string | null; message: RegExp }[]][] = [
    [
      'an unknown column, with a suggestion',
      'employee_id,email,name,hire-date,nickname\nE1,a@x.test,A,2020-01-01,Al\n',
      [
        { line: 1, column: 'hire-date', message: /unknown column "hire-date"; did you mean "hire_date"\?/ },
        { line: 1, column: 'nickname', message: /unknown column "nickname"; known columns are/ },
      ],
    ],
    [
      'a missing required column',
      'employee_id,email\nE1,a@x.test\n',
      [{ line: 1, column: 'name', message: /no "name" column/ }],
    ],
    [
      'bad dates',
      `${header}\nE1,a@x.test,A,,2021-13-01,,UTC,\nE2,b@x.test,B,,2021-02-29,,UTC,\nE3,c@x.test,C,,2021-02-01,2020-01-01,UTC,\n`,
      [
        { line: 2, column: 'hire_date', message: /^"2021-13-01" is not a date \(YYYY-MM-DD\)$/ },
        { line: 3, column: 'hire_date', message: /"2021-02-29" is not a date/ },
        {
          line: 4,
          column: 'leave_date',
          message: /leave date 2020-01-01 is before the hire date 2021-02-01/,
        },
      ],
    ],
    [
      'an unknown manager',
      `${header}\nE1,a@x.test,A,,,,UTC,\nE2,b@x.test,B,E404,,,UTC,\n`,
      [
        {
          line: 3,
          column: 'manager_employee_id',
          message: /no person with employee id "E404" in the file or in Cairn/,
        },
      ],
    ],
    [
      'a reporting cycle',
      `${header}\nE1,a@x.test,Ann,E3,,,UTC,\nE2,b@x.test,Bob,E1,,,UTC,\nE3,c@x.test,Cid,E2,,,UTC,\nE4,d@x.test,Dee,E1,,,UTC,\n`,
      [
        {
          line: 2,
          column: 'manager_employee_id',
          message: /reporting cycle: Ann \(line 2\) → Cid \(line 4\) → Bob \(line 3\) → Ann \(line 2\)/,
        },
      ],
    ],
    [
      'a person managing themselves',
      `${header}\nE1,a@x.test,Ann,E1,,,UTC,\n`,
      [{ line: 2, column: 'manager_employee_id', message: /cannot manage themselves/ }],
    ],
    [
      'duplicate employee ids and e-mails',
      `${header}\nE1,a@x.test,A,,,,UTC,\nE1,b@x.test,B,,,,UTC,\nE3,A@X.test,C,,,,UTC,\n`,
      [
        { line: 3, column: 'employee_id', message: /employee id "E1" is also on line 2/ },
        { line: 4, column: 'email', message: /e-mail "A@X.test" is also on line 2/ },
      ],
    ],
    [
      'an unclosed quote',
      `${header}\nE1,a@x.test,A,,,,UTC,\nE2,b@x.test,"B,,,,UTC,\nE3,c@x.test,C,,,,UTC,\n`,
      [{ line: 3, column: 'name', message: /quoted field opened on this line is never closed/ }],
    ],
    [
      'wrong field counts, time zones, work modes and missing values',
      `${header}\nE1,a@x.test,A,,,,UTC\nE2,,B,,,,Mars/Base,office\nE3,not-an-email,,,,,Europe/Berlin,\n`,
      [
        { line: 2, column: null, message: /the row has 7 fields; the header has 8/ },
        { line: 3, column: 'email', message: /is required/ },
        { line: 3, column: 'time_zone', message: /"Mars\/Base" is not an IANA time zone/ },
        { line: 3, column: 'work_mode', message: /"office" is not one of onsite, remote, hybrid/ },
        { line: 4, column: 'email', message: /"not-an-email" is not an e-mail address/ },
        { line: 4, column: 'name', message: /is required/ },
      ],
    ],
  ];
  it.each(bad)('reports %s with line and column, and writes nothing', async (_name, csv, expected) => {
    await importPeople(s.ctx.db, { csv: 'employee_id,email,name\nX1,existing@x.test,Existing\n' }, run);
    const before = await counts();
    const report = await importPeople(s.ctx.db, { csv }, run);
    expect(report.errors).toHaveLength(expected.length);
    expected.forEach((e, i) => {
      expect(report.errors[i]).toMatchObject({ line: e.line, column: e.column });
      expect(report.errors[i]!.message).toMatch(e.message);
    });
    expect(report.created).toBe(0);
    expect(await counts()).toEqual(before);
  });

  it('finds managers already in Cairn and refuses a manager change dated before the current line', async () => {
    await importPeople(s.ctx.db, { csv: GOOD }, run);
    const csv =
      'employee_id,email,name,manager_email,manager_since\nE9,new@acme.test,Nia New,ceo@acme.test,\nE4,dev@acme.test,Dev,vp@acme.test,2020-01-01\n';
    const report = await importPeople(s.ctx.db, { csv }, run);
    expect(report.errors).toEqual([
      {
        line: 3,
        column: 'manager_since',
        message: expect.stringMatching(/current reporting line started on 2023-09-01/),
      },
    ]);
    const ok = await importPeople(s.ctx.db, { csv: csv.replace(',2020-01-01', ',') }, run);
    expect(ok).toMatchObject({ created: 1, updated: 1, reportingLinesOpened: 2, reportingLinesClosed: 1 });
    const closed = await sql<{ valid_to: string }>`
      select to_char(valid_to, 'YYYY-MM-DD') as valid_to from reporting_line where valid_to is not null
      order by valid_to`.execute(s.ctx.db);
    // The leaver E5's line (ended the day after their leave date) and E4's changed line.
    expect(closed.rows).toEqual([{ valid_to: '2024-04-01' }, { valid_to: todayUtc() }]);
  });

  it("a leave date ends the leaver's reporting line the day after; moving it moves the end, removing it reopens the line", async () => {
    const header = 'employee_id,email,name,manager_employee_id,hire_date,leave_date';
    const file = (leave: string) =>
      [header, 'E1,boss@acme.test,Bo Boss,,2015-01-01,', `E2,ann@acme.test,Ann,E1,2020-01-01,${leave}`].join(
        '\n',
      );
    const lineOfAnn = async () =>
      (
        await sql<{ valid_from: string; valid_to: string | null }>`
          select to_char(rl.valid_from, 'YYYY-MM-DD') as valid_from, to_char(rl.valid_to, 'YYYY-MM-DD') as valid_to
          from reporting_line rl join person p on p.id = rl.person_id where p.employee_id = 'E2'`.execute(
          s.ctx.db,
        )
      ).rows;
    await importPeople(s.ctx.db, { csv: file('') }, run);
    expect(await lineOfAnn()).toEqual([{ valid_from: '2020-01-01', valid_to: null }]);

    const left = await importPeople(s.ctx.db, { csv: file('2025-06-30') }, run);
    expect(left).toMatchObject({ updated: 1, reportingLinesOpened: 0, reportingLinesClosed: 1, errors: [] });
    expect(await lineOfAnn()).toEqual([{ valid_from: '2020-01-01', valid_to: '2025-07-01' }]);
    const before = await counts();
    // Re-importing the leaver (still naming their last manager) changes nothing.
    expect(await importPeople(s.ctx.db, { csv: file('2025-06-30') }, run)).toMatchObject({
      updated: 0,
      reportingLinesOpened: 0,
      reportingLinesClosed: 0,
    });
    expect(await counts()).toEqual(before);

    await importPeople(s.ctx.db, { csv: file('2025-08-15') }, run);
    expect(await lineOfAnn()).toEqual([{ valid_from: '2020-01-01', valid_to: '2025-08-16' }]);
    await importPeople(s.ctx.db, { csv: file('') }, run);
    expect(await lineOfAnn()).toEqual([{ valid_from: '2020-01-01', valid_to: null }]);
    const logged = await s.ctx.db
      .selectFrom('org_change')
      .select(['after'])
      .where('entity_type', '=', 'reporting_line')
      .where('change', '=', 'update')
      .orderBy('id')
      .execute();
    expect(logged.map((c) => (c.after as { validTo: string | null }).validTo)).toEqual([
      '2025-07-01',
      '2025-08-16',
      null,
    ]);
  });

  it('refuses, naming the cycle, a file that takes a leave date back when the manager now reports to the leaver', async () => {
    const header = 'employee_id,email,name,manager_employee_id,hire_date,leave_date';
    const rows = (bossManager: string, annLeave: string) =>
      [
        header,
        `E1,boss@acme.test,Bo Boss,${bossManager},2015-01-01,`,
        `E2,ann@acme.test,Ann,E1,2020-01-01,${annLeave}`,
      ].join('\n');
    await importPeople(s.ctx.db, { csv: rows('', '2025-06-30') }, run);
    // Bo now reports to Ann, who has left…
    const moved = await importPeople(s.ctx.db, { csv: rows('E2', '2025-06-30') }, run);
    expect(moved.errors).toEqual([]);
    const before = await counts();
    // …so taking Ann's leave date back would make Ann → Bo → Ann.
    const back = await importPeople(s.ctx.db, { csv: rows('E2', '') }, run);
    expect(back.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/reporting cycle: .*Ann.*Bo Boss|reporting cycle: .*Bo Boss.*Ann/),
      }),
    ]);
    expect(await counts()).toEqual(before);
  });

  it('refuses a leave date before the current reporting line started, naming line and column', async () => {
    const csv = [
      'employee_id,email,name,manager_employee_id,manager_since,hire_date,leave_date',
      'E1,boss@acme.test,Bo Boss,,,2015-01-01,',
      'E2,ann@acme.test,Ann,E1,2024-05-01,2020-01-01,2024-03-31',
    ].join('\n');
    const report = await importPeople(s.ctx.db, { csv }, run);
    expect(report.errors).toEqual([
      {
        line: 3,
        column: 'leave_date',
        message: 'the leave date 2024-03-31 is before the current reporting line started (2024-05-01)',
      },
    ]);
    expect(await counts()).toMatchObject({ people: 0, lines: 0 });
  });

  it('imports thousands of records quickly and idempotently (the demo loader path)', async () => {
    const records: PersonRecord[] = [];
    for (let i = 0; i < 3000; i++) {
      records.push({
        employeeId: `D${i}`,
        email: `p${i}@big.test`,
        name: `Person ${i}`,
        department: `Dept ${i % 7}`,
        team: `Team ${i % 40}`,
        managerEmployeeId: i === 0 ? null : `D${Math.floor((i - 1) / 5)}`,
        managerSince: '2022-01-01',
        hireDate: '2021-06-01',
        timeZone: 'UTC',
        attributes: { cohort: String(i % 3) },
      });
    }
    const progress: number[] = [];
    const started = Date.now();
    const first = await importPeople(
      s.ctx.db,
      { records },
      { ...run, source: 'demo', onProgress: (d) => progress.push(d) },
    );
    const firstMs = Date.now() - started;
    expect(first).toMatchObject({ rows: 3000, created: 3000, reportingLinesOpened: 2999, errors: [] });
    expect(progress.at(-1)).toBe(3000);
    const second = await importPeople(s.ctx.db, { records }, { ...run, source: 'demo' });
    expect(second).toMatchObject({ unchanged: 3000, created: 0, updated: 0, reportingLinesOpened: 0 });
    expect(firstMs).toBeLessThan(30_000);
  }, 120_000);
});

describe('POST /api/v1/org/import', () => {
  beforeEach(wipe);

  it('accepts text/csv and JSON, honours dryRun, and answers 400 listing every problem', async () => {
    const dry = await call(s.app, admin, 'POST', '/api/v1/org/import?dryRun=true', GOOD, {
      'content-type': 'text/csv',
    });
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, created: 5 });
    expect((await counts()).people).toBe(0);
    const real = await call(s.app, admin, 'POST', '/api/v1/org/import', { csv: GOOD });
    expect(real.statusCode).toBe(200);
    expect(real.json()).toMatchObject({ dryRun: false, created: 5, teamsCreated: 4 });
    const sources = await s.ctx.db
      .selectFrom('org_change')
      .select(['source', 'actor_account_id'])
      .distinct()
      .execute();
    expect(sources).toHaveLength(1);
    expect(sources[0]!.source).toBe('api');
    expect(sources[0]!.actor_account_id).toEqual(expect.any(String));

    const badCsv = [
      'employee_id,email,name,hire_date',
      'N1,n1@acme.test,N One,2020-01-01',
      'N2,n2@acme.test,N Two,2021-13-01',
      'N3,n3@acme.test,,2020-01-01',
    ].join('\n');
    const bad = await call(s.app, admin, 'POST', '/api/v1/org/import', badCsv, {
      'content-type': 'text/csv',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details).toEqual([
      { path: 'line 3, column hire_date', message: '"2021-13-01" is not a date (YYYY-MM-DD)' },
      { path: 'line 4, column name', message: 'is required' },
    ]);
    expect((await counts()).people).toBe(5);

    const employee = await buildAccount(s.ctx.db, { roles: [] });
    const denied = await call(s.app, await signIn(s.app, employee.email), 'POST', '/api/v1/org/import', {
      csv: GOOD,
    });
    expect(denied.statusCode).toBe(403);
  });
});
