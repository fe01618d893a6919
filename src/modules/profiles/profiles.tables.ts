import type { ColumnType, Generated } from 'kysely';

/** Table types of the profiles module (work-style profiles). See docs/work-style-profile.md. */
type Json<T> = ColumnType<T, string | T, string | T>;

/** One submitted questionnaire. The newest row per person is their current profile; older rows are its history. */
export interface ProfileSubmissionTable {
  id: Generated<string>;
  person_id: string;
  questionnaire_version: number;
  answers: Json<Record<string, number>>;
  autonomy: number;
  collaboration: number;
  structure: number;
  channel: string;
  timing: string;
  directness: string;
  drivers: Json<string[]>;
  submitted_by_account_id: string | null;
  submitted_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface ProfilesTables {
  profile_submission: ProfileSubmissionTable;
}
