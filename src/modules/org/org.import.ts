import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, Person } from '../../db/types.js';
import type { FieldProblem } from '../../shared/app-error.js';
import { todayUtc } from '../access/access.service.js';
import { columnOf, parsePeopleCsv, type ParsedRow, type PersonRecord, type RecordField } from './org.csv.js';
import { planTeams, type TeamPlan } from './org.import-teams.js';
import * as repo from './org.repository.js';
import * as lines from './reporting-lines.repository.js';
import { diffRecords, findCycle, personColumns, personSnapshot, type PersonSnapshot } from './org.rules.js';
import type { ImportError, ImportReport } from './org.schema.js';
import { checkFields, EMPTY_PERSON, nextSnapshot } from './org.import-rows.js';
import type { ChangeContext } from './org.service.js';
import {
  dayAfter,
  describeCycle,
  leaveLineChange,
  lineClosed,
  lineCreated,
  lineEndChanged,
  lineOrderProblem,
} from './reporting-lines.js';

export type { PersonRecord } from './org.csv.js';

export interface ImportOptions {
  dryRun: boolean;
  source: ChangeContext['source'];
  actorAccountId: string | null;
  onProgress?: (done: number, total: number) => void;
  /** Name of the company root team when it has to be created (default: setting `org.companyName`, else "Company"). */
  companyName?: string;
}

/** Import errors as API field problems: `{ path: 'line 7, column hire_date', message }`. */
export function importProblems(errors: ImportError[]): FieldProblem[] {
  return errors.map((e) => ({
    path: e.column ? `line ${e.line}, column ${e.column}` : `line ${e.line}`,
    message: e.message,
  }));
}

interface RowPlan {
  line: number;
  record: PersonRecord;
  existing: Person | undefined;
  id: string;
  next: PersonSnapshot;
  /** undefined: the row says nothing about the manager. */
  managerId?: string | null;
}

interface Plan {
  rows: RowPlan[];
  teams: TeamPlan;
  closes: { line: lines.LineRow; validTo: string }[];
  corrections: { line: lines.LineRow; managerId: string }[];
  opens: { id: string; person_id: string; manager_id: string; valid_from: string }[];
  /** Lines whose end follows a leave date (set after the closes and opens above). */
  leaveEnds: { line: lines.LineRow; validTo: string | null }[];
  changed: Set<string>;
}

async function planImport(
  db: Kysely<DB>,
  rows: ParsedRow[],
  options: ImportOptions,
  errors: ImportError[],
): Promise<Plan | null> {
  const err = (line: number, field: RecordField | null, message: string) =>
    errors.push({ line, column: field ? columnOf(field) : null, message });
  checkFields(rows, err);
  if (errors.length) return null;
  const today = todayUtc();

  // Everyone the file names, as a person or as a manager, in a few batched queries.
  const ids = new Set<string>();
  const emails = new Set<string>();
  for (const { record: r } of rows) {
    if (r.employeeId) ids.add(r.employeeId);
    if (r.managerEmployeeId) ids.add(r.managerEmployeeId);
    emails.add(r.email.trim().toLowerCase());
    if (r.managerEmail) emails.add(r.managerEmail.toLowerCase());
  }
  const known = await repo.findPeopleByKeys(db, [...ids], [...emails]);
  const dbByEmployeeId = new Map(known.filter((p) => p.employee_id).map((p) => [p.employee_id!, p]));
  const dbByEmail = new Map(known.map((p) => [p.email.toLowerCase(), p]));

  const teams = await planTeams(db, options.companyName);
  const plans: RowPlan[] = [];
  const claimed = new Map<string, number>();
  for (const { line, record: r } of rows) {
    const email = r.email.trim();
    const existing =
      (r.employeeId ? dbByEmployeeId.get(r.employeeId) : undefined) ?? dbByEmail.get(email.toLowerCase());
    if (existing) {
      const other = dbByEmail.get(email.toLowerCase());
      if (other && other.id !== existing.id) {
        err(
          line,
          'email',
          `"${email}" already belongs to another person in Cairn (${other.name}${other.employee_id ? `, employee id ${other.employee_id}` : ''})`,
        );
      }
      const first = claimed.get(existing.id);
      if (first !== undefined)
        err(line, 'employeeId', `this row and line ${first} both match ${existing.name} in Cairn`);
      claimed.set(existing.id, line);
    }
    const base = existing ? personSnapshot(existing) : EMPTY_PERSON;
    const next = nextSnapshot(base, r, teams.teamIdOf(r));
    if (next.hireDate && next.leaveDate && next.leaveDate < next.hireDate) {
      err(
        line,
        r.leaveDate ? 'leaveDate' : 'hireDate',
        `leave date ${next.leaveDate} is before the hire date ${next.hireDate}`,
      );
    }
    plans.push({ line, record: r, existing, id: existing?.id ?? crypto.randomUUID(), next });
  }

  // Managers: someone in the file (by employee id, then e-mail) or already in Cairn.
  const fileByEmployeeId = new Map(
    plans.filter((p) => p.next.employeeId).map((p) => [p.next.employeeId!, p]),
  );
  const fileByEmail = new Map(plans.map((p) => [p.next.email.toLowerCase(), p]));
  const nameOf = new Map<string, string>([
    ...known.map((p) => [p.id, p.name] as const),
    ...plans.map((p) => [p.id, `${p.next.name} (line ${p.line})`] as const),
  ]);
  for (const p of plans) {
    const r = p.record;
    if (r.managerEmployeeId === undefined && r.managerEmail === undefined) continue;
    let managerId: string | null = null;
    if (r.managerEmployeeId) {
      managerId =
        fileByEmployeeId.get(r.managerEmployeeId)?.id ?? dbByEmployeeId.get(r.managerEmployeeId)?.id ?? null;
      if (!managerId) {
        err(
          p.line,
          'managerEmployeeId',
          `no person with employee id "${r.managerEmployeeId}" in the file or in Cairn`,
        );
        continue;
      }
    }
    if (r.managerEmail) {
      const byEmail =
        fileByEmail.get(r.managerEmail.toLowerCase())?.id ?? dbByEmail.get(r.managerEmail.toLowerCase())?.id;
      if (!byEmail) {
        err(p.line, 'managerEmail', `no person with e-mail "${r.managerEmail}" in the file or in Cairn`);
        continue;
      }
      if (managerId && byEmail !== managerId) {
        err(
          p.line,
          'managerEmail',
          `"${r.managerEmail}" is not the person with employee id "${r.managerEmployeeId}"`,
        );
        continue;
      }
      managerId = byEmail;
    }
    if (managerId === p.id) {
      err(
        p.line,
        r.managerEmployeeId ? 'managerEmployeeId' : 'managerEmail',
        'a person cannot manage themselves',
      );
      continue;
    }
    p.managerId = managerId;
  }
  if (errors.length) return null;

  // Reporting lines: compare with each person's latest line; history is only ever appended to.
  const latest = await lines.findLatestLines(
    db,
    plans.filter((p) => p.existing).map((p) => p.id),
  );
  const open = await lines.findOpenLines(db);
  const plan: Plan = {
    rows: plans,
    teams,
    closes: [],
    corrections: [],
    opens: [],
    leaveEnds: [],
    changed: new Set(),
  };
  const latestAfter = new Map<string, lines.LineRow>(latest);
  for (const p of plans) {
    if (p.managerId === undefined) continue;
    const last = latest.get(p.id);
    const current = last && last.valid_to === null ? last : undefined;
    if ((current?.manager_id ?? null) === p.managerId) continue;
    // A leaver's line was closed by their leave date: the same manager again is no change.
    const leaves = [p.existing?.leave_date, p.next.leaveDate].filter((d): d is string => !!d);
    if (last && last.manager_id === p.managerId && leaves.some((d) => last.valid_to === dayAfter(d)))
      continue;
    const since = p.record.managerSince || (last ? today : (p.next.hireDate ?? today));
    const problem = lineOrderProblem(last, since, p.managerId);
    if (problem) {
      err(p.line, 'managerSince', `cannot change the manager from ${since}: ${problem}`);
      continue;
    }
    plan.changed.add(p.id);
    if (p.managerId) open.set(p.id, p.managerId);
    else open.delete(p.id);
    if (current && p.managerId && current.valid_from === since) {
      plan.corrections.push({ line: current, managerId: p.managerId });
      continue;
    }
    if (current) {
      plan.closes.push({ line: current, validTo: since });
      latestAfter.set(p.id, { ...current, valid_to: since });
    }
    if (p.managerId) {
      const opened = {
        id: crypto.randomUUID(),
        person_id: p.id,
        manager_id: p.managerId,
        valid_from: since,
      };
      plan.opens.push(opened);
      latestAfter.set(p.id, { ...opened, valid_to: null });
    }
  }
  // Leave dates end the latest line (after the manager changes above).
  const reopened = new Set<string>();
  for (const p of plans) {
    const change = leaveLineChange(latestAfter.get(p.id), p.existing?.leave_date ?? null, p.next.leaveDate);
    if (!change) continue;
    if ('problem' in change) {
      err(p.line, 'leaveDate', change.problem);
      continue;
    }
    plan.leaveEnds.push(change);
    plan.changed.add(p.id);
    // Taking a leave date back reopens the line, which must not close a reporting cycle either.
    if (change.validTo === null) {
      open.set(p.id, change.line.manager_id);
      reopened.add(p.id);
    }
  }
  const reported = new Set<string>();
  for (const p of plans) {
    if (!p.managerId && !reopened.has(p.id)) continue;
    const cycle = findCycle(p.id, (id) => open.get(id));
    if (!cycle) continue;
    const key = [...cycle].sort().join();
    if (reported.has(key)) continue;
    reported.add(key);
    const first = plans.find((q) => cycle.includes(q.id))!;
    err(
      first.line,
      reopened.has(first.id) && !first.managerId
        ? 'leaveDate'
        : first.record.managerEmployeeId
          ? 'managerEmployeeId'
          : 'managerEmail',
      `the managers form a reporting cycle: ${describeCycle(cycle, (id) => nameOf.get(id) ?? id)}`,
    );
  }
  return errors.length ? null : plan;
}

async function applyPlan(
  db: Kysely<DB>,
  plan: Plan,
  options: ImportOptions,
  report: ImportReport,
): Promise<void> {
  const ctx: ChangeContext = { source: options.source, actorAccountId: options.actorAccountId };
  const changes: repo.OrgChangeInsert[] = [];
  await repo.insertTeams(db, plan.teams.created);
  for (const t of plan.teams.created) {
    changes.push({
      entityType: 'team',
      entityId: t.id,
      change: 'create',
      ...ctx,
      before: null,
      after: { name: t.name, slug: t.slug, kind: t.kind, parentId: t.parent_id, description: null },
    });
  }
  const inserts = [];
  const updates = [];
  for (const p of plan.rows) {
    if (!p.existing) {
      inserts.push({ id: p.id, ...personColumns(p.next) });
      changes.push({
        entityType: 'person',
        entityId: p.id,
        change: 'create',
        ...ctx,
        before: null,
        after: { ...p.next },
      });
      continue;
    }
    const diff = diffRecords(personSnapshot(p.existing), p.next);
    if (diff) {
      updates.push({ id: p.id, ...personColumns(p.next) });
      changes.push({ entityType: 'person', entityId: p.id, change: 'update', ...ctx, ...diff });
      plan.changed.add(p.id);
    }
  }
  const total = inserts.length + updates.length;
  const step = 250;
  for (let i = 0; i < inserts.length; i += step) {
    await repo.insertPeople(db, inserts.slice(i, i + step));
    options.onProgress?.(Math.min(i + step, inserts.length), total);
  }
  for (let i = 0; i < updates.length; i += step) {
    await repo.updatePeople(db, updates.slice(i, i + step));
    options.onProgress?.(inserts.length + Math.min(i + step, updates.length), total);
  }
  await lines.closeLines(
    db,
    plan.closes.map((c) => ({ id: c.line.id, validTo: c.validTo })),
  );
  for (const c of plan.closes) changes.push(lineClosed(c.line, c.validTo, ctx));
  for (const c of plan.corrections) {
    await lines.updateLineManager(db, c.line.id, c.managerId);
    changes.push({
      entityType: 'reporting_line',
      entityId: c.line.id,
      change: 'update',
      ...ctx,
      before: { personId: c.line.person_id, managerId: c.line.manager_id },
      after: { personId: c.line.person_id, managerId: c.managerId },
    });
  }
  await lines.insertLines(db, plan.opens);
  for (const l of plan.opens) changes.push(lineCreated(l, ctx));
  await lines.closeLines(
    db,
    plan.leaveEnds.map((c) => ({ id: c.line.id, validTo: c.validTo })),
  );
  for (const c of plan.leaveEnds) changes.push(lineEndChanged(c.line, c.validTo, ctx));
  await repo.insertOrgChanges(db, changes);
  report.updated = plan.rows.filter((p) => p.existing && plan.changed.has(p.id)).length;
}

/**
 * Creates or updates people from an HRIS export (CSV text or parsed records), with their teams and
 * reporting lines, in one transaction. Matching is by employee id, then e-mail; re-importing the same
 * data changes nothing. Problems come back in `errors` (line numbers as in the file; records count
 * as lines 2, 3, … after an imagined header) and then nothing is written.
 */
export async function importPeople(
  db: Kysely<DB>,
  input: { csv: string } | { records: PersonRecord[] },
  options: ImportOptions,
): Promise<ImportReport> {
  const parsed =
    'csv' in input
      ? parsePeopleCsv(input.csv)
      : { rows: input.records.map((record, i) => ({ line: i + 2, record })), errors: [] };
  const report: ImportReport = {
    dryRun: options.dryRun,
    rows: parsed.rows.length,
    created: 0,
    updated: 0,
    unchanged: 0,
    teamsCreated: 0,
    reportingLinesOpened: 0,
    reportingLinesClosed: 0,
    errors: parsed.errors,
  };
  // Rows that parsed are still checked, so one pass reports every problem in the file.
  if (parsed.errors.length && parsed.rows.length === 0) return report;
  await db.transaction().execute(async (trx) => {
    const plan = await planImport(trx, parsed.rows, options, report.errors);
    if (!plan) return;
    report.created = plan.rows.filter((p) => !p.existing).length;
    report.teamsCreated = plan.teams.created.length;
    report.reportingLinesOpened = plan.opens.length;
    report.reportingLinesClosed =
      plan.closes.length +
      plan.leaveEnds.filter((c) => c.validTo !== null && c.line.valid_to === null).length;
    if (options.dryRun) {
      report.updated = plan.rows.filter(
        (p) => p.existing && (plan.changed.has(p.id) || diffRecords(personSnapshot(p.existing), p.next)),
      ).length;
      options.onProgress?.(report.rows, report.rows);
    } else {
      await applyPlan(trx, plan, options, report);
    }
    report.unchanged = report.rows - report.created - report.updated;
  });
  report.errors.sort((a, b) => a.line - b.line);
  return report;
}
