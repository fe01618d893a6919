import type { SeededRandom } from '../../demo/demo.random.js';
import type { JiraHistory, JiraIssue, JiraSprint, JiraStatus, JiraUser } from '../jira/jira.types.js';
import type { DemoPullRequest } from './demo-work.github.js';
import { DAY_MS, ENGINEERING_TEAMS, type DemoEngineer, type EngineeringTeam } from './demo-work.people.js';

/**
 * Jira issues and sprints of the demo's engineering teams, in Jira Cloud's REST shapes: most pull
 * requests implement a story (created by the team's manager a few days before work starts, moved
 * through In Progress → In Review → Done as the pull request goes), a few are reopened, and each
 * project runs two-week sprints.
 */

export const DEMO_JIRA_SITE = 'https://kestrel-labs.atlassian.net';
export const DEMO_STORY_POINTS_FIELD = 'customfield_10016';
const SPRINT_FIELD = 'customfield_10020';

const STATUSES: Record<'todo' | 'progress' | 'review' | 'done', JiraStatus> = {
  todo: { id: '10000', name: 'To Do', statusCategory: { key: 'new' } },
  progress: { id: '3', name: 'In Progress', statusCategory: { key: 'indeterminate' } },
  review: { id: '10001', name: 'In Review', statusCategory: { key: 'indeterminate' } },
  done: { id: '10002', name: 'Done', statusCategory: { key: 'done' } },
};

export const DEMO_STATUS_CATEGORIES: ReadonlyMap<string, string> = new Map(
  Object.values(STATUSES).map((s) => [s.id, s.statusCategory!.key]),
);

export const JIRA_AUTOMATION: JiraUser = {
  accountId: '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077',
  displayName: 'Automation for Jira',
  accountType: 'app',
};

export function jiraUser(e: DemoEngineer): JiraUser {
  return {
    accountId: e.jiraAccountId,
    displayName: e.name,
    emailAddress: e.jiraEmail,
    accountType: 'atlassian',
  };
}

export interface DemoJiraIssue {
  issue: JiraIssue;
  histories: JiraHistory[];
}

export interface DemoSprint {
  project: string;
  sprint: JiraSprint;
}

function iso(ms: number): string {
  return new Date(Math.round(ms / 1000) * 1000).toISOString();
}

function points(additions: number): number {
  return additions < 40 ? 1 : additions < 120 ? 2 : additions < 350 ? 3 : additions < 900 ? 5 : 8;
}

/** Two-week sprints per project, from the Monday on or before the window start to the one after now. */
export function generateSprints(windowStart: number, now: number): DemoSprint[] {
  const out: DemoSprint[] = [];
  const start0 = windowStart - ((new Date(windowStart).getUTCDay() + 6) % 7) * DAY_MS + 8 * 3600_000;
  ENGINEERING_TEAMS.forEach((team, t) => {
    for (let n = 0; ; n++) {
      const start = start0 + n * 14 * DAY_MS;
      if (start > now + 14 * DAY_MS) break;
      const end = start + 14 * DAY_MS - 16 * 3600_000;
      const state = end <= now ? 'closed' : start <= now ? 'active' : 'future';
      out.push({
        project: team.jiraProject,
        sprint: {
          id: 1000 + t * 100 + n,
          state,
          name: `${team.jiraProject} Sprint ${n + 1}`,
          startDate: iso(start),
          endDate: iso(end),
          ...(state !== 'future' ? { activatedDate: iso(start) } : {}),
          ...(state === 'closed' ? { completeDate: iso(end + 3600_000) } : {}),
          originBoardId: 10 + t,
          goal: '',
        },
      });
    }
  });
  return out;
}

/** The issues behind the pull requests (about three in four), plus a few without code (ops, spikes). */
export function generateJiraIssues(
  rng: SeededRandom,
  prs: DemoPullRequest[],
  engineers: DemoEngineer[],
  sprints: DemoSprint[],
  windowStart: number,
  now: number,
): DemoJiraIssue[] {
  const managers = new Map<EngineeringTeam, DemoEngineer>();
  for (const e of engineers) if (e.isManager) managers.set(e.team, e);
  const teamOfRepo = new Map(ENGINEERING_TEAMS.map((t) => [t.repo, t]));
  const drafts: {
    team: EngineeringTeam;
    created: number;
    summary: string;
    type: string;
    assignee: DemoEngineer;
    reporter: DemoEngineer;
    path: [keyof typeof STATUSES, number, JiraUser][];
    points: number;
  }[] = [];

  for (const p of prs) {
    if (!p.author || p.isBot || p.isRevert || !rng.chance(0.75)) continue;
    const team = teamOfRepo.get(p.repo)!;
    const reporter = managers.get(team) ?? p.author;
    const start = Date.parse(p.firstCommitAt);
    const created = start - (0.5 + rng.next() * 6) * DAY_MS;
    const me = jiraUser(p.author);
    const path: [keyof typeof STATUSES, number, JiraUser][] = [['progress', start, me]];
    const opened = Date.parse(p.readyAt ?? p.pr.created_at);
    if (opened <= now) path.push(['review', opened, me]);
    if (p.pr.merged_at) {
      const done = Date.parse(p.pr.merged_at) + rng.next() * 8 * 3600_000;
      if (done <= now) {
        path.push(['done', done, rng.chance(0.3) ? JIRA_AUTOMATION : me]);
        if (rng.chance(0.04)) {
          const back = done + (1 + rng.next() * 4) * DAY_MS;
          const again = back + (1 + rng.next() * 2) * DAY_MS;
          if (back <= now) path.push(['progress', back, jiraUser(reporter)]);
          if (again <= now) path.push(['done', again, me]);
        }
      }
    } else if (p.pr.closed_at) {
      path.push(['todo', Date.parse(p.pr.closed_at), me]);
    }
    drafts.push({
      team,
      created,
      summary: p.pr.title,
      type: p.pr.labels?.some((l) => l.name === 'bug') ? 'Bug' : 'Story',
      assignee: p.author,
      reporter,
      path,
      points: points(p.pr.additions ?? 10),
    });
  }
  // Work without a pull request: on-call tasks, spikes, reviews of designs.
  const extra = Math.round(drafts.length * 0.1);
  for (let i = 0; i < extra && drafts.length; i++) {
    const base = rng.pick(drafts);
    const candidates = engineers.filter((e) => e.team === base.team && !e.isManager);
    if (!candidates.length) continue;
    const who = rng.pick(candidates);
    const start = base.created + rng.next() * 5 * DAY_MS;
    if (start > now) continue;
    if (
      start < windowStart + who.hire * DAY_MS ||
      (who.leave !== null && start > windowStart + who.leave * DAY_MS)
    )
      continue;
    const done = start + (0.2 + rng.next() * 3) * DAY_MS;
    const path: [keyof typeof STATUSES, number, JiraUser][] = [['progress', start, jiraUser(who)]];
    if (done <= now) path.push(['done', done, jiraUser(who)]);
    drafts.push({
      team: base.team,
      created: start - DAY_MS,
      summary: rng.pick([
        'Investigate alert noise',
        'Spike: evaluate queue options',
        'On-call handover notes',
        'Review capacity plan',
      ]),
      type: 'Task',
      assignee: who,
      reporter: managers.get(base.team) ?? who,
      path,
      points: rng.pick([1, 1, 2, 3]),
    });
  }

  drafts.sort((a, b) => a.created - b.created);
  const counters = new Map<string, number>();
  let historyId = 200_000;
  return drafts.map((d, i) => {
    const n = (counters.get(d.team.jiraProject) ?? 0) + 1;
    counters.set(d.team.jiraProject, n);
    const key = `${d.team.jiraProject}-${n}`;
    const id = String(30_000 + i);
    let from = 'todo' as keyof typeof STATUSES;
    const histories: JiraHistory[] = d.path.map(([to, at, who]) => {
      const h: JiraHistory = {
        id: String(historyId++),
        author: who,
        created: iso(at),
        items: [
          {
            field: 'status',
            fieldtype: 'jira',
            fieldId: 'status',
            from: STATUSES[from].id,
            fromString: STATUSES[from].name,
            to: STATUSES[to].id,
            toString: STATUSES[to].name,
          },
        ],
      };
      from = to;
      return h;
    });
    const startedAt = d.path[0]?.[1] ?? d.created;
    const inSprints = sprints.filter(
      (s) =>
        s.project === d.team.jiraProject &&
        Date.parse(s.sprint.startDate!) <= startedAt + DAY_MS &&
        Date.parse(s.sprint.endDate!) >= startedAt,
    );
    const updated = histories.length ? histories[histories.length - 1]!.created : iso(d.created);
    const status = STATUSES[from];
    return {
      histories,
      issue: {
        id,
        key,
        self: `${DEMO_JIRA_SITE}/rest/api/3/issue/${id}`,
        fields: {
          summary: d.summary,
          status,
          issuetype: { name: d.type },
          project: { key: d.team.jiraProject },
          created: iso(d.created),
          updated,
          resolutiondate: from === 'done' ? updated : null,
          creator: jiraUser(d.reporter),
          reporter: jiraUser(d.reporter),
          assignee: jiraUser(d.assignee),
          labels: [],
          [DEMO_STORY_POINTS_FIELD]: d.points,
          [SPRINT_FIELD]: inSprints.map((s) => ({
            id: s.sprint.id,
            name: s.sprint.name,
            state: s.sprint.state,
            boardId: s.sprint.originBoardId,
          })),
        },
      },
    };
  });
}
