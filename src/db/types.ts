import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { ConversationsTables } from '../modules/conversations/conversations.tables.js';
import type { GoalsTables } from '../modules/goals/goals.tables.js';
import type { SignalsTables } from '../modules/signals/signals.tables.js';
import type { IngestTables } from '../modules/ingest/ingest.tables.js';
import type { CoachingTables } from '../modules/coaching/coaching.tables.js';
import type { CoachingAiTables } from '../modules/coaching/ai.tables.js';
import type { ProfilesTables } from '../modules/profiles/profiles.tables.js';
import type { OpportunitiesTables } from '../modules/coaching/opportunities.tables.js';

/** Table types for Kysely. Dates (`date` columns) travel as 'YYYY-MM-DD' strings; timestamps as Date. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json = ColumnType<
  Record<string, unknown>,
  string | Record<string, unknown> | undefined,
  string | Record<string, unknown>
>;

export type TeamKind = 'company' | 'department' | 'team';
export type WorkMode = 'onsite' | 'remote' | 'hybrid';
export type Role = 'admin' | 'hr' | 'executive';
export type CoachKind = 'peer' | 'upward' | 'external';

export interface TeamTable {
  id: Generated<string>;
  name: string;
  slug: string;
  kind: TeamKind;
  parent_id: string | null;
  description: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface PersonTable {
  id: Generated<string>;
  employee_id: string | null;
  email: string;
  name: string;
  title: string | null;
  level: string | null;
  team_id: string | null;
  hire_date: string | null;
  leave_date: string | null;
  leave_reason: string | null;
  location: string | null;
  time_zone: string;
  work_mode: WorkMode | null;
  attributes: Json;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface ReportingLineTable {
  id: Generated<string>;
  person_id: string;
  manager_id: string;
  /** First day the line holds (inclusive). */
  valid_from: string;
  /** First day it no longer holds (exclusive); null while current. */
  valid_to: string | null;
  created_at: CreatedAt;
}

export interface OrgChangeTable {
  id: Generated<number>;
  entity_type: 'person' | 'team' | 'reporting_line';
  entity_id: string;
  change: 'create' | 'update' | 'delete';
  source: 'api' | 'import' | 'demo' | 'cli';
  actor_account_id: string | null;
  before: Json | null;
  after: Json | null;
  at: CreatedAt;
}

export interface AccountTable {
  id: Generated<string>;
  email: string;
  person_id: string | null;
  password_hash: string | null;
  roles: ColumnType<Role[], Role[] | undefined, Role[]>;
  is_demo: Generated<boolean>;
  disabled_at: Date | null;
  failed_login_count: Generated<number>;
  locked_until: Date | null;
  password_changed_at: Date | null;
  last_login_at: Date | null;
  created_at: CreatedAt;
}

export interface SessionTable {
  /** SHA-256 of the cookie value; the value itself is never stored. */
  id: string;
  account_id: string;
  csrf_token: string;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
  expires_at: Date;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokenTable {
  id: Generated<string>;
  account_id: string;
  name: string;
  token_hash: string;
  token_prefix: string;
  created_at: CreatedAt;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
}

export interface PasswordResetTable {
  id: Generated<string>;
  account_id: string;
  token_hash: string;
  created_by_account_id: string | null;
  created_at: CreatedAt;
  expires_at: Date;
  used_at: Date | null;
}

export interface HrAssignmentTable {
  account_id: string;
  team_id: string;
  created_at: CreatedAt;
}

export interface CoachRelationshipTable {
  id: Generated<string>;
  coach_person_id: string;
  coachee_person_id: string;
  kind: CoachKind;
  valid_from: string;
  valid_to: string | null;
  created_at: CreatedAt;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: CreatedAt;
  actor_account_id: string | null;
  actor_label: string;
  action: string;
  resource_type: string;
  resource_id: string | null;
  decision: 'allow' | 'deny';
  reason: string | null;
  data_class: string | null;
  ip: string | null;
  request_id: string | null;
}

export interface AppSettingTable {
  key: string;
  value: Json;
  updated_at: Timestamp;
}

/** The foundation's tables. Each later module declares its own tables in `src/modules/<module>/<module>.tables.ts` and `DB` extends them. */
export interface FoundationTables {
  team: TeamTable;
  person: PersonTable;
  reporting_line: ReportingLineTable;
  org_change: OrgChangeTable;
  account: AccountTable;
  session: SessionTable;
  api_token: ApiTokenTable;
  password_reset: PasswordResetTable;
  hr_assignment: HrAssignmentTable;
  coach_relationship: CoachRelationshipTable;
  audit_log: AuditLogTable;
  app_setting: AppSettingTable;
}

/** Every table Cairn has, for Kysely. */
export interface DB
  extends
    FoundationTables,
    ConversationsTables,
    GoalsTables,
    IngestTables,
    SignalsTables,
    ProfilesTables,
    CoachingTables,
    OpportunitiesTables,
    CoachingAiTables {}

export type Team = Selectable<TeamTable>;
export type NewTeam = Insertable<TeamTable>;
export type Person = Selectable<PersonTable>;
export type NewPerson = Insertable<PersonTable>;
export type PersonUpdate = Updateable<PersonTable>;
export type ReportingLine = Selectable<ReportingLineTable>;
export type Account = Selectable<AccountTable>;
export type AuditEntry = Selectable<AuditLogTable>;
