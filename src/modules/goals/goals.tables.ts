import type { ColumnType, Generated, Selectable } from 'kysely';

// Tables of the goals module (PRODUCT.md §7, the SAME model). `date` columns travel as 'YYYY-MM-DD'.
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string | T, string | T>;
type Numeric = ColumnType<number, number | string, number | string>;

export type GoalLevel = 'company' | 'department' | 'team' | 'personal';
export type GoalVisibility = 'public' | 'private';
export type GoalStatus = 'draft' | 'active' | 'completed' | 'abandoned';
export type GoalCadence = 'weekly' | 'biweekly' | 'monthly';

/** What success looks like, written when the goal is set: a measurable target or a rubric. */
export type GoalCriteria =
  | { kind: 'target'; metric: string; unit: string; start: number; target: number }
  | { kind: 'rubric'; levels: { label: string; description: string }[] };

export interface GoalTable {
  id: Generated<string>;
  /** Exactly one of owner_person_id / owner_team_id is set. */
  owner_person_id: string | null;
  owner_team_id: string | null;
  level: GoalLevel;
  title: string;
  why: string;
  criteria: Json<GoalCriteria>;
  role_expectations: string | null;
  period_label: string;
  period_start: string;
  period_end: string;
  visibility: GoalVisibility;
  status: GoalStatus;
  cadence: GoalCadence;
  /** Who checks in and receives reminders: the owner for personal goals, a lead for team goals. */
  steward_person_id: string | null;
  /** Latest measured value (metric units for a target; percent for a rubric). */
  current_value: Numeric | null;
  created_by_account_id: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface GoalAlignmentTable {
  goal_id: string;
  parent_goal_id: string;
  created_at: CreatedAt;
}

export interface GoalCheckInTable {
  id: Generated<string>;
  goal_id: string;
  value: Numeric;
  /** 1 (very unlikely) … 5 (certain). */
  confidence: number;
  blockers: string | null;
  note: string | null;
  source: 'manual' | 'linked' | 'demo';
  author_account_id: string | null;
  checked_at: Timestamp;
  created_at: CreatedAt;
}

export type GoalChange =
  'create' | 'update' | 'align' | 'check_in' | 'progress' | 'link' | 'evaluate' | 'status';

export interface GoalHistoryTable {
  id: Generated<number>;
  goal_id: string;
  change: GoalChange;
  actor_account_id: string | null;
  actor_label: string;
  before: Json<Record<string, unknown>> | null;
  after: Json<Record<string, unknown>> | null;
  reason: string | null;
  at: CreatedAt;
}

export type GoalLinkKind = 'business_metric' | 'signal';
export type GoalLinkAggregation = 'sum' | 'latest' | 'average' | 'max' | 'count';

export interface GoalLinkTable {
  goal_id: string;
  kind: GoalLinkKind;
  key: string;
  aggregation: GoalLinkAggregation;
  scope_person_id: string | null;
  scope_team_id: string | null;
  last_value: Numeric | null;
  last_refreshed_at: Date | null;
  created_at: CreatedAt;
}

export type EvaluationRole = 'owner' | 'manager';
export type EvaluationRating = 'exceeded' | 'met' | 'partially_met' | 'not_met';

export interface GoalEvaluationTable {
  id: Generated<string>;
  goal_id: string;
  role: EvaluationRole;
  rating: EvaluationRating;
  /** Measured outcome for a target, or the rubric level reached. */
  final_value: Numeric | null;
  rubric_level: string | null;
  comment: string;
  author_account_id: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** An in-app check-in reminder; outbound delivery arrives with the coaching engine. */
export interface GoalReminderTable {
  id: Generated<string>;
  goal_id: string;
  person_id: string;
  due_on: string;
  created_at: CreatedAt;
  dismissed_at: Date | null;
}

export interface GoalsTables {
  goal: GoalTable;
  goal_alignment: GoalAlignmentTable;
  goal_check_in: GoalCheckInTable;
  goal_history: GoalHistoryTable;
  goal_link: GoalLinkTable;
  goal_evaluation: GoalEvaluationTable;
  goal_reminder: GoalReminderTable;
}

export type GoalRow = Selectable<GoalTable>;
export type CheckInRow = Selectable<GoalCheckInTable>;
