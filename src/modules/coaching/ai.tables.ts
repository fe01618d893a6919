import type { ColumnType, Generated } from 'kysely';

/** Table types of optional AI drafting (docs/coaching-ai.md). */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T> = ColumnType<T, string | T, string | T>;

/** One row (id = 1): the OpenAI-compatible endpoint. Off until an administrator turns it on. */
export interface CoachingAiSettingTable {
  id: ColumnType<number, number | undefined, never>;
  enabled: boolean;
  base_url: string | null;
  model: string | null;
  /** Write-only: never returned by the API (only whether it is set and its last four characters). */
  api_key: string | null;
  timeout_seconds: number;
  updated_by_account_id: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export type DraftKind = 'guide' | 'evidence_summary';
export type DraftStatus = 'draft' | 'accepted' | 'discarded';

/** A draft written by the model, kept with the exact messages sent and the model that answered. */
export interface CoachingAiDraftTable {
  id: Generated<string>;
  opportunity_id: string;
  kind: DraftKind;
  created_by_account_id: string;
  model: string;
  base_url: string;
  messages: Json<ChatMessage[]>;
  output: string;
  status: ColumnType<DraftStatus, DraftStatus | undefined, DraftStatus>;
  created_at: CreatedAt;
  decided_at: Date | null;
}

export interface CoachingAiTables {
  coaching_ai_setting: CoachingAiSettingTable;
  coaching_ai_draft: CoachingAiDraftTable;
}
