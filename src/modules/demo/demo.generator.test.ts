import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, generateDemoOrganisation, type DemoOrganisation } from './demo.generator.js';

const DAY = '2026-11-25';
const days = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;

function currentSpans(org: DemoOrganisation): Map<string, number> {
  const spans = new Map<string, number>();
  for (const r of org.snapshots.current) {
    if (r.leaveDate || !r.managerEmployeeId) continue;
    spans.set(r.managerEmployeeId, (spans.get(r.managerEmployeeId) ?? 0) + 1);
  }
  return spans;
}

/** Every problem with an organisation's shape, as text (empty when it is sound). */
function problems(org: DemoOrganisation): string[] {
  const out: string[] = [];
  const { current, history } = org.snapshots;
  const byId = new Map(current.map((r) => [r.employeeId, r]));
  const active = current.filter((r) => !r.leaveDate);
  if (active.length < 135 || active.length > 165) out.push(`${active.length} current people`);
  if (new Set(current.map((r) => r.email.toLowerCase())).size !== current.length)
    out.push('duplicate e-mail');
  if (new Set(current.map((r) => r.employeeId)).size !== current.length) out.push('duplicate employee id');
  const roots = active.filter((r) => !r.managerEmployeeId);
  if (roots.length !== 1 || roots[0]!.title !== 'Chief Executive Officer')
    out.push('not exactly one CEO at the top');
  for (const [manager, span] of currentSpans(org)) {
    if (span < 4 || span > 10) out.push(`span ${span} for ${manager}`);
    if (byId.get(manager)?.leaveDate) out.push(`leaver ${manager} still manages people`);
  }
  for (const snapshot of [current, history]) {
    const ids = new Map(snapshot.map((r) => [r.employeeId, r]));
    for (const r of snapshot) {
      const seen = new Set([r.employeeId]);
      for (let m = r.managerEmployeeId; m; m = ids.get(m)?.managerEmployeeId ?? null) {
        if (!ids.has(m)) out.push(`${r.employeeId} has unknown manager ${m}`);
        if (seen.has(m)) {
          out.push(`cycle through ${r.employeeId}`);
          break;
        }
        seen.add(m);
      }
      if (r.managerEmployeeId) {
        const manager = ids.get(r.managerEmployeeId)!;
        if (r.managerSince! < r.hireDate) out.push(`${r.employeeId} reports before being hired`);
        if (r.managerSince! < manager.hireDate) out.push(`${r.employeeId} reports to someone not yet hired`);
        if (manager.leaveDate && r.managerSince! >= manager.leaveDate)
          out.push(`${r.employeeId} reports to a leaver`);
      }
      if (r.leaveDate && r.leaveDate <= r.hireDate) out.push(`${r.employeeId} leaves before joining`);
    }
  }
  // A line changes only forward in time.
  current.forEach((r, i) => {
    const h = history[i]!;
    if (h.employeeId !== r.employeeId) out.push('snapshots list people in different orders');
    if (h.managerEmployeeId !== r.managerEmployeeId && h.managerSince! >= r.managerSince!)
      out.push(`${r.employeeId} changed manager backwards`);
  });
  return out;
}

describe('generateDemoOrganisation', () => {
  const org = generateDemoOrganisation(42, { referenceDate: DAY });
  const current = org.snapshots.current;
  const active = current.filter((r) => !r.leaveDate);

  it('builds about 150 people in 15 teams across 4 departments, with a CEO at the top', () => {
    expect(active.length).toBeGreaterThanOrEqual(140);
    expect(active.length).toBeLessThanOrEqual(160);
    expect(
      new Set(
        current
          .filter((r) => r.department)
          .map((r) => r.team)
          .filter(Boolean),
      ).size,
    ).toBe(15);
    expect(new Set(current.map((r) => r.department).filter(Boolean))).toEqual(
      new Set(['Engineering', 'Product & Design', 'Sales & Customer Success', 'People & Operations']),
    );
    expect(problems(org)).toEqual([]);
  });

  it('puts the CEO and the chief of staff in the leadership team under the company, everyone else in a department', () => {
    const leadership = current.filter((r) => r.team === 'Leadership team');
    expect(leadership.map((r) => r.title).sort()).toEqual(['Chief Executive Officer', 'Chief of Staff']);
    expect(leadership.every((r) => r.department === null)).toBe(true);
    expect(current.filter((r) => !r.team && !r.department)).toEqual([]);
    const history = org.snapshots.history.filter((r) => r.team === 'Leadership team');
    expect(history.map((r) => r.employeeId).sort()).toEqual(leadership.map((r) => r.employeeId).sort());
  });

  it('keeps spans of control between 4 and 10, with managers on two levels below the CEO', () => {
    const spans = currentSpans(org);
    for (const span of spans.values()) {
      expect(span).toBeGreaterThanOrEqual(4);
      expect(span).toBeLessThanOrEqual(10);
    }
    const levelOf = new Map(current.map((r) => [r.employeeId, r.level]));
    const managerLevels = new Set([...spans.keys()].map((id) => levelOf.get(id)));
    expect(managerLevels).toEqual(new Set(['M1', 'M2', 'M3']));
    const directors = active.filter((r) => r.level === 'M2' || r.title === 'Chief Financial Officer');
    for (const d of directors) {
      const reports = active.filter((r) => r.managerEmployeeId === d.employeeId);
      expect(reports.some((r) => r.level === 'M1')).toBe(true);
    }
  });

  it('places people in three offices in three time zones, plus remote people', () => {
    const offices = new Map(
      active.filter((r) => r.location !== 'Remote').map((r) => [r.location, r.timeZone]),
    );
    expect(Object.fromEntries(offices)).toEqual({
      Berlin: 'Europe/Berlin',
      'New York': 'America/New_York',
      Bangalore: 'Asia/Kolkata',
    });
    const remote = active.filter((r) => r.location === 'Remote');
    expect(remote.length).toBeGreaterThanOrEqual(5);
    expect(remote.every((r) => r.workMode === 'remote')).toBe(true);
    expect(new Set(active.map((r) => r.workMode))).toEqual(new Set(['onsite', 'remote', 'hybrid']));
  });

  it('spans tenure from new hires of a few weeks to ten years', () => {
    const tenure = active.map((r) => days(r.hireDate, DAY));
    expect(Math.min(...tenure)).toBeLessThanOrEqual(56);
    expect(tenure.filter((t) => t <= 60).length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...tenure)).toBeGreaterThanOrEqual(3600);
    expect(Math.max(...tenure)).toBeLessThanOrEqual(3660);
  });

  it('has leavers with a leave date and reason, and levels, titles and custom attributes for everyone', () => {
    const leavers = current.filter((r) => r.leaveDate);
    expect(leavers.length).toBeGreaterThanOrEqual(8);
    expect(leavers.every((r) => r.leaveReason && r.leaveDate! <= DAY)).toBe(true);
    for (const r of current) {
      expect(r.level).toMatch(/^(IC[1-5]|M[1-3])$/);
      expect(r.title.length).toBeGreaterThan(3);
      expect(Object.keys(r.attributes).sort()).toEqual(['cost_center', 'employment_type']);
    }
  });

  it('has reporting history: an older export in which some people had another manager', () => {
    const { history } = org.snapshots;
    const changed = current.filter((r, i) => history[i]!.managerEmployeeId !== r.managerEmployeeId);
    expect(changed.length).toBeGreaterThanOrEqual(8);
    const transferred = current.filter((r, i) => history[i]!.team !== r.team);
    expect(transferred.length).toBeGreaterThanOrEqual(3);
    // The older export shows no one as having left yet.
    expect(history.every((r) => r.leaveDate === null)).toBe(true);
  });

  it('plans an account for everyone, with one admin, two HR partners over two departments each, and executives', () => {
    expect(org.accounts.map((a) => a.email)).toEqual(current.map((r) => r.email));
    const withRole = (role: string) => org.accounts.filter((a) => a.roles.includes(role as 'admin'));
    expect(withRole('admin')).toHaveLength(1);
    expect(withRole('hr')).toHaveLength(2);
    expect(withRole('executive')).toHaveLength(2);
    const hrDepartments = withRole('hr').flatMap((a) => a.hrDepartments);
    expect(hrDepartments).toHaveLength(4);
    expect(new Set(hrDepartments).size).toBe(4);
    const disabled = org.accounts.filter((a) => a.disabled).map((a) => a.email);
    expect(disabled).toEqual(current.filter((r) => r.leaveDate).map((r) => r.email));
  });

  it('suggests logins for every label, current people only, one of each first', () => {
    const labels = ['admin', 'HR partner', 'executive', 'manager (director)', 'manager', 'employee'];
    expect(org.logins.slice(0, 6).map((l) => l.role)).toEqual(labels);
    const byEmail = new Map(current.map((r) => [r.email, r]));
    for (const login of org.logins) {
      expect(byEmail.get(login.email)?.leaveDate).toBeNull();
      expect(byEmail.get(login.email)?.name).toBe(login.name);
    }
    const roleOf = (email: string) => org.accounts.find((a) => a.email === email)!.roles;
    for (const l of org.logins.filter((l) => l.role === 'HR partner'))
      expect(roleOf(l.email)).toEqual(['hr']);
    for (const l of org.logins.filter((l) => l.role === 'admin')) expect(roleOf(l.email)).toEqual(['admin']);
    for (const l of org.logins.filter((l) => l.role === 'employee'))
      expect(current.some((r) => r.managerEmployeeId === byEmail.get(l.email)!.employeeId)).toBe(false);
  });

  it('is deterministic: the same seed gives identical data, another seed different people', () => {
    expect(generateDemoOrganisation(42, { referenceDate: DAY })).toEqual(org);
    const other = generateDemoOrganisation(7, { referenceDate: DAY });
    expect(other.snapshots.current.map((r) => r.name)).not.toEqual(current.map((r) => r.name));
  });

  it('shifts only the dates when the reference day moves', () => {
    const later = generateDemoOrganisation(42, { referenceDate: addDays(DAY, 30) });
    const names = (o: DemoOrganisation) => o.snapshots.current.map((r) => [r.name, r.managerEmployeeId]);
    expect(names(later)).toEqual(names(org));
    expect(later.snapshots.current[5]!.hireDate).toBe(addDays(current[5]!.hireDate, 30));
  });

  it('is sound for any seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        expect(problems(generateDemoOrganisation(seed, { referenceDate: DAY }))).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
