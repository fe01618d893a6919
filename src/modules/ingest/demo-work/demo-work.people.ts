import type { DemoPersonRecord } from '../../demo/demo.generator.js';
import type { SeededRandom } from '../../demo/demo.random.js';
import { TEAMS, type OfficeKey } from '../../demo/demo.structure.js';

/**
 * Who works in the demo's engineering teams over the 18 months, and how much on any given day:
 * a personal pace, weekends, the office's holidays, a new hire's ramp-up, a leaver's taper, and a
 * few people with a marked dip or a sustained strong period (later signal and coaching features
 * need to find them).
 */

export const WINDOW_DAYS = 548;
export const DAY_MS = 86_400_000;

export interface EngineeringTeam {
  name: string;
  office: OfficeKey;
  repo: string;
  jiraProject: string;
  /** Paths whose first folders are the repository's areas. */
  paths: readonly string[];
  /** Hours from the first commit to a first review, typical for the team. */
  pickupHours: number;
}

export const ENGINEERING_TEAMS: readonly EngineeringTeam[] = [
  {
    name: 'Platform',
    office: 'berlin',
    repo: 'kestrel-labs/platform-api',
    jiraProject: 'PLAT',
    pickupHours: 5,
    paths: [
      'src/api/routes.ts',
      'src/api/handlers.ts',
      'src/auth/session.ts',
      'src/auth/oidc.ts',
      'src/search/index.ts',
      'migrations/0001.sql',
      'docs/api.md',
    ],
  },
  {
    name: 'Payments',
    office: 'berlin',
    repo: 'kestrel-labs/payments',
    jiraProject: 'PAY',
    pickupHours: 8,
    paths: [
      'src/ledger/entries.ts',
      'src/ledger/balance.ts',
      'src/payouts/batch.ts',
      'src/fraud/rules.ts',
      'src/invoices/render.ts',
      'docs/runbook.md',
    ],
  },
  {
    name: 'Mobile',
    office: 'bangalore',
    repo: 'kestrel-labs/mobile-app',
    jiraProject: 'MOB',
    pickupHours: 10,
    paths: [
      'ios/App/Checkout.swift',
      'ios/App/Login.swift',
      'android/app/Checkout.kt',
      'android/app/Login.kt',
      'shared/ui/Button.tsx',
      'shared/net/client.ts',
    ],
  },
  {
    name: 'Data & ML',
    office: 'bangalore',
    repo: 'kestrel-labs/data-pipelines',
    jiraProject: 'DATA',
    pickupHours: 14,
    paths: [
      'pipelines/ingest/events.py',
      'pipelines/features/usage.py',
      'models/churn/train.py',
      'models/churn/serve.py',
      'notebooks/explore.ipynb',
      'dbt/models/revenue.sql',
    ],
  },
  {
    name: 'Developer Experience',
    office: 'bangalore',
    repo: 'kestrel-labs/dev-tooling',
    jiraProject: 'DX',
    pickupHours: 4,
    paths: [
      'cli/commands/deploy.ts',
      'cli/commands/test.ts',
      'ci/workflows/build.yml',
      'templates/service/index.ts',
      'docs/getting-started.md',
    ],
  },
  {
    name: 'Site Reliability',
    office: 'new-york',
    repo: 'kestrel-labs/infrastructure',
    jiraProject: 'SRE',
    pickupHours: 6,
    paths: [
      'terraform/modules/db.tf',
      'terraform/modules/network.tf',
      'k8s/charts/api.yaml',
      'monitoring/alerts/api.yaml',
      'runbooks/incident.md',
    ],
  },
];

export type PatternKind = 'dip' | 'strength';

/** A stretch of unusual output, recorded so later features (and their tests) know it is there. */
export interface ActivityPattern {
  email: string;
  kind: PatternKind;
  /** ISO dates, inclusive start, exclusive end. */
  from: string;
  to: string;
  factor: number;
}

export interface DemoEngineer {
  email: string;
  name: string;
  team: EngineeringTeam;
  isManager: boolean;
  /** Days from the window start (may be negative: hired before it). */
  hire: number;
  leave: number | null;
  pace: number;
  githubId: number;
  login: string;
  /** The address GitHub shows publicly (null: hidden, so only the login and id identify them). */
  githubEmail: string | null;
  /** The address their commits carry. */
  commitEmail: string;
  jiraAccountId: string;
  jiraEmail: string | null;
  patterns: { kind: PatternKind; from: number; to: number; factor: number }[];
  /** activityOn per day of the window, filled once (the generator asks often). */
  activity?: Float64Array;
}

export function dayIndex(windowStart: number, iso: string): number {
  return Math.round((Date.parse(`${iso}T00:00:00Z`) - windowStart) / DAY_MS);
}

export function isoDay(windowStart: number, day: number): string {
  return new Date(windowStart + day * DAY_MS).toISOString().slice(0, 10);
}

function hex(rng: SeededRandom, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[rng.int(0, 15)];
  return s;
}

/** The engineers (team members and their managers) of the demo organisation, with identities and patterns. */
export function planEngineers(
  records: DemoPersonRecord[],
  windowStart: number,
  rng: SeededRandom,
): DemoEngineer[] {
  const teamByName = new Map(ENGINEERING_TEAMS.map((t) => [t.name, t]));
  const out: DemoEngineer[] = [];
  let index = 0;
  for (const r of records) {
    const team = r.team ? teamByName.get(r.team) : undefined;
    if (!team) continue;
    const spec = TEAMS.find((t) => t.name === r.team);
    const isManager = spec?.managerTitle === r.title;
    const local = r.email.split('@')[0]!;
    const [first, last] = local.split('.');
    const loginStyle = rng.int(0, 3);
    const login =
      loginStyle === 0
        ? `${first}-${last}`
        : loginStyle === 1
          ? `${first![0]}${last}`
          : loginStyle === 2
            ? `${first}${last![0]}-kl`
            : `${first}${rng.int(10, 99)}`;
    const githubId = 58_000_000 + index * 7919 + rng.int(0, 7000);
    const visibility = rng.next();
    // Nearly everyone shows their work address on GitHub; a few commit through GitHub's no-reply
    // address (resolved through their GitHub account), and two or three hide it and commit from a
    // private address nobody told Cairn about — they wait in the identity review queue.
    const hidden = visibility >= 0.96;
    const githubEmail = hidden ? null : r.email;
    const commitEmail =
      visibility < 0.88
        ? r.email
        : hidden
          ? `${first}.${last}@fastmail.example`
          : `${githubId}+${login}@users.noreply.github.com`;
    out.push({
      email: r.email,
      name: r.name,
      team,
      isManager,
      hire: dayIndex(windowStart, r.hireDate),
      leave: r.leaveDate ? dayIndex(windowStart, r.leaveDate) : null,
      pace: isManager
        ? 0.25
        : Math.max(0.45, Math.min(1.6, 1 + (rng.next() + rng.next() + rng.next() - 1.5) * 0.6)),
      githubId,
      login,
      githubEmail,
      commitEmail,
      jiraAccountId: `712020:${hex(rng, 8)}-${hex(rng, 4)}-${hex(rng, 4)}-${hex(rng, 4)}-${hex(rng, 12)}`,
      jiraEmail: hidden ? null : r.email,
      patterns: [],
    });
    index++;
  }
  assignPatterns(out, rng);
  return out;
}

/** Five people with a story: two dips (one recent), one mid-window dip, two sustained strong periods. */
function assignPatterns(engineers: DemoEngineer[], rng: SeededRandom): void {
  const settled = rng.shuffle(engineers.filter((e) => !e.isManager && e.hire < 0 && e.leave === null));
  const plan: { kind: PatternKind; from: number; length: number; factor: number }[] = [
    { kind: 'dip', from: WINDOW_DAYS - 45, length: 45, factor: 0.3 },
    { kind: 'dip', from: 200, length: 70, factor: 0.25 },
    { kind: 'dip', from: 380, length: 56, factor: 0.35 },
    { kind: 'strength', from: WINDOW_DAYS - 150, length: 150, factor: 1.75 },
    { kind: 'strength', from: 120, length: 120, factor: 1.6 },
  ];
  plan.forEach((p, i) => {
    const who = settled[i];
    if (who) who.patterns.push({ kind: p.kind, from: p.from, to: p.from + p.length, factor: p.factor });
  });
}

export function patternsOf(engineers: DemoEngineer[], windowStart: number): ActivityPattern[] {
  return engineers.flatMap((e) =>
    e.patterns.map((p) => ({
      email: e.email,
      kind: p.kind,
      from: isoDay(windowStart, p.from),
      to: isoDay(windowStart, p.to),
      factor: p.factor,
    })),
  );
}

/** Holiday and seasonal slow-downs by office (month 1–12, day ranges). */
function seasonalFactor(office: OfficeKey, date: Date): number {
  const m = date.getUTCMonth() + 1;
  const d = date.getUTCDate();
  if ((m === 12 && d >= 21) || (m === 1 && d <= 3)) return 0.12;
  if (office === 'berlin' && m === 8) return 0.6;
  if (office === 'bangalore' && ((m === 10 && d >= 28) || (m === 11 && d <= 6))) return 0.45;
  if (office === 'new-york' && m === 11 && d >= 23 && d <= 30) return 0.35;
  if (office === 'new-york' && m === 7 && d <= 7) return 0.6;
  return 1;
}

/** How much of their normal pace a person works on a day (0 = not at all). */
export function activityOn(e: DemoEngineer, day: number, windowStart: number): number {
  const cached = e.activity?.[day];
  if (cached !== undefined) return cached;
  return computeActivity(e, day, windowStart);
}

/** Fills each engineer's activity table for days 0 … `days`. */
export function fillActivity(engineers: DemoEngineer[], windowStart: number, days: number): void {
  for (const e of engineers) {
    const table = new Float64Array(days + 1);
    for (let d = 0; d <= days; d++) table[d] = computeActivity(e, d, windowStart);
    e.activity = table;
  }
}

function computeActivity(e: DemoEngineer, day: number, windowStart: number): number {
  if (day < e.hire || (e.leave !== null && day >= e.leave)) return 0;
  const date = new Date(windowStart + day * DAY_MS);
  const weekday = date.getUTCDay();
  let f = weekday === 0 || weekday === 6 ? 0.05 : 1;
  f *= seasonalFactor(e.team.office, date);
  const tenure = day - e.hire;
  if (tenure < 100) f *= 0.15 + (0.85 * tenure) / 100;
  if (e.leave !== null && e.leave - day < 21) f *= 0.5;
  for (const p of e.patterns) if (day >= p.from && day < p.to) f *= p.factor;
  return f * e.pace;
}

/** Working hours (UTC) of an office: a start hour and a length. */
export function officeHours(office: OfficeKey): { start: number; length: number } {
  return office === 'berlin'
    ? { start: 7, length: 9 }
    : office === 'new-york'
      ? { start: 14, length: 9 }
      : { start: 3.5, length: 9 };
}
