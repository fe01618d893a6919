import type { Role, WorkMode } from '../../db/types.js';
import { emailLocalPart, REMOTE_NAMES, type NamePool } from './demo.names.js';
import { SeededRandom } from './demo.random.js';
import {
  DEMO_EMAIL_DOMAIN,
  DEPARTMENTS,
  IC_LEVELS,
  LEADERSHIP_TEAM,
  LEAVE_REASONS,
  OFFICES,
  REMOTE_LOCATION,
  TEAMS,
  titleFor,
  type DepartmentKey,
  type IcLevel,
  type OfficeKey,
  type TeamSpec,
} from './demo.structure.js';

/** One row of an HRIS-style people export, in the shape the org module's import takes. */
export interface DemoPersonRecord {
  employeeId: string;
  email: string;
  name: string;
  title: string;
  level: string;
  department: string | null;
  team: string | null;
  managerEmployeeId: string | null;
  managerEmail: string | null;
  /** First day of the reporting line to that manager (YYYY-MM-DD). */
  managerSince: string | null;
  hireDate: string;
  leaveDate: string | null;
  leaveReason: string | null;
  location: string;
  timeZone: string;
  workMode: WorkMode;
  attributes: Record<string, string>;
}

/** The label shown on the login page next to a suggested demo login. */
export type DemoLoginLabel =
  'admin' | 'HR partner' | 'executive' | 'manager (director)' | 'manager' | 'employee';

export interface DemoLogin {
  email: string;
  name: string;
  role: DemoLoginLabel;
}

export interface DemoAccountPlan {
  employeeId: string;
  email: string;
  roles: Role[];
  /** Department names an HR partner is assigned to. */
  hrDepartments: string[];
  /** Leavers keep a disabled account, as after off-boarding. */
  disabled: boolean;
}

export interface DemoOrganisation {
  seed: number;
  /** The day the data is relative to: tenure and leave dates count back from it. */
  referenceDate: string;
  /** An older export (people before their transfers and manager changes), then today's. */
  snapshots: { history: DemoPersonRecord[]; current: DemoPersonRecord[] };
  accounts: DemoAccountPlan[];
  logins: DemoLogin[];
}

export const DEFAULT_DEMO_SEED = 42;

/** Days relative to the reference day: 0 is the reference day, -365 a year before it. */
type Day = number;

interface Line {
  managerKey: string;
  since: Day;
}

interface Draft {
  key: string;
  name: string;
  email: string;
  kind: 'ceo' | 'head' | 'manager' | 'ic';
  title: string;
  level: string;
  department: DepartmentKey | null;
  team: TeamSpec | null;
  /** The CEO and the chief of staff: members of the leadership team under the company. */
  leadership: boolean;
  hire: Day;
  leave: Day | null;
  leaveReason: string | null;
  location: string;
  timeZone: string;
  workMode: WorkMode;
  employmentType: string;
  /** Reporting lines, oldest first; at most two (the older export's and today's). */
  lines: Line[];
  /** How the older export showed this person, where it differs from today. */
  before: { team?: TeamSpec; title?: string; level?: string } | null;
  employeeId: string;
}

interface ManagerPeriod {
  managerKey: string;
  from: Day;
}

const COMPANY_AGE_DAYS = 3652;
const MAX_IC_TENURE = 3285;

/**
 * Builds the demo organisation for a seed: the same seed and reference day always give the same
 * people, lines and accounts. A different reference day only shifts the dates.
 */
export function generateDemoOrganisation(
  seed: number = DEFAULT_DEMO_SEED,
  options: { referenceDate?: string } = {},
): DemoOrganisation {
  const referenceDate = options.referenceDate ?? new Date().toISOString().slice(0, 10);
  const rng = new SeededRandom(seed);
  const drafts: Draft[] = [];
  const usedNames = new Set<string>();
  const byKey = new Map<string, Draft>();

  const newPerson = (
    kind: Draft['kind'],
    office: OfficeKey,
    values: Partial<Draft> & Pick<Draft, 'title' | 'level' | 'hire'>,
    remote = false,
  ): Draft => {
    const home = OFFICES[office];
    const pool: NamePool = remote && rng.chance(0.6) ? REMOTE_NAMES : home.names;
    let name = '';
    for (let attempt = 0; attempt < 200 && (name === '' || usedNames.has(emailLocalPart(name))); attempt++) {
      name = `${rng.pick(pool.first)} ${rng.pick(pool.last)}`;
    }
    if (usedNames.has(emailLocalPart(name))) throw new Error('demo name pool exhausted');
    usedNames.add(emailLocalPart(name));
    const draft: Draft = {
      key: `p${drafts.length}`,
      name,
      email: `${emailLocalPart(name)}@${DEMO_EMAIL_DOMAIN}`,
      kind,
      department: null,
      team: null,
      leadership: false,
      leave: null,
      leaveReason: null,
      location: remote ? REMOTE_LOCATION : home.location,
      timeZone: remote ? rng.pick(home.remoteTimeZones) : home.timeZone,
      workMode: remote ? 'remote' : rng.chance(kind === 'ic' ? 0.65 : 0.5) ? 'hybrid' : 'onsite',
      employmentType: kind === 'ic' ? employmentType(rng) : 'full-time',
      lines: [],
      before: null,
      employeeId: '',
      ...values,
    };
    drafts.push(draft);
    byKey.set(draft.key, draft);
    return draft;
  };

  // The founder-CEO and a chief of staff.
  const ceo = newPerson('ceo', 'berlin', {
    title: 'Chief Executive Officer',
    level: 'M3',
    hire: -COMPANY_AGE_DAYS,
    workMode: 'hybrid',
    leadership: true,
  });
  const chiefOfStaff = newPerson('ic', 'berlin', {
    title: 'Chief of Staff',
    level: 'IC4',
    hire: -rng.int(400, 1500),
    leadership: true,
  });

  // Team members first: their tenure bounds their managers' (a manager was there before the team).
  const membersByTeam = new Map<string, Draft[]>();
  const leaverTeams = new Set(rng.shuffle(TEAMS.map((t) => t.key)).slice(0, 10));
  for (const spec of TEAMS) {
    const members: Draft[] = [];
    let hasPrincipal = false;
    const count = spec.size + (leaverTeams.has(spec.key) ? 1 : 0);
    for (let i = 0; i < count; i++) {
      const leaver = i === spec.size;
      let hire: Day;
      let leave: Day | null = null;
      if (leaver) {
        leave = -rng.int(14, 700);
        hire = Math.max(-MAX_IC_TENURE, leave - rng.int(90, 2000));
      } else {
        // A growing company: tenure skews recent (u^1.5 of up to nine years), at least two weeks.
        hire = -Math.max(14, Math.floor(MAX_IC_TENURE * rng.next() ** 1.5));
      }
      let level = icLevel(rng, -hire / 365);
      if (level === 'IC5' && hasPrincipal) level = 'IC4';
      if (level === 'IC5') hasPrincipal = true;
      const remote = !leaver && rng.chance(0.1);
      const member = newPerson(
        'ic',
        spec.office,
        { title: titleFor(spec.track, level), level, hire, team: spec, department: spec.department },
        remote,
      );
      if (leaver) {
        member.leave = leave;
        member.leaveReason = LEAVE_REASONS[rng.weighted([5, 2, 2, 1, 1, 0.5])]!;
      }
      members.push(member);
    }
    membersByTeam.set(spec.key, members);
  }

  // Roles the demo needs: two HR business partners, a systems administrator (the admin), new hires.
  const people = membersByTeam.get('people')!;
  const hrPartners = people.slice(0, 2);
  for (const hr of hrPartners) setLevel(hr, 'IC4', Math.min(hr.hire, -rng.int(700, 2500)));
  const sysadmin = membersByTeam.get('it')![0]!;
  setLevel(sysadmin, 'IC2', Math.min(sysadmin.hire, -rng.int(500, 2000)));
  const reserved = new Set([...hrPartners, sysadmin].map((d) => d.key));
  const current = (d: Draft): boolean => d.leave === null;
  const newHireCandidates = rng
    .shuffle(drafts.filter((d) => d.kind === 'ic' && d.team && current(d) && !reserved.has(d.key)))
    .slice(0, 5);
  for (const d of newHireCandidates) {
    d.hire = -rng.int(10, 56);
    if (d.level === 'IC4' || d.level === 'IC5') setLevel(d, 'IC3', d.hire);
  }

  // Managers: normally hired before everyone in their team. Two teams changed manager: in Payments
  // the manager left and a senior engineer was promoted; in Customer Success a new director was hired.
  const periodsByTeam = new Map<string, ManagerPeriod[]>();
  const promotedAt: Day = -rng.int(380, 480);
  const replacedAt: Day = -rng.int(220, 320);
  for (const spec of TEAMS) {
    const members = membersByTeam.get(spec.key)!;
    const earliest = Math.min(...members.map((m) => m.hire));
    const managerFields = (hire: Day) => ({
      title: spec.managerTitle,
      level: 'M1',
      hire,
      team: spec,
      department: spec.department,
    });
    if (spec.key === 'payments') {
      // The longest-serving current engineer (not a new hire, not a reserved role) was promoted.
      const successor = members
        .filter((m) => current(m) && !reserved.has(m.key) && !newHireCandidates.includes(m))
        .sort((a, b) => a.hire - b.hire)[0]!;
      if (successor.hire >= promotedAt - 365) successor.hire = promotedAt - rng.int(400, 900);
      successor.before = { title: titleFor(spec.track, 'IC3'), level: 'IC3' };
      Object.assign(successor, { kind: 'manager', title: spec.managerTitle, level: 'M1' });
      makeOnsite(successor, spec.office);
      membersByTeam.set(
        spec.key,
        members.filter((m) => m !== successor),
      );
      const before = members.filter((m) => m.hire < promotedAt);
      const former = newPerson(
        'manager',
        spec.office,
        managerFields(Math.max(-3400, Math.min(...before.map((m) => m.hire)) - rng.int(30, 400))),
      );
      former.leave = promotedAt;
      former.leaveReason = 'Resigned: new role elsewhere';
      periodsByTeam.set(spec.key, [
        { managerKey: former.key, from: former.hire },
        { managerKey: successor.key, from: promotedAt },
      ]);
    } else if (spec.key === 'success') {
      const before = members.filter((m) => m.hire < replacedAt);
      const former = newPerson(
        'manager',
        spec.office,
        managerFields(
          Math.min(-900, Math.max(-3400, Math.min(...before.map((m) => m.hire)) - rng.int(30, 400))),
        ),
      );
      former.leave = replacedAt;
      former.leaveReason = 'Resigned: relocation';
      const successor = newPerson('manager', spec.office, managerFields(replacedAt));
      periodsByTeam.set(spec.key, [
        { managerKey: former.key, from: former.hire },
        { managerKey: successor.key, from: replacedAt },
      ]);
    } else {
      const manager = newPerson(
        'manager',
        spec.office,
        managerFields(Math.max(-3400, earliest - rng.int(30, 400))),
      );
      periodsByTeam.set(spec.key, [{ managerKey: manager.key, from: manager.hire }]);
    }
  }

  // Department heads and their direct reports. Sales had no VP until two years ago: its managers
  // reported to the CEO before that.
  const headPeriods = new Map<DepartmentKey, ManagerPeriod[]>();
  const directsByDepartment = new Map<DepartmentKey, Draft[]>();
  const heads = new Map<DepartmentKey, Draft>();
  const salesVpHired: Day = -rng.int(650, 760);
  for (const dep of DEPARTMENTS) {
    const directs = dep.directs.map((r) =>
      newPerson('ic', r.office, {
        title: r.title,
        level: r.level,
        hire: -rng.int(60, 2400),
        department: dep.key,
      }),
    );
    directsByDepartment.set(dep.key, directs);
    const managers = TEAMS.filter((t) => t.department === dep.key).flatMap((t) =>
      periodsByTeam.get(t.key)!.map((p) => byKey.get(p.managerKey)!),
    );
    const reports = [...managers, ...directs];
    let hire: Day;
    if (dep.key === 'sales') hire = salesVpHired;
    else hire = Math.max(-3600, Math.min(...reports.map((r) => r.hire)) - rng.int(30, 300));
    const head = newPerson('head', dep.head.office, {
      title: dep.head.title,
      level: dep.head.level,
      hire,
      department: dep.key,
    });
    heads.set(dep.key, head);
    headPeriods.set(
      dep.key,
      dep.key === 'sales'
        ? [
            { managerKey: ceo.key, from: ceo.hire },
            { managerKey: head.key, from: salesVpHired },
          ]
        : [{ managerKey: head.key, from: head.hire }],
    );
  }

  // Reporting lines follow each team's and department's manager periods over the person's tenure.
  const ceoPeriods: ManagerPeriod[] = [{ managerKey: ceo.key, from: ceo.hire }];
  for (const head of heads.values()) head.lines = linesOver(head, ceoPeriods);
  chiefOfStaff.lines = linesOver(chiefOfStaff, ceoPeriods);
  for (const dep of DEPARTMENTS) {
    const periods = headPeriods.get(dep.key)!;
    for (const d of directsByDepartment.get(dep.key)!) d.lines = linesOver(d, periods);
    for (const spec of TEAMS.filter((t) => t.department === dep.key)) {
      const teamPeriods = periodsByTeam.get(spec.key)!;
      for (const m of membersByTeam.get(spec.key)!) m.lines = linesOver(m, teamPeriods);
      for (const p of teamPeriods) {
        const manager = byKey.get(p.managerKey)!;
        if (manager.before) {
          // Promoted from inside the team: reported to the former manager until the promotion.
          manager.lines = [
            ...linesOver({ ...manager, leave: p.from }, teamPeriods.slice(0, 1)),
            ...linesOver({ ...manager, hire: p.from }, periods),
          ];
        } else manager.lines = linesOver(manager, periods);
      }
    }
  }

  // Internal transfers: a few long-serving people moved between teams of their department.
  const stable = (spec: TeamSpec) => periodsByTeam.get(spec.key)!.length === 1;
  const transferCandidates = rng.shuffle(
    drafts.filter(
      (d) =>
        d.kind === 'ic' &&
        d.team &&
        stable(d.team) &&
        current(d) &&
        d.hire < -540 &&
        !reserved.has(d.key) &&
        d.lines.length === 1,
    ),
  );
  let transfers = 0;
  for (const d of transferCandidates) {
    if (transfers >= 6) break;
    const from = TEAMS.filter(
      (t) =>
        t.department === d.department &&
        t.key !== d.team!.key &&
        stable(t) &&
        byKey.get(periodsByTeam.get(t.key)![0]!.managerKey)!.hire <= d.hire,
    );
    if (from.length === 0) continue;
    const oldTeam = rng.pick(from);
    const movedAt: Day = -rng.int(30, Math.min(-d.hire - 180, 900));
    d.before = { team: oldTeam, title: titleFor(oldTeam.track, d.level as IcLevel) };
    d.lines = [
      { managerKey: periodsByTeam.get(oldTeam.key)![0]!.managerKey, since: d.hire },
      { managerKey: d.lines[0]!.managerKey, since: movedAt },
    ];
    transfers++;
  }

  // Employee ids follow hire order, as an HRIS assigns them.
  const inHireOrder = [...drafts].sort(
    (a, b) => a.hire - b.hire || Number(a.key.slice(1)) - Number(b.key.slice(1)),
  );
  inHireOrder.forEach((d, i) => (d.employeeId = `E${String(1001 + i)}`));

  const toDate = (day: Day): string => addDays(referenceDate, day);
  const departmentName = (key: DepartmentKey | null) =>
    key ? DEPARTMENTS.find((dep) => dep.key === key)!.name : null;
  const costCenter = (key: DepartmentKey | null) =>
    key ? DEPARTMENTS.find((dep) => dep.key === key)!.costCenter : 'CC-1000';
  const record = (d: Draft, snapshot: 'history' | 'current'): DemoPersonRecord => {
    const old = snapshot === 'history' ? d.before : null;
    const line = snapshot === 'history' ? d.lines[0] : d.lines[d.lines.length - 1];
    const manager = line ? byKey.get(line.managerKey)! : null;
    const team = old?.team ?? d.team;
    return {
      employeeId: d.employeeId,
      email: d.email,
      name: d.name,
      title: old?.title ?? d.title,
      level: old?.level ?? d.level,
      department: departmentName(team?.department ?? d.department),
      team: team?.name ?? (d.leadership ? LEADERSHIP_TEAM : null),
      managerEmployeeId: manager?.employeeId ?? null,
      managerEmail: manager?.email ?? null,
      managerSince: line ? toDate(line.since) : null,
      hireDate: toDate(d.hire),
      leaveDate: snapshot === 'current' && d.leave !== null ? toDate(d.leave) : null,
      leaveReason: snapshot === 'current' ? d.leaveReason : null,
      location: d.location,
      timeZone: d.timeZone,
      workMode: d.workMode,
      attributes: { employment_type: d.employmentType, cost_center: costCenter(d.department) },
    };
  };
  const ordered = inHireOrder;
  const snapshots = {
    history: ordered.map((d) => record(d, 'history')),
    current: ordered.map((d) => record(d, 'current')),
  };

  // Accounts: everyone signs in with the demo password; a few hold roles.
  const cfo = heads.get('operations')!;
  const hrDepartments = new Map<string, string[]>([
    [hrPartners[0]!.key, [departmentName('engineering')!, departmentName('product')!]],
    [hrPartners[1]!.key, [departmentName('sales')!, departmentName('operations')!]],
  ]);
  const roles = (d: Draft): Role[] => {
    if (d === sysadmin) return ['admin'];
    if (hrDepartments.has(d.key)) return ['hr'];
    if (d === ceo || d === cfo) return ['executive'];
    return [];
  };
  const accounts: DemoAccountPlan[] = ordered.map((d) => ({
    employeeId: d.employeeId,
    email: d.email,
    roles: roles(d),
    hrDepartments: hrDepartments.get(d.key) ?? [],
    disabled: d.leave !== null,
  }));

  // Suggested logins: one of each kind first (the CLI prints the first eight), then more.
  const teamManager = (key: string) => {
    const periods = periodsByTeam.get(key)!;
    return byKey.get(periods[periods.length - 1]!.managerKey)!;
  };
  const platformEngineer = membersByTeam
    .get('platform')!
    .find((m) => current(m) && m.lines.length === 1 && !newHireCandidates.includes(m))!;
  const newest = [...newHireCandidates].sort((a, b) => b.hire - a.hire)[0]!;
  const transferred = drafts.find((d) => d.before?.team && current(d));
  const remote = drafts.find((d) => d.workMode === 'remote' && d.kind === 'ic' && current(d) && d !== newest);
  const picks: [Draft | undefined, DemoLoginLabel][] = [
    [sysadmin, 'admin'],
    [hrPartners[0], 'HR partner'],
    [ceo, 'executive'],
    [heads.get('engineering'), 'manager (director)'],
    [teamManager('platform'), 'manager'],
    [platformEngineer, 'employee'],
    [hrPartners[1], 'HR partner'],
    [cfo, 'executive'],
    [heads.get('sales'), 'manager (director)'],
    [heads.get('product'), 'manager (director)'],
    [teamManager('success'), 'manager'],
    [teamManager('payments'), 'manager'],
    [newest, 'employee'],
    [transferred, 'employee'],
    [remote, 'employee'],
  ];
  const seen = new Set<string>();
  const logins: DemoLogin[] = [];
  for (const [d, role] of picks) {
    if (!d || seen.has(d.key)) continue;
    seen.add(d.key);
    logins.push({ email: d.email, name: d.name, role });
  }

  return { seed, referenceDate, snapshots, accounts, logins };
}

/** The lines a person has over their tenure, given who managed the unit from when. */
function linesOver(person: Pick<Draft, 'hire' | 'leave' | 'key'>, periods: readonly ManagerPeriod[]): Line[] {
  // A leaver's last day is before their leave date; everyone else is here today (day 0).
  const end = person.leave === null ? 1 : person.leave;
  const lines: Line[] = [];
  periods.forEach((p, i) => {
    const next = periods[i + 1]?.from ?? Number.POSITIVE_INFINITY;
    if (p.from < end && next > person.hire && p.managerKey !== person.key) {
      lines.push({ managerKey: p.managerKey, since: Math.max(p.from, person.hire) });
    }
  });
  return lines;
}

function icLevel(rng: SeededRandom, years: number): IcLevel {
  const weights =
    years < 1
      ? [4, 4, 2, 0.3, 0]
      : years < 3
        ? [1, 4, 4, 1, 0.1]
        : years < 6
          ? [0.2, 2, 5, 2.5, 0.4]
          : [0, 1, 4, 3, 1];
  return IC_LEVELS[rng.weighted(weights)]!;
}

function employmentType(rng: SeededRandom): string {
  return ['full-time', 'part-time', 'contractor'][rng.weighted([90, 6, 4])]!;
}

function setLevel(d: Draft, level: IcLevel, hire: Day): void {
  d.level = level;
  d.title = titleFor(d.team!.track, level);
  d.hire = hire;
}

function makeOnsite(d: Draft, office: OfficeKey): void {
  if (d.workMode !== 'remote') return;
  d.workMode = 'hybrid';
  d.location = OFFICES[office].location;
  d.timeZone = OFFICES[office].timeZone;
}

/** 'YYYY-MM-DD' plus a number of days (negative for earlier). */
export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}
