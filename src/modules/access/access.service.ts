import type { Kysely } from 'kysely';
import { AppError } from '../../shared/app-error.js';
import type { DB } from '../../db/types.js';
import { POLICY, type Action } from './access.policy.js';
import { addOpportunityRelations } from './access.coaching.js';
import { addCoachingDraftRelations } from './access.coaching-ai.js';
import { addConversationRelations } from './access.conversations.js';
import { addGoalRelations, addTeamLeadRelations } from './access.goals.js';
import * as repo from './access.repository.js';
import { signalsTeamRelations } from './access.signals.js';
import type { Actor, Decision, Relation, Resource } from './access.types.js';

export interface RequestInfo {
  ip: string | null;
  requestId: string | null;
}

const NO_REQUEST: RequestInfo = { ip: null, requestId: null };

/** Today's date in UTC as 'YYYY-MM-DD': the day on which dated relationships are evaluated. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Every relation the actor holds to the resource today (self, manager chain, HR scope, roles …). */
export async function resolveRelations(
  db: Kysely<DB>,
  actor: Actor,
  resource: Resource,
): Promise<Set<Relation>> {
  const relations = new Set<Relation>();
  if (actor.kind !== 'account') return relations;
  relations.add('authenticated');
  for (const role of actor.roles) relations.add(role);
  const asOf = todayUtc();

  if (resource.type === 'self') relations.add('self');

  if (resource.type === 'person') {
    const facts = await repo.findPersonRelationFacts(
      db,
      { personId: actor.personId, accountId: actor.accountId, isHr: actor.roles.includes('hr') },
      resource.id,
      asOf,
    );
    if (actor.personId) {
      if (actor.personId === resource.id) relations.add('self');
      else {
        if (facts.chainDepth !== null) {
          relations.add(facts.chainDepth === 1 ? 'manager' : 'skip_level_manager');
        } else if (facts.wasManager) relations.add('former_manager');
        if (facts.isCoach) relations.add('coach');
        if (facts.targetTeamId && facts.actorTeamId === facts.targetTeamId) relations.add('peer');
      }
    }
    if (facts.inHrScope) relations.add('hr_partner');
  }

  if (resource.type === 'conversation') await addConversationRelations(db, actor, resource.id, relations);

  if (resource.type === 'team') {
    if (actor.roles.includes('hr') && (await repo.isTeamInHrScope(db, actor.accountId, resource.id))) {
      relations.add('hr_partner');
    }
    if (actor.personId) {
      for (const r of await signalsTeamRelations(db, actor.personId, resource.id, asOf)) relations.add(r);
    }
    await addTeamLeadRelations(db, actor, resource.id, asOf, relations);
  }
  if (resource.type === 'goal') await addGoalRelations(db, actor, resource.id, asOf, relations);
  if (resource.type === 'coaching_opportunity')
    await addOpportunityRelations(db, actor, resource.id, asOf, relations);
  if (resource.type === 'coaching_draft') await addCoachingDraftRelations(db, actor, resource.id, relations);
  return relations;
}

/** Decides, without side effects, whether the actor may perform the action on the resource. */
export async function decide(
  db: Kysely<DB>,
  actor: Actor,
  action: Action,
  resource: Resource,
): Promise<Decision> {
  const rule = POLICY[action];
  if (rule.resource !== resource.type) {
    throw new Error(`Action ${action} applies to ${rule.resource}, not ${resource.type}`);
  }
  const relations = await resolveRelations(db, actor, resource);
  const granted = rule.allow.find((r) => relations.has(r));
  const list = [...relations];
  if (actor.kind === 'anonymous') return { allowed: false, relations: list, reason: 'not signed in' };
  if (granted) return { allowed: true, relations: list, reason: `as ${granted}` };
  return {
    allowed: false,
    relations: list,
    reason: `requires ${rule.allow.join(' or ')}; actor is ${list.filter((r) => r !== 'authenticated').join(', ') || 'unrelated'}`,
  };
}

/** Convenience boolean form of `decide` for code that only branches (no audit). */
export async function can(
  db: Kysely<DB>,
  actor: Actor,
  action: Action,
  resource: Resource,
): Promise<boolean> {
  return (await decide(db, actor, action, resource)).allowed;
}

/**
 * The policy entry point routes use: decides, writes the audit entry (every denial; allowed reads of
 * sensitive data), and throws `forbidden` / `unauthenticated` when refused.
 */
export async function authorize(
  db: Kysely<DB>,
  actor: Actor,
  action: Action,
  resource: Resource,
  request: RequestInfo = NO_REQUEST,
): Promise<Decision> {
  const decision = await decide(db, actor, action, resource);
  const rule = POLICY[action];
  if (!decision.allowed || rule.auditAllow) {
    await recordAudit(db, actor, action, resource, decision, request);
  }
  if (!decision.allowed) {
    if (actor.kind === 'anonymous') throw new AppError('unauthenticated', 'Sign in to continue.');
    throw new AppError('forbidden', `You do not have access to this ${describe(resource)}.`);
  }
  return decision;
}

/** Records a decision made outside `authorize` (for example an unauthenticated request refused by the auth layer). */
export async function recordAudit(
  db: Kysely<DB>,
  actor: Actor,
  action: string,
  resource: Resource | { type: string; id?: string },
  decision: Pick<Decision, 'allowed' | 'reason'>,
  request: RequestInfo = NO_REQUEST,
): Promise<void> {
  const rule = (POLICY as Record<string, { dataClass: string } | undefined>)[action];
  await repo.insertAudit(db, {
    actorAccountId: actor.kind === 'account' ? actor.accountId : null,
    actorLabel: actor.kind === 'account' ? actor.email : 'anonymous',
    action,
    resourceType: resource.type,
    resourceId: 'id' in resource && resource.id ? resource.id : null,
    decision: decision.allowed ? 'allow' : 'deny',
    reason: decision.reason,
    dataClass: rule?.dataClass ?? null,
    ip: request.ip,
    requestId: request.requestId,
  });
}

function describe(resource: Resource): string {
  switch (resource.type) {
    case 'person':
      return 'person’s page';
    case 'audit_log':
      return 'audit log';
    case 'org':
      return 'organisation data';
    default:
      return resource.type;
  }
}
