import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { AppError } from '../../shared/app-error.js';
import { listViewers, type ViewerList } from '../access/access.profiles.js';
import { todayUtc } from '../access/access.service.js';
import {
  bandOf,
  COMMUNICATION,
  DIMENSIONS,
  DRIVERS,
  ITEMS,
  LIKERT_LABELS,
  MAX_DRIVERS,
  MIN_DRIVERS,
  QUESTIONNAIRE_VERSION,
  scoreAnswers,
  type CommunicationKey,
  type Scores,
} from './profiles.questionnaire.js';
import {
  findCurrentSubmissions,
  insertSubmission,
  listSubmissions,
  type SubmissionRow,
} from './profiles.repository.js';
import type {
  ProfileBodyType,
  ProfileSubmissionType,
  QuestionnaireType,
  WorkStyleProfileType,
} from './profiles.schema.js';

/** The questionnaire as the form shows it. */
export function getQuestionnaire(): QuestionnaireType {
  return {
    version: QUESTIONNAIRE_VERSION,
    likertLabels: [...LIKERT_LABELS],
    dimensions: DIMENSIONS.map((d) => ({ ...d })),
    items: ITEMS.map((i) => ({ ...i })),
    communication: (Object.keys(COMMUNICATION) as CommunicationKey[]).map((id) => ({
      id,
      label: COMMUNICATION[id].label,
      options: COMMUNICATION[id].options.map((o) => ({ ...o })),
    })),
    drivers: DRIVERS.map((d) => ({ ...d })),
    minDrivers: MIN_DRIVERS,
    maxDrivers: MAX_DRIVERS,
  };
}

const RELATION_WORDS: Record<string, string> = {
  self: 'you',
  manager: 'your manager',
  skip_level_manager: 'the managers above your manager',
  coach: 'your coaches',
};

function viewerNotice(viewers: ViewerList): string {
  const names = viewers.people.map((p) => p.name);
  const who = viewers.relations.map((r) => RELATION_WORDS[r] ?? r).join(', ');
  return (
    `Seen by ${who}${names.length ? ` — today: ${names.join(', ')}` : ''}. ` +
    'HR, administrators and executives cannot read it, and every read is recorded in the audit log.'
  );
}

/** A person's work-style profile: current answers, every earlier submission with what changed, and who sees it. */
export async function getWorkStyleProfile(
  db: Kysely<DB>,
  personId: string,
  viewerPersonId: string | null,
): Promise<WorkStyleProfileType> {
  const person = await db
    .selectFrom('person')
    .select(['id', 'name'])
    .where('id', '=', personId)
    .executeTakeFirst();
  if (!person)
    throw new AppError('not_found', 'No person with this id.', [
      { path: '/params/id', message: 'not found' },
    ]);
  const rows = await listSubmissions(db, personId);
  const history = rows.map((row, i) => present(row, rows[i + 1]));
  const viewers = await listViewers(db, 'profile.read', personId, todayUtc());
  return {
    person,
    current: history[0] ?? null,
    history,
    viewers: { ...viewers, notice: viewerNotice(viewers) },
    canEdit: viewerPersonId === personId,
  };
}

/** Scores and stores a new submission of the person's own questionnaire (the previous ones stay as history). */
export async function submitWorkStyleProfile(
  db: Kysely<DB>,
  personId: string,
  body: ProfileBodyType,
  accountId: string | null,
): Promise<WorkStyleProfileType> {
  const scored = scoreAnswers(body);
  await insertSubmission(db, personId, scored, accountId);
  return getWorkStyleProfile(db, personId, personId);
}

export interface CurrentStyle {
  personId: string;
  scores: Scores;
  communication: { channel: string; timing: string; directness: string };
  drivers: string[];
}

/** Current profile scores of several people (for tailoring coaching); people without a profile are absent. */
export async function getCurrentStyles(
  db: Kysely<DB>,
  personIds: string[],
): Promise<Map<string, CurrentStyle>> {
  const rows = await findCurrentSubmissions(db, personIds);
  return new Map(
    rows.map((r) => [
      r.person_id,
      {
        personId: r.person_id,
        scores: { autonomy: r.autonomy, collaboration: r.collaboration, structure: r.structure },
        communication: { channel: r.channel, timing: r.timing, directness: r.directness },
        drivers: r.drivers,
      },
    ]),
  );
}

function present(row: SubmissionRow, previous: SubmissionRow | undefined): ProfileSubmissionType {
  const scores = { autonomy: row.autonomy, collaboration: row.collaboration, structure: row.structure };
  return {
    id: row.id,
    questionnaireVersion: row.questionnaire_version,
    submittedAt: row.submitted_at.toISOString(),
    scores,
    bands: {
      autonomy: bandOf(scores.autonomy),
      collaboration: bandOf(scores.collaboration),
      structure: bandOf(scores.structure),
    },
    answers: row.answers,
    communication: { channel: row.channel, timing: row.timing, directness: row.directness },
    drivers: row.drivers,
    changes: previous ? describeChanges(previous, row) : [],
  };
}

const DRIVER_LABEL = new Map<string, string>(DRIVERS.map((d) => [d.id, d.label]));

function optionLabel(key: CommunicationKey, id: string): string {
  const options: readonly { id: string; label: string }[] = COMMUNICATION[key].options;
  return options.find((o) => o.id === id)?.label ?? id;
}

/** The differences between two submissions, one phrase each. */
export function describeChanges(before: SubmissionRow, after: SubmissionRow): string[] {
  const out: string[] = [];
  for (const d of DIMENSIONS) {
    if (before[d.id] !== after[d.id]) out.push(`${d.label} ${before[d.id]} → ${after[d.id]}`);
  }
  for (const key of Object.keys(COMMUNICATION) as CommunicationKey[]) {
    const b = before[key];
    const a = after[key];
    if (b !== a) out.push(`${COMMUNICATION[key].label}: ${optionLabel(key, b)} → ${optionLabel(key, a)}`);
  }
  const added = after.drivers.filter((d) => !before.drivers.includes(d));
  const removed = before.drivers.filter((d) => !after.drivers.includes(d));
  if (added.length) out.push(`Drivers added: ${added.map((d) => DRIVER_LABEL.get(d) ?? d).join(', ')}`);
  if (removed.length) out.push(`Drivers removed: ${removed.map((d) => DRIVER_LABEL.get(d) ?? d).join(', ')}`);
  return out;
}
