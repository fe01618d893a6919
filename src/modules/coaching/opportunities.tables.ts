import type { ColumnType, Generated } from 'kysely';

/** Table types of coaching opportunities (docs/coaching-opportunities.md). */
type Json<T> = ColumnType<T, string | T, string | T>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type OpportunityStatusValue = 'open' | 'acted' | 'snoozed' | 'dismissed';

export interface CoachingOpportunityTable {
  id: Generated<string>;
  recipient_person_id: string;
  subject_type: 'person' | 'team';
  subject_person_id: string | null;
  subject_team_id: string | null;
  trigger: string;
  polarity: 'corrective' | 'growth' | 'system';
  priority: 'high' | 'medium' | 'low';
  framework: 'GROW' | 'SBI' | 'strengths' | 'career' | 'retention';
  title: string;
  /** One sentence: why it showed up. */
  reason: string;
  /** OpportunityEvidenceType (opportunities.schema.ts). */
  evidence: Json<unknown>;
  /** What the guide templates fill in (metric names, days, goal titles); never shown raw. */
  facts: Json<Record<string, string | number | null>>;
  period: string;
  /** trigger|subject|period: the same moment is never raised twice for a recipient. */
  dedupe_key: string;
  /** Monday (UTC) of the week the scan ran for: the rate limit counts per recipient and scan week. */
  scan_week: string;
  status: ColumnType<OpportunityStatusValue, OpportunityStatusValue | undefined, OpportunityStatusValue>;
  snoozed_until: string | null;
  acted_at: Date | null;
  acted_note: string | null;
  dismissed_at: Date | null;
  dismiss_reason: string | null;
  useful: boolean | null;
  feedback_at: Date | null;
  inbox_item_id: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** Candidates the weekly limit held back, counted so the inbox can say "n more this week". */
export interface CoachingOpportunitySuppressedTable {
  recipient_person_id: string;
  scan_week: string;
  dedupe_key: string;
  priority: string;
  created_at: CreatedAt;
}

export interface OpportunitiesTables {
  coaching_opportunity: CoachingOpportunityTable;
  coaching_opportunity_suppressed: CoachingOpportunitySuppressedTable;
}
