import { Type, type Static } from '@sinclair/typebox';
import { IsoDate, Uuid } from '../../shared/schemas.js';

/** Request and response shapes of the signals API (docs/signals.md). */

export const RangeQuery = Type.Object(
  {
    from: Type.Optional(IsoDate),
    to: Type.Optional(IsoDate),
  },
  { additionalProperties: false },
);

export const Range = Type.Object({
  from: Type.String({ description: 'Monday of the first ISO week (UTC)' }),
  to: Type.String({ description: 'Monday of the last ISO week (UTC)' }),
});

const Num = Type.Union([Type.Number(), Type.Null()]);

export const MetricInfo = Type.Object({
  id: Type.String(),
  family: Type.String(),
  label: Type.String(),
  description: Type.String(),
  unit: Type.String(),
  levels: Type.Array(Type.String()),
  aggregation: Type.String(),
});

export const WeekValue = Type.Object({ week: Type.String(), value: Type.Number() });
export const MetricSeries = Type.Object({ metric: Type.String(), points: Type.Array(WeekValue) });

export const ControlPoint = Type.Object({
  week: Type.String(),
  value: Type.Number(),
  ewma: Type.Number(),
  lower: Type.Number(),
  upper: Type.Number(),
  center: Type.Number(),
  out: Type.Number(),
});
export const ControlSeries = Type.Object({
  metric: Type.String(),
  baseline: Type.Object({ mean: Type.Number(), sigma: Type.Number() }),
  points: Type.Array(ControlPoint),
});

export const CycleStage = Type.Object({
  metric: Type.String(),
  n: Type.Number(),
  p50: Num,
  p85: Num,
  weekly: Type.Array(Type.Object({ week: Type.String(), n: Type.Number(), p50: Num, p85: Num })),
});

export const FlagSchema = Type.Object({
  subject: Type.Object({ type: Type.String(), id: Type.String(), name: Type.String() }),
  metric: Type.String(),
  direction: Type.Union([Type.Literal('dip'), Type.Literal('strength')]),
  since: Type.String(),
  until: Type.String(),
  baselineMean: Type.Number(),
  recentMean: Type.Number(),
  scope: Type.String(),
  evidence: Type.Object({
    metric: Type.String(),
    scope: Type.String(),
    id: Type.String(),
    from: Type.String(),
    to: Type.String(),
  }),
});

export const ReviewGraph = Type.Object({
  nodes: Type.Array(
    Type.Object({ id: Type.String(), name: Type.String(), teamName: Type.String(), inTeam: Type.Boolean() }),
  ),
  edges: Type.Array(Type.Object({ from: Type.String(), to: Type.String(), reviews: Type.Number() })),
  withinTeamReviews: Type.Number(),
  crossTeamReviews: Type.Number(),
});

export const Totals = Type.Record(Type.String(), Num);

export const SprintVelocity = Type.Object({
  sprintId: Type.String(),
  name: Type.String(),
  project: Type.Union([Type.String(), Type.Null()]),
  startedAt: Type.Union([Type.String(), Type.Null()]),
  closedAt: Type.Union([Type.String(), Type.Null()]),
  issues: Type.Number(),
  points: Type.Number(),
});

export const TeamDashboard = Type.Object({
  team: Type.Object({ id: Type.String(), name: Type.String(), memberCount: Type.Number() }),
  range: Range,
  metrics: Type.Array(MetricInfo),
  totals: Totals,
  series: Type.Array(MetricSeries),
  control: Type.Array(ControlSeries),
  cycle: Type.Array(CycleStage),
  byProject: Type.Array(
    Type.Object({ project: Type.String(), commits: Type.Number(), prsMerged: Type.Number() }),
  ),
  sprints: Type.Array(SprintVelocity),
  graph: ReviewGraph,
  silos: Type.Object({
    singleOwnerAreas: Type.Array(Type.Object({ area: Type.String(), commits: Type.Number() })),
    areasTouched: Type.Number(),
  }),
  flags: Type.Array(FlagSchema),
});

export const PersonSignals = Type.Object({
  person: Type.Object({
    id: Type.String(),
    name: Type.String(),
    teamId: Type.Union([Type.String(), Type.Null()]),
  }),
  range: Range,
  metrics: Type.Array(MetricInfo),
  totals: Totals,
  control: Type.Array(ControlSeries),
  cycle: Type.Array(CycleStage),
  skills: Type.Object({
    areas: Type.Array(
      Type.Object({ name: Type.String(), total: Type.Number(), points: Type.Array(WeekValue) }),
    ),
    languages: Type.Array(
      Type.Object({ name: Type.String(), total: Type.Number(), points: Type.Array(WeekValue) }),
    ),
  }),
  glue: Type.Object({ reviewsGiven: Type.Number(), prsMerged: Type.Number(), teamReviewShare: Num }),
  flags: Type.Array(FlagSchema),
});

export const OrgOverview = Type.Object({
  range: Range,
  metrics: Type.Array(MetricInfo),
  totals: Totals,
  series: Type.Array(MetricSeries),
  cycle: Type.Array(CycleStage),
  teams: Type.Array(
    Type.Object({ id: Type.String(), name: Type.String(), memberCount: Type.Number(), totals: Totals }),
  ),
});

export const EvidenceQuery = Type.Object(
  {
    metric: Type.String({ minLength: 1, maxLength: 64 }),
    scope: Type.Union([Type.Literal('person'), Type.Literal('team'), Type.Literal('org')]),
    id: Type.Optional(Uuid),
    from: Type.Optional(IsoDate),
    to: Type.Optional(IsoDate),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    sprint: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: 'For sprint_issues / sprint_points: the sprint whose issues to list',
      }),
    ),
  },
  { additionalProperties: false },
);

export const EvidenceRow = Type.Object({
  at: Type.String(),
  kind: Type.String(),
  title: Type.String(),
  project: Type.Union([Type.String(), Type.Null()]),
  person: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]),
  url: Type.Union([Type.String(), Type.Null()]),
  sourceId: Type.String(),
  value: Type.Number(),
  detail: Type.String(),
});

export const Evidence = Type.Object({
  metric: MetricInfo,
  scope: Type.String(),
  id: Type.Union([Type.String(), Type.Null()]),
  range: Range,
  total: Type.Number(),
  value: Num,
  rows: Type.Array(EvidenceRow),
});

export const TeamParams = Type.Object({ id: Uuid });

export type TeamDashboardType = Static<typeof TeamDashboard>;
export type PersonSignalsType = Static<typeof PersonSignals>;
export type OrgOverviewType = Static<typeof OrgOverview>;
export type EvidenceType = Static<typeof Evidence>;
export type EvidenceRowType = Static<typeof EvidenceRow>;
export type FlagType = Static<typeof FlagSchema>;
export type CycleStageType = Static<typeof CycleStage>;
export type MetricInfoType = Static<typeof MetricInfo>;
export type ControlSeriesType = Static<typeof ControlSeries>;
export type SprintVelocityType = Static<typeof SprintVelocity>;
export type ReviewGraphType = Static<typeof ReviewGraph>;
