import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { AppError, invalidField } from '../../shared/app-error.js';
import { todayUtc } from '../access/access.service.js';
import type { CoachingEngagementCreateBodyType, CoachingEngagementType } from './engagements.schema.js';

/**
 * Coaching engagements: the coach relationships behind external coaching (set up by HR or an
 * administrator) and behind peer and upward coaching (created when such a conversation is first
 * scheduled). An engagement says only who coaches whom and when; what is said stays in the
 * conversations, which only the two of them read.
 */
type Db = Kysely<DB>;

function base(db: Db, asOf: string) {
  return db
    .selectFrom('coach_relationship as r')
    .innerJoin('person as coach', 'coach.id', 'r.coach_person_id')
    .innerJoin('person as coachee', 'coachee.id', 'r.coachee_person_id')
    .select([
      'r.id',
      'r.kind',
      'r.valid_from',
      'r.valid_to',
      'coach.id as coach_id',
      'coach.name as coach_name',
      'coach.title as coach_title',
      'coachee.id as coachee_id',
      'coachee.name as coachee_name',
      'coachee.title as coachee_title',
      sql<boolean>`r.valid_from <= ${asOf}::date and (r.valid_to is null or r.valid_to > ${asOf}::date)`.as(
        'active',
      ),
    ])
    .orderBy('r.valid_from', 'desc')
    .orderBy('coach.name');
}

type Row = Awaited<ReturnType<ReturnType<typeof base>['execute']>>[number];

function present(row: Row): CoachingEngagementType {
  return {
    id: row.id,
    kind: row.kind as CoachingEngagementType['kind'],
    coach: { id: row.coach_id, name: row.coach_name, title: row.coach_title },
    coachee: { id: row.coachee_id, name: row.coachee_name, title: row.coachee_title },
    validFrom: row.valid_from,
    validTo: row.valid_to,
    active: row.active,
  };
}

/** The engagements in which the person is coached (newest first). */
export async function listEngagementsOf(db: Db, coacheeId: string, now = new Date()) {
  const rows = await base(db, todayUtc(now)).where('r.coachee_person_id', '=', coacheeId).execute();
  return { items: rows.map(present) };
}

/** The engagements the person takes part in, as coach or as coachee. */
export async function listMyEngagements(db: Db, personId: string, now = new Date()) {
  const rows = await base(db, todayUtc(now))
    .where((eb) => eb.or([eb('r.coach_person_id', '=', personId), eb('r.coachee_person_id', '=', personId)]))
    .execute();
  return { items: rows.map(present) };
}

export async function getEngagement(db: Db, id: string, now = new Date()): Promise<CoachingEngagementType> {
  const row = await base(db, todayUtc(now)).where('r.id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found', 'No such coaching engagement.');
  return present(row);
}

/**
 * Starts an external coaching engagement for the coachee. The coach is a person in Cairn (an outside
 * coach gets a person record and an account); the same coach cannot have two overlapping engagements
 * with the same coachee.
 */
export async function createExternalEngagement(
  db: Db,
  coacheeId: string,
  body: CoachingEngagementCreateBodyType,
  now = new Date(),
): Promise<CoachingEngagementType> {
  const validFrom = body.validFrom ?? todayUtc(now);
  const validTo = body.validTo ?? null;
  if (body.coachPersonId === coacheeId)
    throw invalidField('/body/coachPersonId', 'a person cannot be their own coach');
  if (validTo !== null && validTo <= validFrom)
    throw invalidField('/body/validTo', `must be after validFrom (${validFrom})`);
  const people = await db
    .selectFrom('person')
    .select(['id', 'leave_date'])
    .where('id', 'in', [coacheeId, body.coachPersonId])
    .execute();
  if (!people.some((p) => p.id === coacheeId)) throw new AppError('not_found', 'No such person.');
  const coach = people.find((p) => p.id === body.coachPersonId);
  if (!coach) throw invalidField('/body/coachPersonId', 'no such person');
  if (coach.leave_date && coach.leave_date <= validFrom)
    throw invalidField('/body/coachPersonId', `this person left on ${coach.leave_date}`);

  const id = await db.transaction().execute(async (trx) => {
    // Serialise concurrent requests for the same pair, then look for an overlapping engagement.
    await sql`select pg_advisory_xact_lock(hashtext(${`coach:${body.coachPersonId}:${coacheeId}`}))`.execute(
      trx,
    );
    const overlap = await trx
      .selectFrom('coach_relationship')
      .select(['id', 'valid_from', 'valid_to'])
      .where('kind', '=', 'external')
      .where('coach_person_id', '=', body.coachPersonId)
      .where('coachee_person_id', '=', coacheeId)
      .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', validFrom)]))
      .$if(validTo !== null, (q) => q.where('valid_from', '<', validTo!))
      .executeTakeFirst();
    if (overlap)
      throw new AppError(
        'conflict',
        `This coach already has an engagement with this person from ${overlap.valid_from}${
          overlap.valid_to ? ` to ${overlap.valid_to}` : ''
        }.`,
        [{ path: '/body/coachPersonId', message: 'an overlapping engagement exists' }],
      );
    const row = await trx
      .insertInto('coach_relationship')
      .values({
        coach_person_id: body.coachPersonId,
        coachee_person_id: coacheeId,
        kind: 'external',
        valid_from: validFrom,
        valid_to: validTo,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
  return getEngagement(db, id, now);
}

/** Ends an engagement: from `validTo` (default today) the coach no longer has access. */
export async function endEngagement(
  db: Db,
  id: string,
  validTo: string | undefined,
  now = new Date(),
): Promise<CoachingEngagementType> {
  const current = await getEngagement(db, id, now);
  const end = validTo ?? todayUtc(now);
  if (end <= current.validFrom)
    throw invalidField('/body/validTo', `must be after the engagement's start (${current.validFrom})`);
  if (current.validTo !== null && current.validTo <= end)
    throw new AppError('conflict', `This engagement already ended on ${current.validTo}.`);
  await db.updateTable('coach_relationship').set({ valid_to: end }).where('id', '=', id).execute();
  return getEngagement(db, id, now);
}

/** The coachee of an engagement (the person whose access rules decide who may manage it). */
export async function engagementCoachee(db: Db, id: string): Promise<string> {
  const row = await db
    .selectFrom('coach_relationship')
    .select('coachee_person_id')
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', 'No such coaching engagement.');
  return row.coachee_person_id;
}
