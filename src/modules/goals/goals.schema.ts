import { Type, type Static } from '@sinclair/typebox';
import { IsoDate, IsoDateTime, Nullable, Uuid } from '../../shared/schemas.js';

/** Request and response schemas of the goals module; `shared/api.ts` re-exports them for the web. */

const Text = (max: number, min = 0) => Type.String({ minLength: min, maxLength: max });

export const GoalLevelSchema = Type.Union([
  Type.Literal('company'),
  Type.Literal('department'),
  Type.Literal('team'),
  Type.Literal('personal'),
]);
export const GoalVisibilitySchema = Type.Union([Type.Literal('public'), Type.Literal('private')]);
export const GoalStatusSchema = Type.Union([
  Type.Literal('draft'),
  Type.Literal('active'),
  Type.Literal('completed'),
  Type.Literal('abandoned'),
]);
export const GoalCadenceSchema = Type.Union([
  Type.Literal('weekly'),
  Type.Literal('biweekly'),
  Type.Literal('monthly'),
]);

export const TargetCriteria = Type.Object(
  {
    kind: Type.Literal('target'),
    metric: Text(200, 1),
    unit: Text(40),
    start: Type.Number(),
    target: Type.Number(),
  },
  { additionalProperties: false },
);
export const RubricCriteria = Type.Object(
  {
    kind: Type.Literal('rubric'),
    levels: Type.Array(
      Type.Object({ label: Text(100, 1), description: Text(2000, 1) }, { additionalProperties: false }),
      { minItems: 2, maxItems: 7 },
    ),
  },
  { additionalProperties: false },
);
export const GoalCriteriaSchema = Type.Union([TargetCriteria, RubricCriteria]);
export type GoalCriteriaType = Static<typeof GoalCriteriaSchema>;

export const GoalOwner = Type.Object({
  type: Type.Union([Type.Literal('person'), Type.Literal('team')]),
  id: Uuid,
  name: Type.String(),
});

/** Why a goal is flagged in the tree: it supports nothing (orphan) or nothing supports it (company). */
export const GoalFlag = Type.Union([Type.Literal('orphan'), Type.Literal('unsupported')]);

export const GoalSummary = Type.Object({
  id: Uuid,
  level: GoalLevelSchema,
  title: Type.String(),
  owner: GoalOwner,
  periodLabel: Type.String(),
  periodStart: IsoDate,
  periodEnd: IsoDate,
  visibility: GoalVisibilitySchema,
  status: GoalStatusSchema,
  /** 0–100: how far the latest value is from the start to the target (rubric goals check in percent). */
  progress: Type.Number(),
  currentValue: Nullable(Type.Number()),
  confidence: Nullable(Type.Integer()),
  lastCheckInAt: Nullable(IsoDateTime),
  parentIds: Type.Array(Uuid),
  linked: Type.Boolean(),
  flags: Type.Array(GoalFlag),
});
export type GoalSummaryType = Static<typeof GoalSummary>;

export const GoalList = Type.Object({ items: Type.Array(GoalSummary) });
export type GoalListType = Static<typeof GoalList>;

export const CheckIn = Type.Object({
  id: Uuid,
  value: Type.Number(),
  progress: Type.Number(),
  confidence: Type.Integer(),
  blockers: Nullable(Type.String()),
  note: Nullable(Type.String()),
  source: Type.String(),
  authorLabel: Nullable(Type.String()),
  checkedAt: IsoDateTime,
});
export type CheckInType = Static<typeof CheckIn>;

export const GoalLinkKindSchema = Type.Union([Type.Literal('business_metric'), Type.Literal('signal')]);
export const GoalLinkAggregationSchema = Type.Union([
  Type.Literal('sum'),
  Type.Literal('latest'),
  Type.Literal('average'),
  Type.Literal('max'),
  Type.Literal('count'),
]);
export const GoalLink = Type.Object({
  kind: GoalLinkKindSchema,
  key: Type.String(),
  aggregation: GoalLinkAggregationSchema,
  scopePersonId: Nullable(Uuid),
  scopeTeamId: Nullable(Uuid),
  lastValue: Nullable(Type.Number()),
  lastRefreshedAt: Nullable(IsoDateTime),
});
export type GoalLinkType = Static<typeof GoalLink>;

export const Evaluation = Type.Object({
  role: Type.Union([Type.Literal('owner'), Type.Literal('manager')]),
  rating: Type.Union([
    Type.Literal('exceeded'),
    Type.Literal('met'),
    Type.Literal('partially_met'),
    Type.Literal('not_met'),
  ]),
  finalValue: Nullable(Type.Number()),
  rubricLevel: Nullable(Type.String()),
  comment: Type.String(),
  authorLabel: Type.String(),
  updatedAt: IsoDateTime,
});
export type EvaluationType = Static<typeof Evaluation>;

export const GoalRef = Type.Object({
  id: Uuid,
  title: Type.String(),
  level: GoalLevelSchema,
  ownerName: Type.String(),
});

export const GoalDetail = Type.Object({
  goal: Type.Intersect([
    GoalSummary,
    Type.Object({
      why: Type.String(),
      criteria: GoalCriteriaSchema,
      roleExpectations: Nullable(Type.String()),
      cadence: GoalCadenceSchema,
      stewardPersonId: Nullable(Uuid),
      nextCheckInDue: Nullable(IsoDate),
      createdAt: IsoDateTime,
    }),
  ]),
  /** Goals this one supports; a private parent the caller may not see is counted, not shown. */
  parents: Type.Array(GoalRef),
  hiddenParents: Type.Integer(),
  children: Type.Array(GoalRef),
  checkIns: Type.Array(CheckIn),
  link: Nullable(GoalLink),
  /** Null when the caller may not read evaluations (development data). */
  evaluations: Nullable(Type.Array(Evaluation)),
  permissions: Type.Object({
    canEdit: Type.Boolean(),
    canEvaluate: Type.Boolean(),
    /** Which assessment the caller would write. */
    evaluationRole: Nullable(Type.Union([Type.Literal('owner'), Type.Literal('manager')])),
  }),
});
export type GoalDetailType = Static<typeof GoalDetail>;

export const GoalCreateBody = Type.Object(
  {
    owner: Type.Object(
      { type: Type.Union([Type.Literal('person'), Type.Literal('team')]), id: Uuid },
      { additionalProperties: false },
    ),
    title: Text(300, 3),
    why: Text(4000, 3),
    criteria: GoalCriteriaSchema,
    roleExpectations: Type.Optional(Nullable(Text(4000))),
    periodLabel: Type.Optional(Text(40, 1)),
    periodStart: IsoDate,
    periodEnd: IsoDate,
    visibility: Type.Optional(GoalVisibilitySchema),
    status: Type.Optional(GoalStatusSchema),
    cadence: Type.Optional(GoalCadenceSchema),
    stewardPersonId: Type.Optional(Nullable(Uuid)),
    parentIds: Type.Optional(Type.Array(Uuid, { maxItems: 20, uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type GoalCreateInput = Static<typeof GoalCreateBody>;

export const GoalUpdateBody = Type.Object(
  {
    title: Type.Optional(Text(300, 3)),
    why: Type.Optional(Text(4000, 3)),
    criteria: Type.Optional(GoalCriteriaSchema),
    roleExpectations: Type.Optional(Nullable(Text(4000))),
    periodLabel: Type.Optional(Text(40, 1)),
    periodStart: Type.Optional(IsoDate),
    periodEnd: Type.Optional(IsoDate),
    visibility: Type.Optional(GoalVisibilitySchema),
    status: Type.Optional(GoalStatusSchema),
    cadence: Type.Optional(GoalCadenceSchema),
    stewardPersonId: Type.Optional(Nullable(Uuid)),
    /** Required once the goal has check-ins: why the expectation changed. */
    reason: Type.Optional(Text(2000, 3)),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type GoalUpdateInput = Static<typeof GoalUpdateBody>;

export const GoalParentsBody = Type.Object(
  {
    parentIds: Type.Array(Uuid, { maxItems: 20, uniqueItems: true }),
    reason: Type.Optional(Text(2000, 3)),
  },
  { additionalProperties: false },
);
export type GoalParentsInput = Static<typeof GoalParentsBody>;

export const CheckInBody = Type.Object(
  {
    value: Type.Number(),
    confidence: Type.Integer({ minimum: 1, maximum: 5 }),
    blockers: Type.Optional(Nullable(Text(4000))),
    note: Type.Optional(Nullable(Text(4000))),
  },
  { additionalProperties: false },
);
export type CheckInInput = Static<typeof CheckInBody>;

export const GoalLinkBody = Type.Object(
  {
    kind: GoalLinkKindSchema,
    key: Text(200, 1),
    aggregation: Type.Optional(GoalLinkAggregationSchema),
    scopePersonId: Type.Optional(Nullable(Uuid)),
    scopeTeamId: Type.Optional(Nullable(Uuid)),
    reason: Type.Optional(Text(2000, 3)),
  },
  { additionalProperties: false },
);
export type GoalLinkInput = Static<typeof GoalLinkBody>;

/** What a goal can follow, per kind: for the link form. */
export const LinkKeyList = Type.Object({
  kinds: Type.Array(
    Type.Object({
      kind: GoalLinkKindSchema,
      /** False when no module answers this kind in this installation (such links would wait). */
      available: Type.Boolean(),
      /** True when `keys` is complete and a link to any other key is refused. */
      closed: Type.Boolean(),
      keys: Type.Array(Type.Object({ key: Type.String(), label: Type.String(), unit: Type.String() })),
    }),
  ),
});
export type LinkKeyListType = Static<typeof LinkKeyList>;

export const EvaluationBody = Type.Object(
  {
    rating: Evaluation.properties.rating,
    finalValue: Type.Optional(Nullable(Type.Number())),
    rubricLevel: Type.Optional(Nullable(Text(100))),
    comment: Text(4000, 3),
  },
  { additionalProperties: false },
);
export type EvaluationInput = Static<typeof EvaluationBody>;

export const GoalHistoryItem = Type.Object({
  id: Type.Integer(),
  at: IsoDateTime,
  change: Type.String(),
  actorLabel: Type.String(),
  before: Nullable(Type.Record(Type.String(), Type.Unknown())),
  after: Nullable(Type.Record(Type.String(), Type.Unknown())),
  reason: Nullable(Type.String()),
});
export const GoalHistory = Type.Object({ items: Type.Array(GoalHistoryItem) });
export type GoalHistoryItemType = Static<typeof GoalHistoryItem>;

export const GoalListQuery = Type.Object({
  /** mine: my personal goals and my teams' goals; team: my reports' goals and goals of teams I lead. */
  scope: Type.Optional(Type.Union([Type.Literal('mine'), Type.Literal('team'), Type.Literal('all')])),
  personId: Type.Optional(Uuid),
  teamId: Type.Optional(Uuid),
  level: Type.Optional(GoalLevelSchema),
  period: Type.Optional(Text(40, 1)),
  status: Type.Optional(GoalStatusSchema),
});
export type GoalListQueryType = Static<typeof GoalListQuery>;

export const AlignmentQuery = Type.Object({
  period: Type.Optional(Text(40, 1)),
  /** Only this person's own goals and every goal they reach upwards to company strategy. */
  personId: Type.Optional(Uuid),
});
export type AlignmentQueryType = Static<typeof AlignmentQuery>;

export const AlignmentView = Type.Object({
  /** Every visible goal in the period with its parents; roots are company goals and orphans. */
  nodes: Type.Array(GoalSummary),
  hiddenCount: Type.Integer(),
  periods: Type.Array(Type.String()),
});
export type AlignmentViewType = Static<typeof AlignmentView>;

export const StalledGoal = Type.Object({
  goal: GoalSummary,
  reason: Type.Union([Type.Literal('no_progress'), Type.Literal('falling_confidence')]),
  detail: Type.String(),
});
export const StalledList = Type.Object({ asOf: IsoDate, items: Type.Array(StalledGoal) });
export type StalledGoalType = Static<typeof StalledGoal>;

export const StalledQuery = Type.Object({ asOf: Type.Optional(IsoDate) });

export const ReminderList = Type.Object({
  items: Type.Array(Type.Object({ id: Uuid, goalId: Uuid, goalTitle: Type.String(), dueOn: IsoDate })),
});
export type ReminderListType = Static<typeof ReminderList>;
