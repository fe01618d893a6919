import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { scanOpportunities } from './opportunities.scan.js';

/**
 * The demo's coaching opportunities: the real scan over the demo's own data for its reference day
 * (follow-ups, career talks, ramp-ups, stalled goals, sprints, coaching consistency). Signal-based
 * opportunities follow once the server has built the signals: their update triggers a scan.
 */
export async function seedDemoOpportunities(
  db: Kysely<DB>,
  options: { referenceDate: string; log?: (line: string) => void },
): Promise<void> {
  const r = await scanOpportunities(db, { asOf: options.referenceDate });
  options.log?.(
    `Coaching opportunities: ${r.created} for ${r.recipients} managers (${r.suppressed} held back by the weekly limit).`,
  );
}
