import type { ColumnType, Generated } from 'kysely';

/** Table types of the signals module. See docs/signals.md. */
type Json<T> = ColumnType<T, string | T, string | T>;

/** One captured change to the work model (trigger-fed), waiting to be applied to the rollups. */
export interface SignalsChangeTable {
  id: Generated<number>;
  /** Events an insert statement wrote (read from the event rows); null on other changes. */
  event_ids: number[] | null;
  /** The updated or deleted event's id (its old state is `old_event`). */
  old_event_id: number | null;
  old_event: Json<Record<string, unknown>> | null;
  new_event: Json<Record<string, unknown>> | null;
  item_source: string | null;
  item_source_id: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

/** What the signals derived from one work item (completion, cycle-time stages) last time it was applied. */
export interface SignalsItemFactTable {
  source: string;
  source_id: string;
  kind: string;
  /** Who the item's outcome is credited to (PR author, whoever completed the issue). */
  person_id: string | null;
  /** The credited person's team when the item was done (see signals_team_membership). */
  team_id: string | null;
  /** ISO week (Monday, UTC) of the merge or completion; null while not done. */
  week: ColumnType<string | null, string | null, string | null>;
  done_at: Date | null;
  project: string | null;
  fact: Json<Record<string, unknown>>;
  coding_s: number | null;
  pickup_s: number | null;
  review_s: number | null;
}

export interface SignalsPersonWeekTable {
  person_id: string;
  /** Monday of the UTC ISO week, 'YYYY-MM-DD'. */
  week: ColumnType<string, string, string>;
  metric: string;
  value: number;
}

export interface SignalsTeamWeekTable {
  team_id: string;
  week: ColumnType<string, string, string>;
  metric: string;
  value: number;
}

/** The organisation's week: the sum of signals_team_week over teams, kept by triggers on it. */
export interface SignalsOrgWeekTable {
  week: ColumnType<string, string, string>;
  metric: string;
  value: number;
}

/** Reviews one person gave on another's pull requests in a week: the review graph's edges. */
export interface SignalsReviewWeekTable {
  reviewer_id: string;
  author_id: string;
  week: ColumnType<string, string, string>;
  reviews: number;
}

/** Who was in which team when (null from: since always; null to: still). Kept by a trigger on person. */
export interface SignalsTeamMembershipTable {
  id: Generated<number>;
  person_id: string;
  team_id: string;
  valid_from: Date | null;
  valid_to: Date | null;
}

export interface SignalsStateTable {
  id: number;
  applied_changes: ColumnType<number, number | undefined, number>;
  last_applied_at: Date | null;
  rebuilt_at: Date | null;
}

export interface SignalsTables {
  signals_change: SignalsChangeTable;
  signals_item_fact: SignalsItemFactTable;
  signals_person_week: SignalsPersonWeekTable;
  signals_team_week: SignalsTeamWeekTable;
  signals_org_week: SignalsOrgWeekTable;
  signals_review_week: SignalsReviewWeekTable;
  signals_team_membership: SignalsTeamMembershipTable;
  signals_state: SignalsStateTable;
}
