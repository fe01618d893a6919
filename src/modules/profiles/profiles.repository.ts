import type { Kysely, Selectable } from 'kysely';
import type { DB } from '../../db/types.js';
import type { ScoredProfile } from './profiles.questionnaire.js';
import { QUESTIONNAIRE_VERSION } from './profiles.questionnaire.js';
import type { ProfileSubmissionTable } from './profiles.tables.js';

export type SubmissionRow = Selectable<ProfileSubmissionTable>;

/** Every submission of a person, newest first. */
export async function listSubmissions(db: Kysely<DB>, personId: string): Promise<SubmissionRow[]> {
  return db
    .selectFrom('profile_submission')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('submitted_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export async function insertSubmission(
  db: Kysely<DB>,
  personId: string,
  profile: ScoredProfile,
  accountId: string | null,
  submittedAt?: Date,
): Promise<SubmissionRow> {
  return db
    .insertInto('profile_submission')
    .values({
      person_id: personId,
      questionnaire_version: QUESTIONNAIRE_VERSION,
      answers: JSON.stringify(profile.answers),
      autonomy: profile.scores.autonomy,
      collaboration: profile.scores.collaboration,
      structure: profile.scores.structure,
      channel: profile.communication.channel,
      timing: profile.communication.timing,
      directness: profile.communication.directness,
      drivers: JSON.stringify(profile.drivers),
      submitted_by_account_id: accountId,
      ...(submittedAt ? { submitted_at: submittedAt } : {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The current (newest) submission of each of the given people. */
export async function findCurrentSubmissions(db: Kysely<DB>, personIds: string[]): Promise<SubmissionRow[]> {
  if (personIds.length === 0) return [];
  return db
    .selectFrom('profile_submission')
    .selectAll()
    .distinctOn('person_id')
    .where('person_id', 'in', personIds)
    .orderBy('person_id')
    .orderBy('submitted_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}
