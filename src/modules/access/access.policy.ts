import type { DataClass, Relation, ResourceType } from './access.types.js';

/**
 * The policy: every action Cairn authorises, the data class it touches, and the relations that
 * may perform it. This table is the single place that decides who may see what; routes call
 * `authorize()` with an action from here and never test roles themselves.
 */
export interface PolicyRule {
  resource: ResourceType;
  dataClass: DataClass;
  allow: readonly Relation[];
  /** Audit allowed calls too (reads of sensitive data, administrative changes). Denials are always audited. */
  auditAllow: boolean;
  description: string;
}

const MANAGEMENT_CHAIN = ['manager', 'skip_level_manager'] as const;

export const POLICY = {
  // Directory information: the people and teams of the organisation.
  'person.list': rule('org', 'directory', ['authenticated'], false, 'List people (directory fields)'),
  'person.read': rule('person', 'directory', ['authenticated'], false, 'Read a person’s directory card'),
  'team.read': rule('team', 'directory', ['authenticated'], false, 'Read a team and its members'),
  'team.list': rule('org', 'directory', ['authenticated'], false, 'List teams / the org tree'),

  // Personal employment data: the person page.
  'person.read_profile': rule(
    'person',
    'personal',
    ['self', ...MANAGEMENT_CHAIN, 'hr_partner', 'admin'],
    true,
    'Read employment details and reporting history',
  ),
  'person.update': rule('person', 'personal', ['hr_partner', 'admin'], true, 'Change a person’s record'),
  'person.create': rule('org', 'personal', ['hr', 'admin'], true, 'Add a person'),
  'team.create': rule('org', 'directory', ['hr', 'admin'], true, 'Add a team'),
  'team.update': rule('team', 'directory', ['hr_partner', 'admin'], true, 'Rename or move a team'),
  'org.import': rule('org', 'personal', ['hr', 'admin'], true, 'Import people from an HRIS export'),
  'org.segments': rule(
    'org',
    'personal',
    ['hr', 'admin', 'executive'],
    false,
    'Segment counts across the org',
  ),

  // Development data (coaching notes, profiles, opportunities): the development/compensation wall.
  'development.read': rule(
    'person',
    'development',
    ['self', ...MANAGEMENT_CHAIN, 'coach'],
    true,
    'Read development data',
  ),
  'development.write': rule(
    'person',
    'development',
    ['self', 'manager', 'coach'],
    true,
    'Write development data',
  ),

  // Compensation and review data: never coaches, never peers.
  'compensation.read': rule(
    'person',
    'compensation',
    ['self', ...MANAGEMENT_CHAIN, 'hr_partner'],
    true,
    'Read compensation and review data',
  ),

  // System administration.
  'audit.read': rule('audit_log', 'system', ['admin'], false, 'Read the audit log'),
  'account.list': rule('account', 'system', ['admin'], false, 'List accounts'),
  'account.manage': rule('account', 'system', ['admin'], true, 'Create accounts, change roles, disable'),
  'account.reset_password': rule('account', 'system', ['admin'], true, 'Issue a password-reset link'),
  'self.tokens': rule('self', 'system', ['self'], false, 'Manage one’s own API tokens'),

  // ingest
  'ingest.read': rule(
    'org',
    'system',
    ['admin'],
    false,
    'See work-data connections, runs, quarantine and identities',
  ),
  'ingest.manage': rule(
    'org',
    'system',
    ['admin'],
    true,
    'Create, change, run and delete connections; retry quarantine; map identities',
  ),
  'work_events.read': rule(
    'person',
    'personal',
    ['self', ...MANAGEMENT_CHAIN, 'admin'],
    true,
    'Read a person’s work events (the evidence behind their signals)',
  ),

  // profiles
  'profile.questionnaire': rule(
    'org',
    'directory',
    ['authenticated'],
    false,
    'Read the work-style questionnaire',
  ),
  'profile.read': rule(
    'person',
    'development',
    ['self', ...MANAGEMENT_CHAIN, 'coach'],
    true,
    'Read a person’s work-style profile and its history',
  ),
  'profile.write': rule(
    'person',
    'development',
    ['self'],
    true,
    'Fill in or change one’s own work-style profile',
  ),

  // coaching
  'coaching.inbox': rule('self', 'development', ['self'], false, 'Read and mark one’s own coaching inbox'),
  'coaching.digest_settings': rule(
    'self',
    'system',
    ['self'],
    false,
    'Change one’s own e-mail digest settings',
  ),
  'coaching.delivery.read': rule(
    'org',
    'system',
    ['admin'],
    false,
    'See webhook endpoints, their delivery log and the SMTP status',
  ),
  'coaching.delivery.manage': rule(
    'org',
    'system',
    ['admin'],
    true,
    'Add, test and delete webhook endpoints',
  ),
} as const satisfies Record<string, PolicyRule>;

export type Action = keyof typeof POLICY;

function rule(
  resource: ResourceType,
  dataClass: DataClass,
  allow: readonly Relation[],
  auditAllow: boolean,
  description: string,
): PolicyRule {
  return { resource, dataClass, allow, auditAllow, description };
}
