import type { ColumnType, Generated } from 'kysely';

/** Table types of the coaching module. See docs/coaching-delivery.md. */
type Json<T> = ColumnType<T, string | T, string | T>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Day = ColumnType<string, string, string>;

/** One coaching moment or notification addressed to one person, with its read / acted state. */
export interface CoachingInboxItemTable {
  id: Generated<string>;
  recipient_person_id: string;
  subject_person_id: string | null;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  /** Same key for the same recipient = the same moment; a second insert is ignored. */
  dedupe_key: string | null;
  created_at: CreatedAt;
  read_at: Date | null;
  acted_at: Date | null;
}

export interface CoachingWebhookEndpointTable {
  id: Generated<string>;
  name: string;
  url: string;
  secret: string;
  enabled: Generated<boolean>;
  created_by_account_id: string | null;
  created_at: CreatedAt;
}

export type DeliveryStatus = 'pending' | 'retrying' | 'succeeded' | 'failed';

export interface CoachingWebhookDeliveryTable {
  id: Generated<string>;
  endpoint_id: string;
  event: string;
  payload: Json<Record<string, unknown>>;
  status: ColumnType<DeliveryStatus, DeliveryStatus | undefined, DeliveryStatus>;
  attempts: Generated<number>;
  last_status_code: number | null;
  last_error: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  delivered_at: Date | null;
}

export interface CoachingWebhookAttemptTable {
  id: Generated<string>;
  delivery_id: string;
  attempt: number;
  at: CreatedAt;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

export interface CoachingDigestSettingTable {
  person_id: string;
  enabled: boolean;
  /** 'HH:MM' in the person's own time zone. */
  local_time: string;
  weekdays_only: boolean;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface CoachingDigestSentTable {
  person_id: string;
  /** The recipient's local calendar day the digest belongs to. */
  period: Day;
  scheduled_for: Date;
  sent_at: CreatedAt;
  message_id: string | null;
  item_count: number;
}

export interface CoachingTables {
  coaching_inbox_item: CoachingInboxItemTable;
  coaching_webhook_endpoint: CoachingWebhookEndpointTable;
  coaching_webhook_delivery: CoachingWebhookDeliveryTable;
  coaching_webhook_attempt: CoachingWebhookAttemptTable;
  coaching_digest_setting: CoachingDigestSettingTable;
  coaching_digest_sent: CoachingDigestSentTable;
}
