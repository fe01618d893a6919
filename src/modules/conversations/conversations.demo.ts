import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { SeededRandom } from '../demo/demo.random.js';
import type { ParticipantRole } from './conversations.tables.js';
import * as text from './conversations.demo-text.js';
import { participantKey } from './conversations.service.js';
import { tagTopicsOfParts } from './conversations.topics.js';

/**
 * The demo organisation's coaching history: 1:1 series between every current manager and report
 * (weekly or fortnightly over the last three months, two meetings ahead), project debriefs, peer and
 * upward coaching, and an external coaching engagement, with notes of both visibilities, follow-ups
 * (some overdue) and helpfulness ratings. Deterministic for a seed and reference day; written in one
 * transaction with a marker, so an interrupted load simply runs it again.
 */

const MARKER = 'demo.conversations';
const DAY = 86_400_000;
const HISTORY_DAYS = 91;

export interface DemoConversationOptions {
  seed: number;
  referenceDate: string;
  log?: (line: string) => void;
}

interface Rows {
  coach_relationship: {
    id: string;
    coach_person_id: string;
    coachee_person_id: string;
    kind: 'peer' | 'upward' | 'external';
    valid_from: string;
  }[];
  conversation_series: {
    id: string;
    manager_person_id: string;
    report_person_id: string;
    cadence_days: number;
  }[];
  conversation: {
    id: string;
    kind: 'one_on_one' | 'debrief' | 'peer' | 'upward' | 'external';
    title: string;
    series_id: string | null;
    coach_relationship_id: string | null;
    team_id: string | null;
    project: string | null;
    scheduled_at: string;
    duration_minutes: number;
    status: 'scheduled' | 'completed' | 'cancelled';
    completed_at: Date | null;
    participant_key: string;
    created_by_person_id: string;
  }[];
  conversation_participant: { conversation_id: string; person_id: string; role: ParticipantRole }[];
  conversation_agenda_item: {
    id: string;
    conversation_id: string;
    text: string;
    position: number;
    done: boolean;
    added_by_person_id: string;
  }[];
  conversation_note: {
    id: string;
    conversation_id: string;
    author_person_id: string;
    visibility: 'private' | 'shared';
    body: string;
    created_at: string;
    updated_at: string;
  }[];
  conversation_action: {
    id: string;
    conversation_id: string;
    text: string;
    owner_person_id: string;
    due_date: string;
    done_at: Date | null;
    created_by_person_id: string;
    created_at: string;
  }[];
  conversation_topic: { conversation_id: string; topic: string; source: 'auto' }[];
  conversation_rating: {
    conversation_id: string;
    rater_person_id: string;
    score: number;
    comment: string | null;
    created_at: string;
  }[];
}

/** Seeds the conversation history once; a no-op when it is already there. */
export async function seedDemoConversations(db: Kysely<DB>, options: DemoConversationOptions): Promise<void> {
  const done = await db.selectFrom('app_setting').select('key').where('key', '=', MARKER).executeTakeFirst();
  if (done) return;
  const started = Date.now();
  const rnd = new SeededRandom(options.seed * 7919 + 6);
  const ref = Date.parse(`${options.referenceDate}T00:00:00Z`);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

  const people = await db
    .selectFrom('person')
    .select([
      'id',
      'name',
      'team_id',
      sql<string | null>`leave_date::text`.as('leave_date'),
      sql<string | null>`hire_date::text`.as('hire_date'),
    ])
    .orderBy('email')
    .execute();
  const byId = new Map(people.map((p) => [p.id, p]));
  const active = (id: string) => {
    const p = byId.get(id);
    return Boolean(p && (!p.leave_date || p.leave_date > options.referenceDate));
  };
  const first = (id: string) => byId.get(id)!.name.split(' ')[0]!;
  const lines = await db
    .selectFrom('reporting_line')
    .innerJoin('person', 'person.id', 'reporting_line.person_id')
    .select([
      'reporting_line.person_id',
      'reporting_line.manager_id',
      sql<string>`reporting_line.valid_from::text`.as('valid_from'),
    ])
    .where('reporting_line.valid_to', 'is', null)
    .orderBy('person.email')
    .execute();
  const current = lines.filter((l) => active(l.person_id) && active(l.manager_id));

  const rows: Rows = {
    coach_relationship: [],
    conversation_series: [],
    conversation: [],
    conversation_participant: [],
    conversation_agenda_item: [],
    conversation_note: [],
    conversation_action: [],
    conversation_topic: [],
    conversation_rating: [],
  };
  const uuid = () => {
    const hex = Array.from({ length: 32 }, () => rnd.int(0, 15).toString(16));
    hex[12] = '4';
    hex[16] = ((rnd.int(0, 15) & 0x3) | 0x8).toString(16);
    const h = hex.join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
  const fill = (template: string, personId: string, project: string) =>
    template.replace(/\{first\}/g, first(personId)).replace(/\{project\}/g, project);
  // Some managers' conversations land better than others': a per-leader lean on the ratings.
  const lean = new Map<string, number>();
  const score = (leader: string) => {
    if (!lean.has(leader)) lean.set(leader, rnd.pick([-1, 0, 0, 0.5, 1]));
    const base = 3.8 + lean.get(leader)! * 0.6 + (rnd.next() - 0.5) * 2;
    return Math.max(1, Math.min(5, Math.round(base)));
  };

  interface Plan {
    kind: Rows['conversation'][number]['kind'];
    title: string;
    at: number;
    minutes: number;
    participants: { id: string; role: ParticipantRole }[];
    seriesId?: string;
    relId?: string;
    teamId?: string;
    project?: string;
    agenda: string[];
    shared: string[];
    privates: { author: string; body: string }[];
    actions: string[];
    cancelled?: boolean;
  }

  const add = (p: Plan) => {
    const id = uuid();
    const past = p.at < ref;
    const status = !past ? 'scheduled' : p.cancelled ? 'cancelled' : 'completed';
    const leader = p.participants.find((x) => ['manager', 'coach', 'facilitator'].includes(x.role))!.id;
    const raters = p.participants
      .filter((x) => ['report', 'coachee', 'member'].includes(x.role))
      .map((x) => x.id);
    rows.conversation.push({
      id,
      kind: p.kind,
      title: p.title,
      series_id: p.seriesId ?? null,
      coach_relationship_id: p.relId ?? null,
      team_id: p.teamId ?? null,
      project: p.project ?? null,
      scheduled_at: new Date(p.at).toISOString(),
      duration_minutes: p.minutes,
      status,
      completed_at: status === 'completed' ? new Date(p.at + p.minutes * 60_000) : null,
      participant_key: participantKey(p.participants.map((x) => x.id)),
      created_by_person_id: leader,
    });
    for (const x of p.participants)
      rows.conversation_participant.push({ conversation_id: id, person_id: x.id, role: x.role });
    p.agenda.forEach((t, position) =>
      rows.conversation_agenda_item.push({
        id: uuid(),
        conversation_id: id,
        text: t,
        position,
        done: status === 'completed' && rnd.chance(0.85),
        added_by_person_id: rnd.chance(0.5) ? leader : (raters[0] ?? leader),
      }),
    );
    const texts = [...p.agenda];
    if (status === 'completed') {
      const written = new Date(p.at + p.minutes * 60_000).toISOString();
      for (const body of p.shared) {
        rows.conversation_note.push({
          id: uuid(),
          conversation_id: id,
          author_person_id: leader,
          visibility: 'shared',
          body,
          created_at: written,
          updated_at: written,
        });
        texts.push(body);
      }
      for (const n of p.privates) {
        rows.conversation_note.push({
          id: uuid(),
          conversation_id: id,
          author_person_id: n.author,
          visibility: 'private',
          body: n.body,
          created_at: written,
          updated_at: written,
        });
      }
      for (const a of p.actions) {
        const due = p.at + rnd.int(5, 16) * DAY;
        const finished = due < ref && rnd.chance(0.75);
        rows.conversation_action.push({
          id: uuid(),
          conversation_id: id,
          text: a,
          owner_person_id: rnd.chance(0.65) ? (raters[0] ?? leader) : leader,
          due_date: day(due),
          done_at: finished ? new Date(due - rnd.int(0, 3) * DAY) : null,
          created_by_person_id: leader,
          created_at: written,
        });
        texts.push(a);
      }
      for (const rater of raters) {
        if (!rnd.chance(raters.length > 1 ? 0.45 : 0.62)) continue;
        rows.conversation_rating.push({
          conversation_id: id,
          rater_person_id: rater,
          score: score(leader),
          comment: rnd.chance(0.22) ? rnd.pick(text.RATING_COMMENTS) : null,
          created_at: new Date(p.at + (p.minutes + rnd.int(30, 60 * 48)) * 60_000).toISOString(),
        });
      }
    }
    for (const topic of tagTopicsOfParts(texts, topicCache))
      rows.conversation_topic.push({ conversation_id: id, topic, source: 'auto' });
    return id;
  };
  const topicCache = new Map<string, Map<string, number>>();
  /** The same day, or the Monday after when it falls on a weekend: people meet on working days. */
  const weekday = (ms: number) => {
    let d = Math.floor(ms / DAY) * DAY;
    while ([0, 6].includes(new Date(d).getUTCDay())) d += DAY;
    return d;
  };
  const at = (dayMs: number) => weekday(dayMs) + rnd.int(8, 15) * 3_600_000 + rnd.pick([0, 30]) * 60_000;

  // 1:1 series for every current manager and report.
  for (const line of current) {
    const cadence = rnd.chance(0.35) ? 7 : 14;
    const hire = Date.parse(`${byId.get(line.person_id)!.hire_date ?? options.referenceDate}T00:00:00Z`);
    const since = Math.max(
      ref - HISTORY_DAYS * DAY,
      Date.parse(`${line.valid_from}T00:00:00Z`),
      hire + 7 * DAY,
    );
    const seriesId = uuid();
    rows.conversation_series.push({
      id: seriesId,
      manager_person_id: line.manager_id,
      report_person_id: line.person_id,
      cadence_days: cadence,
    });
    const project = rnd.pick(text.PROJECTS);
    const slot = at(0);
    // Cadences are whole weeks, so a series that starts on a working day stays on that weekday.
    for (
      let t = weekday(since + rnd.int(0, cadence - 1) * DAY);
      t < ref + 2 * cadence * DAY;
      t += cadence * DAY
    ) {
      const when = Math.floor(t / DAY) * DAY + slot;
      const agenda = Array.from({ length: rnd.int(1, 3) }, () =>
        fill(rnd.pick(text.AGENDA), line.person_id, project),
      );
      add({
        kind: 'one_on_one',
        title: `1:1 ${byId.get(line.manager_id)!.name} / ${byId.get(line.person_id)!.name}`,
        at: when,
        minutes: rnd.pick([30, 30, 45]),
        participants: [
          { id: line.manager_id, role: 'manager' },
          { id: line.person_id, role: 'report' },
        ],
        seriesId,
        agenda: [...new Set(agenda)],
        shared: rnd.chance(0.85) ? [fill(rnd.pick(text.SHARED_NOTES), line.person_id, project)] : [],
        privates: [
          ...(rnd.chance(0.3)
            ? [
                {
                  author: line.manager_id,
                  body: fill(rnd.pick(text.MANAGER_PRIVATE_NOTES), line.person_id, project),
                },
              ]
            : []),
          ...(rnd.chance(0.1)
            ? [
                {
                  author: line.person_id,
                  body: fill(rnd.pick(text.REPORT_PRIVATE_NOTES), line.person_id, project),
                },
              ]
            : []),
        ],
        actions: Array.from({ length: rnd.weighted([3, 4, 2]) }, () =>
          fill(rnd.pick(text.ACTIONS), line.person_id, project),
        ),
        cancelled: rnd.chance(0.06),
      });
    }
  }

  // Project debriefs: a team's manager with the team, after a project.
  const reportsOf = new Map<string, string[]>();
  for (const l of current) reportsOf.set(l.manager_id, [...(reportsOf.get(l.manager_id) ?? []), l.person_id]);
  const teamLeads = [...reportsOf.entries()].filter(
    ([m, r]) =>
      r.length >= 3 &&
      byId.get(m)!.team_id &&
      r.every((id) => byId.get(id)!.team_id === byId.get(m)!.team_id),
  );
  for (const [i, [manager, members]] of teamLeads.slice(0, 6).entries()) {
    const project = text.PROJECTS[i % text.PROJECTS.length]!;
    add({
      kind: 'debrief',
      title: `Debrief: ${project}`,
      at: at(ref - rnd.int(8, 70) * DAY),
      minutes: 60,
      participants: [
        { id: manager, role: 'facilitator' },
        ...members.map((id) => ({ id, role: 'member' as const })),
      ],
      teamId: byId.get(manager)!.team_id!,
      project,
      agenda: ['What went well', 'What we would change', 'Coaching themes for each of us'],
      shared: [rnd.pick(text.DEBRIEF_NOTES).replace(/\{project\}/g, project)],
      privates: rnd.chance(0.5)
        ? [
            {
              author: manager,
              body: `Follow up 1:1 with ${first(members[0]!)} on how the launch pressure felt.`,
            },
          ]
        : [],
      actions: ['Write down the kickoff checklist change', 'Share the debrief with the product team'],
    });
  }

  // Peer coaching between people of different teams, and upward coaching of managers by a report.
  const ics = current.map((l) => l.person_id).filter((id) => !reportsOf.has(id));
  const peerPairs: [string, string][] = [];
  for (let k = 0; k < 60 && peerPairs.length < 6; k++) {
    const a = rnd.pick(ics);
    const b = rnd.pick(ics);
    if (
      a === b ||
      byId.get(a)!.team_id === byId.get(b)!.team_id ||
      peerPairs.some(([x, y]) => [x, y].includes(a) || [x, y].includes(b))
    )
      continue;
    peerPairs.push([a, b]);
  }
  const coaching = (
    kind: 'peer' | 'upward',
    coach: string,
    coachee: string,
    sessions: number,
    notes: readonly string[],
  ) => {
    const start = ref - rnd.int(50, 90) * DAY;
    const relId = uuid();
    rows.coach_relationship.push({
      id: relId,
      coach_person_id: coach,
      coachee_person_id: coachee,
      kind,
      valid_from: day(start),
    });
    for (let s = 0; s < sessions; s++) {
      add({
        kind,
        title:
          kind === 'peer'
            ? `Peer coaching: ${byId.get(coach)!.name} with ${byId.get(coachee)!.name}`
            : `Upward coaching: ${byId.get(coach)!.name} coaches ${byId.get(coachee)!.name}`,
        at: at(start + s * 21 * DAY),
        minutes: 45,
        participants: [
          { id: coach, role: 'coach' },
          { id: coachee, role: 'coachee' },
        ],
        relId,
        agenda: [kind === 'peer' ? 'What I want to practise' : 'Feedback on how I lead the team'],
        shared: [rnd.pick(notes)],
        privates: rnd.chance(0.3)
          ? [{ author: coachee, body: 'Try this once before the next session and note how it felt.' }]
          : [],
        actions: rnd.chance(0.5) ? ['Try the approach in the next retro'] : [],
      });
    }
  };
  for (const [coach, coachee] of peerPairs) coaching('peer', coach, coachee, rnd.int(2, 4), text.PEER_NOTES);
  for (const line of current.filter(() => rnd.chance(0.05)).slice(0, 4))
    coaching('upward', line.person_id, line.manager_id, 2, text.UPWARD_NOTES);

  // External coaching: a former leader of the company, now an independent coach, works with two current managers.
  const formerManagers = new Set(
    (await db.selectFrom('reporting_line').select('manager_id').execute()).map((r) => r.manager_id),
  );
  const externalCoach = people.find((p) => !active(p.id) && formerManagers.has(p.id));
  if (externalCoach) {
    const coachees = [...reportsOf.keys()].filter((m) => (reportsOf.get(m)?.length ?? 0) >= 3).slice(0, 2);
    for (const coachee of coachees) {
      const start = ref - 100 * DAY;
      const relId = uuid();
      rows.coach_relationship.push({
        id: relId,
        coach_person_id: externalCoach.id,
        coachee_person_id: coachee,
        kind: 'external',
        valid_from: day(start),
      });
      for (let s = 0; s < 5; s++) {
        add({
          kind: 'external',
          title: `External coaching: ${byId.get(coachee)!.name}`,
          at: at(start + s * 28 * DAY),
          minutes: 60,
          participants: [
            { id: externalCoach.id, role: 'coach' },
            { id: coachee, role: 'coachee' },
          ],
          relId,
          agenda: ['Progress since last session', 'Focus for this month'],
          shared: [text.EXTERNAL_SHARED_NOTES[s % text.EXTERNAL_SHARED_NOTES.length]!],
          privates: [
            ...(rnd.chance(0.6)
              ? [{ author: externalCoach.id, body: rnd.pick(text.EXTERNAL_PRIVATE_NOTES) }]
              : []),
            ...(rnd.chance(0.4)
              ? [{ author: coachee, body: 'Before next time: list the two conversations I keep postponing.' }]
              : []),
          ],
          actions: ['Try one written recommendation in the leadership meeting'],
        });
      }
    }
  }

  const generated = Date.now();
  await db.transaction().execute(async (trx) => {
    const chunks = <T>(list: T[]): T[][] => {
      const out: T[][] = [];
      for (let i = 0; i < list.length; i += 1000) out.push(list.slice(i, i + 1000));
      return out;
    };
    for (const c of chunks(rows.coach_relationship))
      await trx.insertInto('coach_relationship').values(c).execute();
    for (const c of chunks(rows.conversation_series))
      await trx.insertInto('conversation_series').values(c).execute();
    for (const c of chunks(rows.conversation)) await trx.insertInto('conversation').values(c).execute();
    for (const c of chunks(rows.conversation_participant))
      await trx.insertInto('conversation_participant').values(c).execute();
    for (const c of chunks(rows.conversation_agenda_item))
      await trx.insertInto('conversation_agenda_item').values(c).execute();
    for (const c of chunks(rows.conversation_note))
      await trx.insertInto('conversation_note').values(c).execute();
    for (const c of chunks(rows.conversation_action))
      await trx.insertInto('conversation_action').values(c).execute();
    for (const c of chunks(rows.conversation_topic))
      await trx.insertInto('conversation_topic').values(c).execute();
    for (const c of chunks(rows.conversation_rating))
      await trx.insertInto('conversation_rating').values(c).execute();
    const value = JSON.stringify({
      conversations: rows.conversation.length,
      referenceDate: options.referenceDate,
    });
    await trx.insertInto('app_setting').values({ key: MARKER, value }).execute();
  });
  options.log?.(
    `Seeded ${rows.conversation.length} demo conversations (${rows.conversation_note.length} notes, ${rows.conversation_action.length} follow-ups, ${rows.conversation_rating.length} ratings) in ${((Date.now() - started) / 1000).toFixed(1)}s, ${((generated - started) / 1000).toFixed(1)}s to compose.`,
  );
}
