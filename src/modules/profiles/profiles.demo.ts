import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { SeededRandom } from '../demo/demo.random.js';
import {
  COMMUNICATION,
  DIMENSIONS,
  DRIVERS,
  ITEMS,
  scoreAnswers,
  type CommunicationKey,
  type Dimension,
} from './profiles.questionnaire.js';
import { insertSubmission } from './profiles.repository.js';

/** Share of current employees who have filled in the questionnaire in the demo. */
const COVERAGE = 0.85;
/** Share of those who changed their answers later (so the profile page shows history). */
const RESUBMITTED = 0.3;

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function answersFor(rng: SeededRandom, tendency: Record<Dimension, number>): Record<string, number> {
  const answers: Record<string, number> = {};
  for (const item of ITEMS) {
    const raw = Math.min(
      5,
      Math.max(1, tendency[item.dimension] + rng.int(-1, 1) * (rng.chance(0.5) ? 1 : 0)),
    );
    answers[item.id] = item.reverse ? 6 - raw : raw;
  }
  return answers;
}

function drawProfile(rng: SeededRandom, tendency: Record<Dimension, number>) {
  const communication = {} as Record<CommunicationKey, string>;
  for (const key of Object.keys(COMMUNICATION) as CommunicationKey[]) {
    const options: readonly { id: string }[] = COMMUNICATION[key].options;
    communication[key] = rng.pick(options).id;
  }
  const drivers = new Set<string>();
  const count = rng.int(1, 3);
  while (drivers.size < count) drivers.add(rng.pick(DRIVERS).id);
  return scoreAnswers({ answers: answersFor(rng, tendency), communication, drivers: [...drivers] });
}

/**
 * Work-style profiles for most current people of the demo organisation, deterministic for the seed:
 * varied styles (each dimension drawn from low to high), some people with an earlier submission so
 * the history shows. Resumable: people who already have a profile are skipped.
 */
export async function seedDemoProfiles(
  db: Kysely<DB>,
  options: { seed: number; referenceDate: string },
): Promise<number> {
  const people = await db
    .selectFrom('person')
    .leftJoin('profile_submission', 'profile_submission.person_id', 'person.id')
    .select(['person.id', 'person.email'])
    .where('person.leave_date', 'is', null)
    .where('profile_submission.id', 'is', null)
    .orderBy('person.email')
    .execute();
  const day = Date.parse(`${options.referenceDate}T09:00:00Z`);
  let created = 0;
  await db.transaction().execute(async (trx) => {
    for (const person of people) {
      const rng = new SeededRandom(hash(`${options.seed}:profile:${person.email.toLowerCase()}`));
      if (!rng.chance(COVERAGE)) continue;
      const tendency = Object.fromEntries(DIMENSIONS.map((d) => [d.id, rng.int(1, 5)])) as Record<
        Dimension,
        number
      >;
      if (rng.chance(RESUBMITTED)) {
        const earlier = { ...tendency };
        const moved = rng.pick(DIMENSIONS).id;
        earlier[moved] = Math.min(5, Math.max(1, earlier[moved] + (rng.chance(0.5) ? 2 : -2)));
        const firstAt = new Date(day - rng.int(120, 300) * 86_400_000);
        await insertSubmission(trx, person.id, drawProfile(rng, earlier), null, firstAt);
      }
      const at = new Date(day - rng.int(3, 90) * 86_400_000);
      await insertSubmission(trx, person.id, drawProfile(rng, tendency), null, at);
      created++;
    }
  });
  return created;
}
