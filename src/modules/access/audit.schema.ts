import { Type } from '@sinclair/typebox';
import { IsoDateTime } from '../../shared/schemas.js';

export const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  at: IsoDateTime,
  actorAccountId: Type.Union([Type.String(), Type.Null()]),
  actor: Type.String(),
  action: Type.String(),
  resourceType: Type.String(),
  resourceId: Type.Union([Type.String(), Type.Null()]),
  decision: Type.Union([Type.Literal('allow'), Type.Literal('deny')]),
  reason: Type.Union([Type.String(), Type.Null()]),
  dataClass: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  requestId: Type.Union([Type.String(), Type.Null()]),
});

export const AuditQuerySchema = Type.Object({
  decision: Type.Optional(Type.Union([Type.Literal('allow'), Type.Literal('deny')])),
  action: Type.Optional(Type.String({ maxLength: 100 })),
  actorAccountId: Type.Optional(Type.String({ format: 'uuid' })),
  resourceType: Type.Optional(Type.String({ maxLength: 50 })),
  resourceId: Type.Optional(Type.String({ maxLength: 100 })),
  before: Type.Optional(Type.Integer({ minimum: 1, description: 'Cursor: entries with a smaller id' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
});

export const AuditPage = Type.Object({
  items: Type.Array(AuditEntrySchema),
  nextCursor: Type.Union([Type.Integer(), Type.Null()]),
});
