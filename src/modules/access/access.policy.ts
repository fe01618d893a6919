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

  // conversations — development data: only participants, never HR, admins, executives or the
  // management chain of a participant (see docs/conversations.md).
  'conversation.list': rule(
    'self',
    'development',
    ['self'],
    false,
    'List one’s own conversations and actions',
  ),
  'conversation.search': rule(
    'self',
    'development',
    ['self'],
    true,
    'Search the text of one’s own conversations (shared notes, own private notes)',
  ),
  'conversation.create': rule(
    'self',
    'development',
    ['self'],
    true,
    'Schedule a conversation one takes part in',
  ),
  'conversation.read': rule(
    'conversation',
    'development',
    ['conversation_participant'],
    true,
    'Read a conversation with its notes (own private notes, shared notes)',
  ),
  'conversation.update': rule(
    'conversation',
    'development',
    ['conversation_participant'],
    false,
    'Edit schedule, status, agenda, actions and topics of a conversation',
  ),
  'conversation.write_note': rule(
    'conversation',
    'development',
    ['conversation_participant'],
    true,
    'Write, change or delete one’s own note in a conversation',
  ),
  'conversation.rate': rule(
    'conversation',
    'development',
    ['conversation_participant'],
    true,
    'Rate how helpful a conversation was (the employee / coachee)',
  ),
  'conversation.helpfulness': rule(
    'self',
    'development',
    ['self'],
    false,
    'Aggregate helpfulness of the conversations one led (above a minimum count)',
  ),
  'conversation.export': rule('self', 'development', ['self'], true, 'Export every conversation one may see'),
  // goals — a goal takes the relations of its owner (person, or team through its leads: access.goals.ts).
  // Public goals are readable by everyone signed in; private ones only by the owner and the management
  // chain (not HR, executives or admins). Evaluations are development data.
  'goal.list': rule(
    'org',
    'directory',
    ['authenticated'],
    false,
    'List goals and the alignment tree (each goal filtered by its visibility)',
  ),
  'goal.read': rule('goal', 'directory', ['authenticated'], false, 'Read a public goal'),
  'goal.read_private': rule(
    'goal',
    'development',
    ['self', ...MANAGEMENT_CHAIN],
    true,
    'Read a private goal (owner and management chain only)',
  ),
  'goal.create_personal': rule(
    'person',
    'directory',
    ['self', ...MANAGEMENT_CHAIN],
    true,
    'Set a goal for oneself or a report',
  ),
  'goal.create_team': rule(
    'team',
    'directory',
    [...MANAGEMENT_CHAIN, 'admin'],
    true,
    'Set a goal for a department or team one leads',
  ),
  'goal.create_company': rule(
    'team',
    'directory',
    ['manager', 'executive', 'admin'],
    true,
    'Set a company goal',
  ),
  'goal.update': rule(
    'goal',
    'directory',
    ['self', ...MANAGEMENT_CHAIN],
    true,
    'Change, align or check in on a personal goal',
  ),
  'goal.update_team': rule(
    'goal',
    'directory',
    [...MANAGEMENT_CHAIN, 'admin'],
    true,
    'Change, align or check in on a team or department goal',
  ),
  'goal.update_company': rule(
    'goal',
    'directory',
    ['manager', 'executive', 'admin'],
    true,
    'Change or check in on a company goal',
  ),
  'goal.evaluate': rule(
    'goal',
    'development',
    ['self', ...MANAGEMENT_CHAIN],
    true,
    'Evaluate a goal’s outcome (owner or manager assessment)',
  ),
  'goal.read_evaluation': rule(
    'goal',
    'development',
    ['self', ...MANAGEMENT_CHAIN],
    true,
    'Read the evaluations of a goal',
  ),
  'goal.stalled': rule(
    'self',
    'directory',
    ['self'],
    false,
    'List stalled goals of the people and teams one manages',
  ),
  'goal.reminders': rule('self', 'directory', ['self'], false, 'Read one’s own check-in reminders'),
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

  // signals
  'signals.definitions': rule('org', 'directory', ['authenticated'], false, 'Read the signal definitions'),
  'signals.org': rule(
    'org',
    'personal',
    ['admin', 'executive'],
    false,
    'Org overview of signals (team-level aggregates only)',
  ),
  'signals.team': rule(
    'team',
    'personal',
    ['team_member', 'team_manager', 'admin', 'executive'],
    false,
    'Team signals dashboard (team aggregates, review graph, team flags)',
  ),
  'signals.person': rule(
    'person',
    'personal',
    ['self', ...MANAGEMENT_CHAIN, 'admin'],
    true,
    'A person’s signals against their baseline, and the events behind them',
  ),
  'signals.stream': rule('self', 'system', ['self'], false, 'Receive live signal updates one may see'),
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
  // coaching engagements — who coaches whom and when (not what is said: that stays in the conversations).
  // HR partners and admins set up external coaching; the coachee and the coach see the engagement.
  'coaching_engagement.read': rule(
    'person',
    'personal',
    ['self', 'coach', 'hr_partner', 'admin'],
    true,
    'See who coaches a person and since when',
  ),
  'coaching_engagement.manage': rule(
    'person',
    'personal',
    ['hr_partner', 'admin'],
    true,
    'Start or end an external coaching engagement for a person',
  ),
  'coaching_engagement.list_mine': rule(
    'self',
    'personal',
    ['self'],
    false,
    'List the engagements one coaches or is coached in',
  ),
  // coaching opportunities — development data addressed to one manager: only that recipient, and only
  // while they still manage the subject (access.coaching.ts). Not the subject, skip-levels, peers, HR,
  // admins or executives (docs/coaching-opportunities.md, "Who sees an opportunity").
  'coaching.opportunity.list': rule(
    'self',
    'development',
    ['self'],
    false,
    'List the coaching opportunities addressed to me',
  ),
  'coaching.opportunity.read': rule(
    'coaching_opportunity',
    'development',
    ['opportunity_recipient'],
    true,
    'Read a coaching opportunity: evidence and conversation guide',
  ),
  'coaching.opportunity.update': rule(
    'coaching_opportunity',
    'development',
    ['opportunity_recipient'],
    true,
    'Act on, snooze or dismiss a coaching opportunity, or say whether it was useful',
  ),
  // coaching AI — settings are the administrator's (the key is write-only); drafting is open to anyone
  // who may read the opportunity (checked by the coaching engine), and a draft belongs to its author only.
  'coaching.ai.settings.read': rule(
    'org',
    'system',
    ['admin'],
    false,
    'See the AI endpoint settings (never the key)',
  ),
  'coaching.ai.settings.manage': rule(
    'org',
    'system',
    ['admin'],
    true,
    'Change or test the AI endpoint settings',
  ),
  'coaching.ai.status': rule(
    'org',
    'directory',
    ['authenticated'],
    false,
    'Whether AI drafting is available',
  ),
  'coaching.ai.draft': rule(
    'self',
    'development',
    ['self'],
    true,
    'Ask the AI endpoint for a draft about an opportunity one may read',
  ),
  'coaching.ai.draft.read': rule(
    'coaching_draft',
    'development',
    ['draft_author'],
    true,
    'Read one’s own AI draft with the messages sent',
  ),
  'coaching.ai.draft.decide': rule(
    'coaching_draft',
    'development',
    ['draft_author'],
    true,
    'Accept or discard one’s own AI draft',
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
