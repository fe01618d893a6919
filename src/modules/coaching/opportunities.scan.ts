import type { Kysely } from 'kysely';
import type { PgBoss } from 'pg-boss';
import type { DB } from '../../db/types.js';
import { weekOf } from '../signals/signals.metrics.js';
import { deliverMoment } from './delivery.service.js';
import './opportunities.builtins.js';
import * as repo from './opportunities.repository.js';
import {
  dedupeKeyOf,
  listOpportunitySources,
  type OpportunityCandidate,
  type ReportLine,
  type ScanContext,
} from './opportunities.sources.js';

/**
 * The scan: runs every registered source for a day, drops what a recipient already has (same trigger,
 * subject and period), applies the weekly limit per recipient (highest priority first, at least one
 * growth moment kept when there is one), stores the rest and delivers each through `deliverMoment`.
 * Idempotent: a second scan for the same day creates nothing.
 */

/** Default cap on new opportunities per recipient per week (CAIRN_COACHING_MAX_PER_WEEK overrides). */
export const DEFAULT_MAX_PER_WEEK = 5;

export function maxPerWeekFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.CAIRN_COACHING_MAX_PER_WEEK;
  if (raw === undefined || raw === '') return DEFAULT_MAX_PER_WEEK;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 50)
    throw new Error(`CAIRN_COACHING_MAX_PER_WEEK must be a whole number from 1 to 50 (got "${raw}")`);
  return n;
}

export interface ScanOptions {
  /** 'YYYY-MM-DD'; default today (UTC). */
  asOf?: string;
  maxPerWeek?: number;
  boss?: PgBoss | undefined;
  publicUrl?: string | undefined;
  /** Deliver through the inbox / webhooks (default true). */
  deliver?: boolean;
  onProgress?: (p: { source: string; done: number; total: number }) => void;
}

export interface ScanResult {
  asOf: string;
  week: string;
  recipients: number;
  candidates: number;
  created: number;
  duplicates: number;
  suppressed: number;
  woken: number;
  bySource: Record<string, number>;
  errors: { source: string; message: string }[];
  durationMs: number;
}

const RANK = { high: 0, medium: 1, low: 2 } as const;

/** Picks at most `room` candidates: priority first, polarities interleaved, both corrective and growth kept when there are both. */
export function selectWithinLimit(
  candidates: OpportunityCandidate[],
  room: number,
): { kept: OpportunityCandidate[]; held: OpportunityCandidate[] } {
  if (room <= 0) return { kept: [], held: [...candidates] };
  const seen = new Map<string, number>();
  const ordered = [...candidates]
    .map((c, i) => ({ c, i }))
    .sort((a, b) => RANK[a.c.priority] - RANK[b.c.priority] || a.i - b.i)
    .map(({ c }) => {
      const k = `${c.priority}|${c.polarity}`;
      const n = seen.get(k) ?? 0;
      seen.set(k, n + 1);
      return { c, turn: n };
    })
    .sort((a, b) => RANK[a.c.priority] - RANK[b.c.priority] || a.turn - b.turn)
    .map(({ c }) => c);
  const kept = ordered.slice(0, room);
  const held = ordered.slice(room);
  // Coach high performers too, and do not hide a problem behind praise: when a kind is missing from
  // what fits, its best candidate takes the place of the last (lowest) one of the other kind.
  const corrective = (c: OpportunityCandidate) => c.polarity !== 'growth';
  for (const wanted of [(c: OpportunityCandidate) => !corrective(c), corrective]) {
    if (room < 2 || kept.some(wanted)) continue;
    const i = held.findIndex(wanted);
    if (i < 0) continue;
    let last = kept.length - 1;
    while (last >= 0 && wanted(kept[last]!)) last--;
    if (last < 0 || kept.filter((c) => !wanted(c)).length < 2) continue;
    const [out] = kept.splice(last, 1);
    kept.push(held.splice(i, 1)[0]!);
    held.unshift(out!);
  }
  return { kept, held };
}

/** Runs the scan for one day. */
export async function scanOpportunities(db: Kysely<DB>, options: ScanOptions = {}): Promise<ScanResult> {
  const started = Date.now();
  const asOf = options.asOf ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`)))
    throw new Error(`--as-of must be a date YYYY-MM-DD (got "${asOf}")`);
  const maxPerWeek = options.maxPerWeek ?? maxPerWeekFromEnv();
  const week = weekOf(`${asOf}T00:00:00Z`);
  const woken = await repo.wakeSnoozed(db, asOf);
  const reports = await repo.findReportLines(db, asOf);
  const reportsByManager = new Map<string, ReportLine[]>();
  for (const r of reports)
    reportsByManager.set(r.managerId, [...(reportsByManager.get(r.managerId) ?? []), r]);
  const ctx: ScanContext = {
    db,
    asOf,
    week,
    reports,
    reportsByManager,
    teamNames: await repo.findTeamNames(db),
    cache: new Map(),
  };

  const sources = listOpportunitySources();
  const bySource: Record<string, number> = {};
  const errors: ScanResult['errors'] = [];
  const all: OpportunityCandidate[] = [];
  for (const [i, source] of sources.entries()) {
    try {
      const found = await source.collect(ctx);
      bySource[source.id] = found.length;
      all.push(...found);
    } catch (error) {
      errors.push({ source: source.id, message: (error as Error).message });
    }
    options.onProgress?.({ source: source.id, done: i + 1, total: sources.length });
  }

  // One candidate per recipient and key (two sources may raise the same moment).
  const unique = new Map<string, OpportunityCandidate>();
  for (const c of all) {
    const k = `${c.recipientPersonId}#${dedupeKeyOf(c)}`;
    if (!unique.has(k)) unique.set(k, c);
  }
  const recipients = [...new Set([...unique.values()].map((c) => c.recipientPersonId))];
  const existing = await repo.findExistingKeys(db, recipients);
  const fresh = [...unique.entries()].filter(([k]) => !existing.has(k)).map(([, c]) => c);
  const duplicates = unique.size - fresh.length;
  const already = await repo.countCreatedInWeek(db, recipients, week);

  const toCreate: OpportunityCandidate[] = [];
  const held: OpportunityCandidate[] = [];
  for (const recipient of recipients) {
    const mine = fresh.filter((c) => c.recipientPersonId === recipient);
    const pick = selectWithinLimit(mine, maxPerWeek - (already.get(recipient) ?? 0));
    toCreate.push(...pick.kept);
    held.push(...pick.held);
  }

  const created: { id: string; c: OpportunityCandidate }[] = [];
  if (toCreate.length) {
    const rows = await db
      .insertInto('coaching_opportunity')
      .values(
        toCreate.map((c) => ({
          recipient_person_id: c.recipientPersonId,
          subject_type: c.subject.type,
          subject_person_id: c.subject.type === 'person' ? c.subject.id : null,
          subject_team_id: c.subject.type === 'team' ? c.subject.id : null,
          trigger: c.trigger,
          polarity: c.polarity,
          priority: c.priority,
          framework: c.framework,
          title: c.title,
          reason: c.reason,
          evidence: JSON.stringify(c.evidence),
          facts: JSON.stringify(c.facts),
          period: c.period,
          dedupe_key: dedupeKeyOf(c),
          scan_week: week,
        })),
      )
      .onConflict((oc) => oc.columns(['recipient_person_id', 'dedupe_key']).doNothing())
      .returning(['id', 'recipient_person_id', 'dedupe_key'])
      .execute();
    const byKey = new Map(toCreate.map((c) => [`${c.recipientPersonId}#${dedupeKeyOf(c)}`, c]));
    for (const r of rows)
      created.push({ id: r.id, c: byKey.get(`${r.recipient_person_id}#${r.dedupe_key}`)! });
  }
  if (held.length) {
    await db
      .insertInto('coaching_opportunity_suppressed')
      .values(
        held.map((c) => ({
          recipient_person_id: c.recipientPersonId,
          scan_week: week,
          dedupe_key: dedupeKeyOf(c),
          priority: c.priority,
        })),
      )
      .onConflict((oc) => oc.columns(['recipient_person_id', 'scan_week', 'dedupe_key']).doNothing())
      .execute();
  }

  if (options.deliver !== false) {
    for (const { id, c } of created) {
      const { itemId } = await deliverMoment(
        db,
        options.boss,
        {
          recipientPersonId: c.recipientPersonId,
          subjectPersonId: c.subject.type === 'person' ? c.subject.id : null,
          kind: 'coaching_opportunity',
          title: c.title,
          body: c.reason,
          link: `/coaching/opportunities/${id}`,
          dedupeKey: `opportunity:${id}`,
        },
        { publicUrl: options.publicUrl },
      );
      if (itemId)
        await db
          .updateTable('coaching_opportunity')
          .set({ inbox_item_id: itemId })
          .where('id', '=', id)
          .execute();
    }
  }

  return {
    asOf,
    week,
    recipients: recipients.length,
    candidates: unique.size,
    created: created.length,
    duplicates,
    suppressed: held.length,
    woken,
    bySource,
    errors,
    durationMs: Date.now() - started,
  };
}
