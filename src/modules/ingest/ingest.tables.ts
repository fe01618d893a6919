import type { ColumnType, Generated, Selectable } from 'kysely';

/** Table types of the work-data (ingest) module. See docs/ingest.md for the model. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T = Record<string, unknown>> = ColumnType<T, string | T | undefined, string | T>;

export type ConnectionKind = 'git' | 'github' | 'jira' | 'metrics';
export type ConnectionStatus = 'idle' | 'queued' | 'running' | 'succeeded' | 'failed' | 'disabled';
export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed';
export type WorkItemKind = 'pull_request' | 'issue' | 'ticket';
export type MappedBy = 'email' | 'noreply' | 'login' | 'explicit';
export type QuarantineStatus = 'pending' | 'resolved' | 'discarded';

export interface IngestConnectionTable {
  id: Generated<string>;
  kind: ConnectionKind;
  name: string;
  config: Json;
  /** Shared secret for webhooks (GitHub/Jira); never returned by the API. */
  secret: string | null;
  /** Where the next incremental run starts; committed with each batch. */
  cursor: Json;
  status: Generated<ConnectionStatus>;
  last_run_at: Date | null;
  last_success_at: Date | null;
  last_error: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface IngestRunTable {
  id: Generated<string>;
  connection_id: string;
  /** What started it: cli, api, job, webhook, demo. */
  trigger: Generated<string>;
  status: Generated<RunStatus>;
  queued_at: CreatedAt;
  started_at: Date | null;
  finished_at: Date | null;
  read: Generated<number>;
  created: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  rejected: Generated<number>;
  unmatched: Generated<number>;
  /** `{ done, total?, message? }` while running. */
  progress: Json;
  error: string | null;
}

export interface IngestIdentityTable {
  id: Generated<string>;
  /** git | github | jira | metrics … */
  source: string;
  /** Stable id within the source: git e-mail (lower-case), GitHub user id, Jira accountId. */
  external_id: string;
  login: string | null;
  email: string | null;
  display_name: string | null;
  is_bot: Generated<boolean>;
  person_id: string | null;
  mapped_by: MappedBy | null;
  mapped_at: Date | null;
  first_seen_at: CreatedAt;
  last_seen_at: Timestamp;
}

export interface IngestWorkItemTable {
  id: Generated<string>;
  source: string;
  source_id: string;
  connection_id: string | null;
  kind: WorkItemKind;
  project: string | null;
  number: string | null;
  title: string | null;
  state: string;
  author_identity_id: string | null;
  person_id: string | null;
  opened_at: Date | null;
  closed_at: Date | null;
  merged_at: Date | null;
  source_updated_at: Date | null;
  attributes: Json;
  content_hash: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface IngestWorkEventTable {
  id: Generated<number>;
  source: string;
  source_id: string;
  connection_id: string | null;
  kind: string;
  actor_identity_id: string | null;
  person_id: string | null;
  occurred_at: Date;
  project: string | null;
  item_source_id: string | null;
  attributes: Json;
  content_hash: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface IngestRawPayloadTable {
  id: Generated<number>;
  source: string;
  source_id: string;
  connection_id: string | null;
  payload: Json<unknown>;
  received_at: Timestamp;
}

export interface IngestQuarantineTable {
  id: Generated<string>;
  connection_id: string | null;
  run_id: string | null;
  source: string;
  record_ref: string;
  field: string | null;
  problem: string;
  raw: Json<unknown> | null;
  status: Generated<QuarantineStatus>;
  attempts: Generated<number>;
  last_attempt_at: Date | null;
  created_at: CreatedAt;
}

export interface IngestWebhookDeliveryTable {
  connection_id: string;
  delivery_id: string;
  event: string | null;
  status: Generated<'received' | 'processed' | 'failed'>;
  error: string | null;
  received_at: CreatedAt;
  processed_at: Date | null;
}

export interface IngestBusinessMetricTable {
  id: Generated<string>;
  source: string;
  source_id: string;
  connection_id: string | null;
  metric: string;
  value: number;
  unit: string | null;
  person_id: string | null;
  team_id: string | null;
  period_start: string;
  period_end: string;
  attributes: Json;
  content_hash: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface IngestTables {
  ingest_connection: IngestConnectionTable;
  ingest_run: IngestRunTable;
  ingest_identity: IngestIdentityTable;
  ingest_work_item: IngestWorkItemTable;
  ingest_work_event: IngestWorkEventTable;
  ingest_raw_payload: IngestRawPayloadTable;
  ingest_quarantine: IngestQuarantineTable;
  ingest_webhook_delivery: IngestWebhookDeliveryTable;
  ingest_business_metric: IngestBusinessMetricTable;
}

export type Connection = Selectable<IngestConnectionTable>;
export type Run = Selectable<IngestRunTable>;
export type SourceIdentity = Selectable<IngestIdentityTable>;
export type WorkEvent = Selectable<IngestWorkEventTable>;
export type WorkItem = Selectable<IngestWorkItemTable>;
export type QuarantineEntry = Selectable<IngestQuarantineTable>;
