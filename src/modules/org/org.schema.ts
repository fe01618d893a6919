import { Type, type Static } from '@sinclair/typebox';
import { IsoDate, IsoDateTime, Nullable, Uuid } from '../../shared/schemas.js';

/** Request and response schemas of the organisation module; `shared/api.ts` re-exports them for the web. */

export const TeamKindSchema = Type.Union([
  Type.Literal('company'),
  Type.Literal('department'),
  Type.Literal('team'),
]);
export const WorkModeSchema = Type.Union([
  Type.Literal('onsite'),
  Type.Literal('remote'),
  Type.Literal('hybrid'),
]);

export const TeamSummary = Type.Object({
  id: Uuid,
  name: Type.String(),
  slug: Type.String(),
  kind: TeamKindSchema,
  parentId: Nullable(Uuid),
  /** Current direct members who have not left. */
  memberCount: Type.Integer(),
});
export type TeamSummaryType = Static<typeof TeamSummary>;

export const PersonCard = Type.Object({
  id: Uuid,
  name: Type.String(),
  email: Type.String(),
  title: Nullable(Type.String()),
  teamId: Nullable(Uuid),
  teamName: Nullable(Type.String()),
  /** Today's manager. */
  managerId: Nullable(Uuid),
  /** False once the leave date has passed. */
  active: Type.Boolean(),
});
export type PersonCardType = Static<typeof PersonCard>;

export const TeamList = Type.Object({ items: Type.Array(TeamSummary) });

export const TeamDetail = Type.Object({
  team: Type.Intersect([TeamSummary, Type.Object({ description: Nullable(Type.String()) })]),
  /** Ancestors from the root down, excluding the team itself. */
  path: Type.Array(Type.Object({ id: Uuid, name: Type.String() })),
  children: Type.Array(TeamSummary),
  members: Type.Array(PersonCard),
});
export type TeamDetailType = Static<typeof TeamDetail>;

const TeamName = Type.String({ minLength: 1, maxLength: 200 });
const Description = Type.String({ maxLength: 4000 });

export const TeamCreateBody = Type.Object(
  {
    name: TeamName,
    kind: TeamKindSchema,
    parentId: Type.Optional(Nullable(Uuid)),
    description: Type.Optional(Nullable(Description)),
  },
  { additionalProperties: false },
);
export type TeamCreateInput = Static<typeof TeamCreateBody>;

export const TeamUpdateBody = Type.Object(
  {
    name: Type.Optional(TeamName),
    parentId: Type.Optional(Nullable(Uuid)),
    description: Type.Optional(Nullable(Description)),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type TeamUpdateInput = Static<typeof TeamUpdateBody>;

export const PeopleQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  teamId: Type.Optional(Uuid),
  /** With teamId: also people in the teams below it. */
  includeSubteams: Type.Optional(Type.Boolean({ default: false })),
  includeLeavers: Type.Optional(Type.Boolean({ default: false })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
});
export type PeopleQueryType = Static<typeof PeopleQuery>;

export const PeoplePage = Type.Object({
  items: Type.Array(PersonCard),
  nextCursor: Nullable(Type.String()),
});

export const PersonDetail = Type.Object({
  person: PersonCard,
  manager: Nullable(PersonCard),
  reports: Type.Array(PersonCard),
  /** Whether the caller may open the private profile page. */
  canViewProfile: Type.Boolean(),
});
export type PersonDetailType = Static<typeof PersonDetail>;

export const TenureBandSchema = Type.Union([
  Type.Literal('<1y'),
  Type.Literal('1-2y'),
  Type.Literal('2-5y'),
  Type.Literal('5-10y'),
  Type.Literal('10y+'),
]);
export type TenureBand = Static<typeof TenureBandSchema>;

export const Attributes = Type.Record(Type.String(), Type.String());

export const PersonProfile = Type.Intersect([
  PersonCard,
  Type.Object({
    employeeId: Nullable(Type.String()),
    level: Nullable(Type.String()),
    hireDate: Nullable(IsoDate),
    leaveDate: Nullable(IsoDate),
    leaveReason: Nullable(Type.String()),
    location: Nullable(Type.String()),
    timeZone: Type.String(),
    workMode: Nullable(WorkModeSchema),
    attributes: Attributes,
    segments: Type.Object({
      department: Nullable(Type.String()),
      level: Nullable(Type.String()),
      tenureBand: Nullable(TenureBandSchema),
      location: Nullable(Type.String()),
      workMode: Nullable(Type.String()),
    }),
    /** Newest first. */
    reportingHistory: Type.Array(
      Type.Object({
        managerId: Uuid,
        managerName: Type.String(),
        validFrom: IsoDate,
        validTo: Nullable(IsoDate),
      }),
    ),
    /** Today's managers above the person, nearest first (the direct manager, then skip levels). */
    skipLevelChain: Type.Array(PersonCard),
  }),
]);
export type PersonProfileType = Static<typeof PersonProfile>;

export const OrgChangeItem = Type.Object({
  id: Type.Integer(),
  at: IsoDateTime,
  entityType: Type.Union([Type.Literal('person'), Type.Literal('team'), Type.Literal('reporting_line')]),
  entityId: Uuid,
  change: Type.Union([Type.Literal('create'), Type.Literal('update'), Type.Literal('delete')]),
  source: Type.String(),
  actorAccountId: Nullable(Uuid),
  before: Nullable(Type.Record(Type.String(), Type.Unknown())),
  after: Nullable(Type.Record(Type.String(), Type.Unknown())),
});
export const PersonHistory = Type.Object({ items: Type.Array(OrgChangeItem) });
export type OrgChangeItemType = Static<typeof OrgChangeItem>;

const Email = Type.String({ format: 'email', maxLength: 320 });
const ShortText = Type.String({ maxLength: 200 });
const TimeZone = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'IANA time zone, e.g. Europe/Berlin',
});

const personFields = {
  employeeId: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
  title: Type.Optional(Nullable(ShortText)),
  level: Type.Optional(Nullable(ShortText)),
  teamId: Type.Optional(Nullable(Uuid)),
  hireDate: Type.Optional(Nullable(IsoDate)),
  leaveDate: Type.Optional(Nullable(IsoDate)),
  leaveReason: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  location: Type.Optional(Nullable(ShortText)),
  timeZone: Type.Optional(TimeZone),
  workMode: Type.Optional(Nullable(WorkModeSchema)),
  attributes: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), Type.String({ maxLength: 1000 }))),
};

export const PersonCreateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    email: Email,
    ...personFields,
    managerId: Type.Optional(Nullable(Uuid)),
    /** First day of the reporting line; default the hire date, or today. */
    managerSince: Type.Optional(IsoDate),
  },
  { additionalProperties: false },
);
export type PersonCreateInput = Static<typeof PersonCreateBody>;

export const PersonUpdateBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    email: Type.Optional(Email),
    ...personFields,
  },
  { additionalProperties: false, minProperties: 1 },
);
export type PersonUpdateInput = Static<typeof PersonUpdateBody>;

export const ManagerChangeBody = Type.Object(
  { managerId: Nullable(Uuid), effectiveFrom: IsoDate },
  { additionalProperties: false },
);
export type ManagerChangeInput = Static<typeof ManagerChangeBody>;

const SegmentCounts = Type.Array(Type.Object({ value: Nullable(Type.String()), count: Type.Integer() }));
export const OrgSegments = Type.Object({
  /** Active people only; `value: null` counts people with the field unset. */
  department: SegmentCounts,
  level: SegmentCounts,
  tenureBand: SegmentCounts,
  location: SegmentCounts,
  workMode: SegmentCounts,
  /** Custom attributes, by attribute name. */
  attributes: Type.Record(Type.String(), SegmentCounts),
});
export type OrgSegmentsType = Static<typeof OrgSegments>;

export const ImportQuery = Type.Object({ dryRun: Type.Optional(Type.Boolean({ default: false })) });
export const ImportBody = Type.Union([
  Type.Object({ csv: Type.String() }, { additionalProperties: false }),
  Type.String({ description: 'The CSV file itself, sent as text/csv' }),
]);

export const ImportErrorSchema = Type.Object({
  /** Line in the file (the header is line 1). */
  line: Type.Integer(),
  /** The column the problem is in, when it is in one. */
  column: Nullable(Type.String()),
  message: Type.String(),
});
export type ImportError = Static<typeof ImportErrorSchema>;

export const ImportReportSchema = Type.Object({
  dryRun: Type.Boolean(),
  rows: Type.Integer(),
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  teamsCreated: Type.Integer(),
  reportingLinesOpened: Type.Integer(),
  reportingLinesClosed: Type.Integer(),
  errors: Type.Array(ImportErrorSchema),
});
export type ImportReport = Static<typeof ImportReportSchema>;
