import { Type, type Static } from '@sinclair/typebox';
import { IsoDateTime, Uuid } from '../../shared/schemas.js';

export const RoleSchema = Type.Union([Type.Literal('admin'), Type.Literal('hr'), Type.Literal('executive')]);

export const LoginBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 320 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

export const SessionInfo = Type.Object({
  account: Type.Object({
    id: Uuid,
    email: Type.String(),
    personId: Type.Union([Uuid, Type.Null()]),
    personName: Type.Union([Type.String(), Type.Null()]),
    roles: Type.Array(RoleSchema),
    /** True when this person manages anyone today. */
    isManager: Type.Boolean(),
  }),
  csrfToken: Type.String(),
  demo: Type.Boolean(),
  expiresAt: IsoDateTime,
});
export type SessionInfoType = Static<typeof SessionInfo>;

export const DemoInfo = Type.Object({
  demo: Type.Boolean(),
  /** Suggested demo logins (demo mode only). */
  logins: Type.Array(Type.Object({ email: Type.String(), name: Type.String(), role: Type.String() })),
});

export const ChangePasswordBody = Type.Object(
  { currentPassword: Type.String({ maxLength: 1024 }), newPassword: Type.String({ maxLength: 1024 }) },
  { additionalProperties: false },
);
export const ResetPasswordBody = Type.Object(
  { token: Type.String({ minLength: 10, maxLength: 200 }), newPassword: Type.String({ maxLength: 1024 }) },
  { additionalProperties: false },
);

export const TokenCreateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  },
  { additionalProperties: false },
);
export const TokenSummary = Type.Object({
  id: Uuid,
  name: Type.String(),
  prefix: Type.String(),
  createdAt: IsoDateTime,
  lastUsedAt: Type.Union([IsoDateTime, Type.Null()]),
  expiresAt: Type.Union([IsoDateTime, Type.Null()]),
  revokedAt: Type.Union([IsoDateTime, Type.Null()]),
});
export const TokenCreated = Type.Object({
  id: Uuid,
  name: Type.String(),
  token: Type.String({ description: 'Shown once; store it now.' }),
  expiresAt: Type.Union([IsoDateTime, Type.Null()]),
});

export const AccountSummary = Type.Object({
  id: Uuid,
  email: Type.String(),
  personId: Type.Union([Uuid, Type.Null()]),
  personName: Type.Union([Type.String(), Type.Null()]),
  roles: Type.Array(RoleSchema),
  isDemo: Type.Boolean(),
  disabled: Type.Boolean(),
  lastLoginAt: Type.Union([IsoDateTime, Type.Null()]),
  hrTeamIds: Type.Array(Uuid),
});
export type AccountSummaryType = Static<typeof AccountSummary>;

export const AccountCreateBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 320 }),
    personId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    roles: Type.Optional(Type.Array(RoleSchema, { uniqueItems: true })),
    hrTeamIds: Type.Optional(Type.Array(Uuid, { uniqueItems: true })),
  },
  { additionalProperties: false },
);
export const AccountUpdateBody = Type.Object(
  {
    roles: Type.Optional(Type.Array(RoleSchema, { uniqueItems: true })),
    disabled: Type.Optional(Type.Boolean()),
    hrTeamIds: Type.Optional(Type.Array(Uuid, { uniqueItems: true })),
  },
  { additionalProperties: false },
);
export const PasswordResetIssued = Type.Object({
  resetUrl: Type.String(),
  token: Type.String(),
  expiresAt: IsoDateTime,
});
