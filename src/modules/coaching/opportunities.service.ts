import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { AppError } from '../../shared/app-error.js';
import { authorize, can, todayUtc, type RequestInfo } from '../access/access.service.js';
import type { Actor } from '../access/access.types.js';
import { getCurrentStyles } from '../profiles/profiles.service.js';
import { weekOf } from '../signals/signals.metrics.js';
import { buildGuide, dominantStyle, triggerLabel } from './opportunities.guide.js';
import * as repo from './opportunities.repository.js';
import type {
  OpportunityDetailType,
  OpportunityEvidenceType,
  OpportunityListType,
  OpportunitySummaryType,
  SubjectStyleType,
} from './opportunities.schema.js';
import { extensionTemplate } from './opportunities.sources.js';
import type { OpportunityStatusValue } from './opportunities.tables.js';

/** Reading and acting on coaching opportunities (the scan that creates them is opportunities.scan.ts). */

function personOf(actor: Actor): string {
  if (actor.kind !== 'account' || !actor.personId)
    throw new AppError(
      'not_found',
      'Your account is not linked to a person, so it has no coaching opportunities.',
    );
  return actor.personId;
}

function present(r: repo.OpportunityRow): OpportunitySummaryType {
  return {
    id: r.id,
    trigger: r.trigger,
    triggerLabel: triggerLabel(r.trigger, extensionTemplate(r.trigger)),
    polarity: r.polarity,
    priority: r.priority,
    framework: r.framework,
    title: r.title,
    reason: r.reason,
    subject: {
      type: r.subject_type,
      id: (r.subject_type === 'person' ? r.subject_person_id : r.subject_team_id)!,
      name: r.subject_name,
    },
    status: r.status,
    snoozedUntil: r.snoozed_until,
    actedAt: r.acted_at ? r.acted_at.toISOString() : null,
    actedNote: r.acted_note,
    dismissReason: r.dismiss_reason,
    useful: r.useful,
    period: r.period,
    createdAt: r.created_at.toISOString(),
  };
}

/** The viewer's own opportunities (as recipient) in one status, with counts per status. */
export async function listMyOpportunities(
  db: Kysely<DB>,
  actor: Actor,
  status: OpportunityStatusValue | 'all',
  request?: RequestInfo,
): Promise<OpportunityListType> {
  await authorize(db, actor, 'coaching.opportunity.list', { type: 'self' }, request);
  const me = personOf(actor);
  const today = todayUtc();
  await repo.wakeSnoozed(db, today, me);
  const rows = await repo.listForRecipient(db, me, status);
  return { items: rows.map(present), counts: await repo.countByStatus(db, me, weekOf(`${today}T00:00:00Z`)) };
}

async function load(db: Kysely<DB>, id: string): Promise<repo.OpportunityRow> {
  const row = await repo.findOpportunity(db, id);
  if (!row)
    throw new AppError('not_found', 'No such coaching opportunity.', [
      { path: '/params/id', message: 'not found' },
    ]);
  return row;
}

/**
 * Exactly what this viewer may see of one opportunity: refused (and audited) unless the viewer is its
 * recipient and still manages the subject; the subject's work style (and a guide tailored to it) only
 * when the viewer may also read that profile. AI drafting builds its prompt from this and nothing else.
 */
export async function getOpportunityForViewer(
  db: Kysely<DB>,
  actor: Actor,
  id: string,
  request?: RequestInfo,
): Promise<OpportunityDetailType> {
  const row = await load(db, id);
  await authorize(db, actor, 'coaching.opportunity.read', { type: 'coaching_opportunity', id }, request);
  let subjectStyle: SubjectStyleType | null = null;
  if (
    row.subject_type === 'person' &&
    row.subject_person_id &&
    (await can(db, actor, 'profile.read', { type: 'person', id: row.subject_person_id }))
  ) {
    const style = (await getCurrentStyles(db, [row.subject_person_id])).get(row.subject_person_id);
    if (style)
      subjectStyle = {
        personId: style.personId,
        scores: style.scores,
        dominant: dominantStyle(style.scores),
        communication: style.communication,
        drivers: style.drivers,
      };
  }
  const facts = row.facts;
  const summary = present(row);
  const guide = buildGuide({
    trigger: row.trigger,
    framework: row.framework,
    facts,
    style: subjectStyle,
    subjectType: row.subject_type,
    extension: extensionTemplate(row.trigger),
  });
  const withPersonIds = row.subject_type === 'person' && row.subject_person_id ? [row.subject_person_id] : [];
  return {
    ...summary,
    evidence: row.evidence as OpportunityEvidenceType,
    guide,
    subjectStyle,
    conversation: {
      kind: row.subject_type === 'person' ? 'one_on_one' : 'debrief',
      withPersonIds,
      teamId: row.subject_type === 'team' ? row.subject_team_id : null,
      title: row.title.length > 200 ? `${row.title.slice(0, 197)}…` : row.title,
      prompt: { kind: 'coaching_opportunity', id: row.id },
      agenda: [guide.opening, ...guide.talkingPoints].slice(0, 5),
    },
  };
}

export type OpportunityAction =
  | { kind: 'act'; note?: string | undefined }
  | { kind: 'snooze'; until: string }
  | { kind: 'dismiss'; reason?: string | undefined }
  | { kind: 'feedback'; useful: boolean };

/** Acts on, snoozes, dismisses or rates one opportunity; returns the updated summary. */
export async function updateOpportunity(
  db: Kysely<DB>,
  actor: Actor,
  id: string,
  action: OpportunityAction,
  request?: RequestInfo,
): Promise<OpportunitySummaryType> {
  await load(db, id);
  await authorize(db, actor, 'coaching.opportunity.update', { type: 'coaching_opportunity', id }, request);
  const now = new Date();
  const today = todayUtc(now);
  let q = db.updateTable('coaching_opportunity').where('id', '=', id);
  switch (action.kind) {
    case 'act':
      q = q.set({
        status: 'acted',
        acted_at: now,
        acted_note: action.note?.trim() || null,
        snoozed_until: null,
        updated_at: now,
      });
      break;
    case 'snooze': {
      const until = action.until;
      if (Number.isNaN(Date.parse(`${until}T00:00:00Z`)) || until <= today)
        throw new AppError('validation_failed', 'Snooze until a day after today.', [
          { path: '/body/until', message: `must be a date after ${today}` },
        ]);
      const max = new Date(now.getTime() + 366 * 86_400_000).toISOString().slice(0, 10);
      if (until > max)
        throw new AppError('validation_failed', 'Snooze for at most a year.', [
          { path: '/body/until', message: `must be on or before ${max}` },
        ]);
      q = q.set({ status: 'snoozed', snoozed_until: until, updated_at: now });
      break;
    }
    case 'dismiss':
      q = q.set({
        status: 'dismissed',
        dismissed_at: now,
        dismiss_reason: action.reason?.trim() || null,
        snoozed_until: null,
        updated_at: now,
      });
      break;
    case 'feedback':
      q = q.set({ useful: action.useful, feedback_at: now, updated_at: now });
      break;
  }
  await q.execute();
  if (action.kind === 'act') {
    const row = await load(db, id);
    const itemId = await db
      .selectFrom('coaching_opportunity')
      .select('inbox_item_id')
      .where('id', '=', id)
      .executeTakeFirst();
    if (itemId?.inbox_item_id)
      await db
        .updateTable('coaching_inbox_item')
        .set({ acted_at: now, read_at: now })
        .where('id', '=', itemId.inbox_item_id)
        .execute();
    return present(row);
  }
  return present(await load(db, id));
}
