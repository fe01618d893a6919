import type { Role } from '../../db/types.js';

/** Who is making a request. Resolved once per request by the auth plugin. */
export type Actor =
  | { kind: 'anonymous' }
  | {
      kind: 'account';
      accountId: string;
      personId: string | null;
      email: string;
      roles: Role[];
      isDemo: boolean;
      /** How the request authenticated: a browser session (CSRF-checked) or a personal API token. */
      via: 'session' | 'token' | 'system';
    };

export const ANONYMOUS: Actor = { kind: 'anonymous' };

/**
 * What a piece of data is, for the walls between roles (PRODUCT.md §10).
 * - directory: name, title, team — visible to every signed-in person
 * - personal: employment details (hire/leave dates, location, custom attributes, reporting history)
 * - development: coaching notes, work-style profiles, coaching opportunities — never HR/admin/compensation roles
 * - compensation: review and pay data — never coaches
 * - system: accounts, audit log, settings
 */
export type DataClass = 'directory' | 'personal' | 'development' | 'compensation' | 'system';

/** How the actor stands to the resource. Computed by the access repository from dated relationships. */
export type Relation =
  | 'authenticated'
  | 'self'
  | 'manager'
  | 'skip_level_manager'
  | 'former_manager'
  | 'peer'
  | 'coach'
  | 'hr_partner'
  | 'hr'
  | 'admin'
  | 'executive'
  /** Takes part in the conversation (src/modules/access/access.conversations.ts). */
  | 'conversation_participant'
  // signals: a current member of the team / above one of its members in the management chain
  | 'team_member'
  | 'team_manager'
  /** The manager a coaching opportunity is addressed to, while still in charge of its subject (access.coaching.ts). */
  | 'opportunity_recipient'
  /** Wrote the AI draft (src/modules/access/access.coaching-ai.ts). */
  | 'draft_author';

export type Resource =
  | { type: 'person'; id: string }
  | { type: 'team'; id: string }
  | { type: 'org' }
  | { type: 'audit_log' }
  | { type: 'account'; id?: string }
  | { type: 'self' }
  | { type: 'conversation'; id: string }
  | { type: 'goal'; id: string }
  | { type: 'coaching_opportunity'; id: string }
  | { type: 'coaching_draft'; id: string };

export type ResourceType = Resource['type'];

export interface Decision {
  allowed: boolean;
  relations: Relation[];
  /** The relation that granted access, or why it was refused. */
  reason: string;
}
