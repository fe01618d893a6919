import type { Static } from '@sinclair/typebox';
import type { AuditEntrySchema, AuditPage as AuditPageSchema } from '../../modules/access/audit.schema.js';
import type {
  AccountSummary as AccountSummarySchema,
  DemoInfo as DemoInfoSchema,
  PasswordResetIssued as PasswordResetIssuedSchema,
  RoleSchema,
  SessionInfoType,
  TokenCreated as TokenCreatedSchema,
  TokenSummary as TokenSummarySchema,
} from '../../modules/accounts/accounts.schema.js';

/*
 * Response types of the API, inferred from the server's own TypeBox schemas (type-only imports:
 * nothing of the server reaches the browser bundle). One source of truth: when a route's schema
 * changes, the web app stops compiling where it relied on the old shape.
 */

export type SessionInfo = SessionInfoType;
export type Role = Static<typeof RoleSchema>;
export type DemoInfo = Static<typeof DemoInfoSchema>;
export type DemoLogin = DemoInfo['logins'][number];
export type TokenSummary = Static<typeof TokenSummarySchema>;
export type TokenCreated = Static<typeof TokenCreatedSchema>;
export type AccountSummary = Static<typeof AccountSummarySchema>;
export type PasswordResetIssued = Static<typeof PasswordResetIssuedSchema>;
export type AuditEntry = Static<typeof AuditEntrySchema>;
export type AuditPage = Static<typeof AuditPageSchema>;

export interface Ok {
  ok: true;
}

export interface Paged<T> {
  items: T[];
  nextCursor: string | null;
}

export * from './org-types.js';
