import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export type ConversationKind = 'one_on_one' | 'debrief' | 'peer' | 'upward' | 'external';
export type ConversationStatus = 'scheduled' | 'completed' | 'cancelled';
export type ParticipantRole = 'manager' | 'report' | 'coach' | 'coachee' | 'facilitator' | 'member';
export type NoteVisibility = 'private' | 'shared';

export interface ConversationSeriesTable {
  id: Generated<string>;
  manager_person_id: string;
  report_person_id: string;
  cadence_days: number;
  created_at: CreatedAt;
  ended_at: Date | null;
}

export interface ConversationTable {
  id: Generated<string>;
  kind: ConversationKind;
  title: string;
  series_id: string | null;
  coach_relationship_id: string | null;
  team_id: string | null;
  project: string | null;
  scheduled_at: Timestamp;
  duration_minutes: number;
  status: Generated<ConversationStatus>;
  completed_at: Date | null;
  /** Sorted participant ids joined by ','; "the same pair" for carrying follow-ups forward. */
  participant_key: string;
  /** What prompted the conversation: a typed reference (e.g. 'coaching_opportunity', 'work_event'). */
  prompt_kind: string | null;
  prompt_id: string | null;
  topics_edited: Generated<boolean>;
  created_by_person_id: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface ConversationParticipantTable {
  conversation_id: string;
  person_id: string;
  role: ParticipantRole;
}

export interface ConversationAgendaItemTable {
  id: Generated<string>;
  conversation_id: string;
  text: string;
  position: number;
  done: Generated<boolean>;
  added_by_person_id: string | null;
  carried_from_action_id: string | null;
  carried_from_item_id: string | null;
  created_at: CreatedAt;
}

export interface ConversationNoteTable {
  id: Generated<string>;
  conversation_id: string;
  author_person_id: string;
  visibility: NoteVisibility;
  body: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface ConversationActionTable {
  id: Generated<string>;
  conversation_id: string;
  text: string;
  owner_person_id: string;
  /** 'YYYY-MM-DD' */
  due_date: string | null;
  done_at: Date | null;
  created_by_person_id: string | null;
  created_at: CreatedAt;
}

export interface ConversationTopicTable {
  conversation_id: string;
  topic: string;
  source: 'auto' | 'manual';
}

export interface ConversationRatingTable {
  conversation_id: string;
  rater_person_id: string;
  score: number;
  comment: string | null;
  created_at: CreatedAt;
}

/** The conversations module's tables, joined into `DB` in src/db/types.ts. */
export interface ConversationsTables {
  conversation_series: ConversationSeriesTable;
  conversation: ConversationTable;
  conversation_participant: ConversationParticipantTable;
  conversation_agenda_item: ConversationAgendaItemTable;
  conversation_note: ConversationNoteTable;
  conversation_action: ConversationActionTable;
  conversation_topic: ConversationTopicTable;
  conversation_rating: ConversationRatingTable;
}
