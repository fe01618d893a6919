import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { IsoDate, IsoDateTime, Uuid } from '../../shared/schemas.js';

/**
 * Request and response schemas of the coaching-opportunities API (docs/coaching-opportunities.md).
 * The web inbox and AI drafting build on these types; they only grow (new optional fields), never change.
 */

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** The triggers the built-in rules and workflow moments produce. Extension sources may add their own ids. */
export const BUILT_IN_TRIGGERS = [
  'individual_dip',
  'team_dip',
  'sustained_strength',
  'conversation_gap',
  'ramp_up',
  'stalled_goal',
  'epic_kickoff',
  'sprint_start',
  'sprint_close',
  'epic_debrief',
  'signal_change',
  'overdue_followups',
  'career_conversation',
  'follow_through',
  'coaching_consistency',
  'missed_one_on_ones',
  'development_goal',
  'team_one_on_ones_slipping',
] as const;
export type BuiltInTrigger = (typeof BUILT_IN_TRIGGERS)[number];

export const OpportunityPolarity = Type.Union([
  Type.Literal('corrective'),
  Type.Literal('growth'),
  Type.Literal('system'),
]);
export type OpportunityPolarityType = Static<typeof OpportunityPolarity>;

export const OpportunityPriority = Type.Union([
  Type.Literal('high'),
  Type.Literal('medium'),
  Type.Literal('low'),
]);
export type OpportunityPriorityType = Static<typeof OpportunityPriority>;

export const OpportunityFramework = Type.Union([
  Type.Literal('GROW'),
  Type.Literal('SBI'),
  Type.Literal('strengths'),
  Type.Literal('career'),
  Type.Literal('retention'),
]);
export type OpportunityFrameworkType = Static<typeof OpportunityFramework>;

export const OpportunityStatus = Type.Union([
  Type.Literal('open'),
  Type.Literal('acted'),
  Type.Literal('snoozed'),
  Type.Literal('dismissed'),
]);
export type OpportunityStatusType = Static<typeof OpportunityStatus>;

/** Who or what the opportunity is about: a person (a report) or a whole team (system-level moments). */
export const OpportunitySubject = Type.Object({
  type: Type.Union([Type.Literal('person'), Type.Literal('team')]),
  id: Uuid,
  name: Type.String(),
});
export type OpportunitySubjectType = Static<typeof OpportunitySubject>;

/** One line of an inbox: enough to sort, filter and open it. */
export const OpportunitySummary = Type.Object({
  id: Uuid,
  /** e.g. 'individual_dip', 'team_dip', 'sustained_strength', … (BUILT_IN_TRIGGERS) or an extension's id. */
  trigger: Type.String(),
  /** Human label of the trigger, e.g. "Sustained strength". */
  triggerLabel: Type.String(),
  polarity: OpportunityPolarity,
  priority: OpportunityPriority,
  framework: OpportunityFramework,
  title: Type.String(),
  /** One sentence: why this showed up (the evidence in words). */
  reason: Type.String(),
  subject: OpportunitySubject,
  status: OpportunityStatus,
  snoozedUntil: Nullable(IsoDate),
  actedAt: Nullable(IsoDateTime),
  actedNote: Nullable(Type.String()),
  dismissReason: Nullable(Type.String()),
  useful: Nullable(Type.Boolean()),
  /** The period the trigger belongs to, e.g. '2026-W47', '2026-11', 'day-30'. */
  period: Type.String(),
  createdAt: IsoDateTime,
});
export type OpportunitySummaryType = Static<typeof OpportunitySummary>;

export const OpportunityCounts = Type.Object({
  open: Type.Integer(),
  snoozed: Type.Integer(),
  acted: Type.Integer(),
  dismissed: Type.Integer(),
  /** Opportunities held back this week by the rate limit (they are not lost: they come back next scan). */
  suppressedThisWeek: Type.Integer(),
});
export type OpportunityCountsType = Static<typeof OpportunityCounts>;

export const OpportunityList = Type.Object({
  items: Type.Array(OpportunitySummary),
  counts: OpportunityCounts,
});
export type OpportunityListType = Static<typeof OpportunityList>;

export const OpportunityListQuery = Type.Object({
  status: Type.Optional(
    Type.Union(
      [
        Type.Literal('open'),
        Type.Literal('snoozed'),
        Type.Literal('acted'),
        Type.Literal('dismissed'),
        Type.Literal('all'),
      ],
      { default: 'open' },
    ),
  ),
});

/** One piece of evidence: a signal value against its baseline, a goal, a date, a work item. */
export const EvidenceItem = Type.Object({
  kind: Type.Union([
    Type.Literal('signal'),
    Type.Literal('goal'),
    Type.Literal('conversation'),
    Type.Literal('hire'),
    Type.Literal('work_item'),
    Type.Literal('survey'),
    Type.Literal('other'),
  ]),
  label: Type.String(),
  /** Signals: the metric id (modules/signals definitions). */
  metric: Nullable(Type.String()),
  value: Nullable(Type.Number()),
  baseline: Nullable(Type.Number()),
  unit: Nullable(Type.String()),
  from: Nullable(IsoDate),
  to: Nullable(IsoDate),
  /** A page in the web app (e.g. '/dashboard/people/:id', '/goals/:id'). */
  link: Nullable(Type.String()),
  /** "Why this number?": the API listing the source events behind the value. */
  explainLink: Nullable(Type.String()),
  /** Ids of the source rows (flag key, goal id, work item id, conversation id). */
  sourceIds: Type.Array(Type.String()),
});
export type EvidenceItemType = Static<typeof EvidenceItem>;

export const OpportunityEvidence = Type.Object({
  summary: Type.String(),
  items: Type.Array(EvidenceItem),
});
export type OpportunityEvidenceType = Static<typeof OpportunityEvidence>;

/** Which work-style reading the guide was written for. */
export const GuideStyle = Type.Union([
  Type.Literal('autonomy'),
  Type.Literal('collaboration'),
  Type.Literal('structure'),
  Type.Literal('balanced'),
  Type.Literal('neutral'),
]);
export type GuideStyleType = Static<typeof GuideStyle>;

/** A complete conversation guide from the built-in templates (no AI needed). */
export const OpportunityGuide = Type.Object({
  framework: OpportunityFramework,
  /** The framework's steps in order, e.g. GROW: Goal, Reality, Options, Way forward. */
  frameworkSteps: Type.Array(Type.Object({ step: Type.String(), prompt: Type.String() })),
  style: GuideStyle,
  /** How the guide was tailored, in one or two sentences ("High autonomy: lead with outcomes…"). */
  styleSummary: Type.String(),
  opening: Type.String(),
  talkingPoints: Type.Array(Type.String()),
  questions: Type.Array(Type.String()),
  avoid: Type.Array(Type.String()),
  /** How to hold it, from communication preferences (written first, async, directness). */
  delivery: Type.Array(Type.String()),
});
export type OpportunityGuideType = Static<typeof OpportunityGuide>;

/** The subject's work style, present only when the viewer may see that person's profile. */
export const SubjectStyle = Type.Object({
  personId: Uuid,
  scores: Type.Object({ autonomy: Type.Number(), collaboration: Type.Number(), structure: Type.Number() }),
  dominant: GuideStyle,
  communication: Type.Object({ channel: Type.String(), timing: Type.String(), directness: Type.String() }),
  drivers: Type.Array(Type.String()),
});
export type SubjectStyleType = Static<typeof SubjectStyle>;

/** What to pass to POST /api/v1/conversations to start a conversation from the opportunity. */
export const ConversationSuggestion = Type.Object({
  kind: Type.String(),
  withPersonIds: Type.Array(Uuid),
  teamId: Nullable(Uuid),
  title: Type.String(),
  prompt: Type.Object({ kind: Type.Literal('coaching_opportunity'), id: Uuid }),
  agenda: Type.Array(Type.String()),
});

export const OpportunityDetail = Type.Composite([
  OpportunitySummary,
  Type.Object({
    evidence: OpportunityEvidence,
    guide: OpportunityGuide,
    subjectStyle: Nullable(SubjectStyle),
    conversation: ConversationSuggestion,
  }),
]);
export type OpportunityDetailType = Static<typeof OpportunityDetail>;

export const OpportunityActBody = Type.Object(
  { note: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);
export type OpportunityActBodyType = Static<typeof OpportunityActBody>;

export const OpportunitySnoozeBody = Type.Object({ until: IsoDate }, { additionalProperties: false });
export type OpportunitySnoozeBodyType = Static<typeof OpportunitySnoozeBody>;

export const OpportunityDismissBody = Type.Object(
  { reason: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);
export type OpportunityDismissBodyType = Static<typeof OpportunityDismissBody>;

export const OpportunityFeedbackBody = Type.Object(
  { useful: Type.Boolean() },
  { additionalProperties: false },
);
export type OpportunityFeedbackBodyType = Static<typeof OpportunityFeedbackBody>;
