import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import * as repo from './conversations.repository.js';
import type { ConversationHelpfulnessType } from './conversations.schema.js';

/**
 * ConversationHelpfulness in aggregate for the person who led conversations (manager, coach, facilitator).
 *
 * A single rating is never exposed: ratings count only in whole blocks of HELPFULNESS_THRESHOLD,
 * oldest first, and nothing is shown until the counted ratings come from at least
 * HELPFULNESS_THRESHOLD different people. Because the figure moves only when a whole new block
 * completes, comparing it before and after one new rating reveals nothing (the differencing attack).
 * Comments are shown without author or date, sorted alphabetically, under the same rule.
 */
export const HELPFULNESS_THRESHOLD = 3;

export function aggregateHelpfulness(
  ratings: { rater_person_id: string; score: number; comment: string | null }[],
  threshold = HELPFULNESS_THRESHOLD,
): ConversationHelpfulnessType {
  const counted = ratings.slice(0, Math.floor(ratings.length / threshold) * threshold);
  const raters = new Set(counted.map((r) => r.rater_person_id));
  if (counted.length < threshold || raters.size < threshold) {
    return { threshold, visible: false, count: 0, mean: null, comments: [] };
  }
  const mean = counted.reduce((s, r) => s + r.score, 0) / counted.length;
  return {
    threshold,
    visible: true,
    count: counted.length,
    mean: Math.round(mean * 100) / 100,
    comments: counted
      .map((r) => r.comment)
      .filter((c): c is string => Boolean(c))
      .sort((a, b) => a.localeCompare(b)),
  };
}

/** The aggregate of ratings given to conversations the person led. */
export async function getHelpfulness(db: Kysely<DB>, personId: string): Promise<ConversationHelpfulnessType> {
  return aggregateHelpfulness(await repo.findRatingsOfLeader(db, personId));
}
