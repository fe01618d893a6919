import { Type, type Static } from '@sinclair/typebox';
import { IsoDate, IsoDateTime, Nullable, Uuid } from '../../shared/schemas.js';

/** API schemas of the work-data module (connections, runs, quarantine, identities, person events). */

const Json = Type.Record(Type.String(), Type.Unknown());

export const ConnectionKindSchema = Type.Union([
  Type.Literal('git'),
  Type.Literal('github'),
  Type.Literal('jira'),
  Type.Literal('metrics'),
]);

export const RunView = Type.Object({
  id: Uuid,
  connectionId: Uuid,
  trigger: Type.String(),
  status: Type.Union([
    Type.Literal('queued'),
    Type.Literal('running'),
    Type.Literal('succeeded'),
    Type.Literal('failed'),
  ]),
  queuedAt: IsoDateTime,
  startedAt: Nullable(IsoDateTime),
  finishedAt: Nullable(IsoDateTime),
  read: Type.Integer(),
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  rejected: Type.Integer(),
  unmatched: Type.Integer(),
  progress: Json,
  error: Nullable(Type.String()),
});
export type RunViewType = Static<typeof RunView>;

export const ConnectionView = Type.Object({
  id: Uuid,
  kind: ConnectionKindSchema,
  name: Type.String(),
  /** Secrets inside config (token, password …) are shown as "********". */
  config: Json,
  hasSecret: Type.Boolean(),
  cursor: Json,
  status: Type.String(),
  lastRunAt: Nullable(IsoDateTime),
  lastSuccessAt: Nullable(IsoDateTime),
  lastError: Nullable(Type.String()),
  createdAt: IsoDateTime,
  lastRun: Nullable(RunView),
  pendingQuarantine: Type.Integer(),
  /** Where the source should deliver webhooks (GitHub/Jira), relative to the server. */
  webhookPath: Nullable(Type.String()),
});
export type ConnectionViewType = Static<typeof ConnectionView>;

export const ConnectionList = Type.Object({ items: Type.Array(ConnectionView) });

export const ConnectionCreateBody = Type.Object(
  {
    kind: ConnectionKindSchema,
    name: Type.String({ minLength: 1, maxLength: 120 }),
    config: Type.Optional(Json),
    /** A webhook secret, or true to generate one (returned once, in `secret`). */
    secret: Type.Optional(Type.Union([Type.String({ minLength: 8 }), Type.Boolean()])),
  },
  { additionalProperties: false },
);

export const ConnectionUpdateBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
    config: Type.Optional(Json),
    secret: Type.Optional(Type.Union([Type.String({ minLength: 8 }), Type.Boolean(), Type.Null()])),
    enabled: Type.Optional(Type.Boolean()),
    /** Forget the cursor: the next run imports everything again (idempotent). */
    resetCursor: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const ConnectionCreated = Type.Intersect([
  ConnectionView,
  Type.Object({ secret: Type.Optional(Type.String()) }),
]);

export const TestResult = Type.Object({ ok: Type.Boolean(), message: Type.String() });
export const RunQueued = Type.Object({ runId: Uuid });
export const RunList = Type.Object({ items: Type.Array(RunView) });
export const RunListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
});

export const QuarantineView = Type.Object({
  id: Uuid,
  connectionId: Nullable(Uuid),
  connectionName: Nullable(Type.String()),
  runId: Nullable(Uuid),
  source: Type.String(),
  recordRef: Type.String(),
  field: Nullable(Type.String()),
  problem: Type.String(),
  status: Type.String(),
  attempts: Type.Integer(),
  createdAt: IsoDateTime,
  lastAttemptAt: Nullable(IsoDateTime),
});
export const QuarantineDetail = Type.Intersect([QuarantineView, Type.Object({ raw: Type.Unknown() })]);
export const QuarantinePage = Type.Object({ items: Type.Array(QuarantineView), total: Type.Integer() });
export const QuarantineQuery = Type.Object({
  status: Type.Optional(
    Type.Union([
      Type.Literal('pending'),
      Type.Literal('resolved'),
      Type.Literal('discarded'),
      Type.Literal('all'),
    ]),
  ),
  connectionId: Type.Optional(Uuid),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
});
export const RetryResult = Type.Object({
  status: Type.Union([Type.Literal('resolved'), Type.Literal('pending')]),
  problem: Nullable(Type.String()),
});

export const IdentityView = Type.Object({
  id: Uuid,
  source: Type.String(),
  externalId: Type.String(),
  login: Nullable(Type.String()),
  email: Nullable(Type.String()),
  displayName: Nullable(Type.String()),
  isBot: Type.Boolean(),
  personId: Nullable(Uuid),
  personName: Nullable(Type.String()),
  mappedBy: Nullable(Type.String()),
  eventCount: Type.Integer(),
  lastEventAt: Nullable(IsoDateTime),
});
export type IdentityViewType = Static<typeof IdentityView>;
export const IdentityPage = Type.Object({ items: Type.Array(IdentityView), total: Type.Integer() });
export const IdentityQuery = Type.Object({
  status: Type.Optional(
    Type.Union([
      Type.Literal('unmatched'),
      Type.Literal('matched'),
      Type.Literal('bot'),
      Type.Literal('all'),
    ]),
  ),
  q: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
});
export const IdentityMapBody = Type.Object({ personId: Uuid }, { additionalProperties: false });
export const IdentityBotBody = Type.Object({ isBot: Type.Boolean() }, { additionalProperties: false });

export const WorkEventView = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  source: Type.String(),
  sourceId: Type.String(),
  occurredAt: IsoDateTime,
  project: Nullable(Type.String()),
  itemSourceId: Nullable(Type.String()),
  attributes: Json,
  identity: Nullable(Type.Object({ id: Uuid, source: Type.String(), label: Type.String() })),
});
export type WorkEventViewType = Static<typeof WorkEventView>;
export const WorkEventPage = Type.Object({ items: Type.Array(WorkEventView), total: Type.Integer() });
export const WorkEventQuery = Type.Object({
  kind: Type.Optional(
    Type.String({ maxLength: 100, description: 'One kind, or several separated by commas' }),
  ),
  from: Type.Optional(IsoDate),
  to: Type.Optional(IsoDate),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
});

/** Body of actions that take no input (test, run now, retry, discard, unmap): `{}` or nothing. */
export { NoBody } from '../../shared/schemas.js';
