import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import type {
  OpportunityEvidenceType,
  OpportunityFrameworkType,
  OpportunityPolarityType,
  OpportunityPriorityType,
} from './opportunities.schema.js';
import type { TriggerTemplate } from './opportunities.guide.js';

/**
 * The extension point of the coaching-opportunities engine: a registry of sources. Each source looks
 * at the scan context (managers, their current reports, the as-of day) and returns candidates; the
 * scan de-duplicates, rate-limits and delivers them. Built-in sources (signals, people, goals, work
 * moments) register in opportunities.builtins.ts; another module (surveys, for example) registers its
 * own with `registerOpportunitySource` and may bring guide templates for its triggers.
 */

export interface ReportLine {
  personId: string;
  name: string;
  managerId: string;
  teamId: string | null;
  hireDate: string | null;
  /** The day the current reporting line started. */
  lineFrom: string;
}

export interface ScanContext {
  db: Kysely<DB>;
  /** The day the scan is for, 'YYYY-MM-DD' (UTC). */
  asOf: string;
  /** Monday of asOf's week. */
  week: string;
  /** Current direct reports on asOf, by manager. */
  reportsByManager: Map<string, ReportLine[]>;
  /** Every current report line on asOf. */
  reports: ReportLine[];
  teamNames: Map<string, string>;
  /** Memoised loaders shared by sources (e.g. signal flags, loaded once per scan). */
  cache: Map<string, Promise<unknown>>;
}

export interface OpportunityCandidate {
  recipientPersonId: string;
  subject: { type: 'person' | 'team'; id: string };
  trigger: string;
  polarity: OpportunityPolarityType;
  priority: OpportunityPriorityType;
  framework: OpportunityFrameworkType;
  title: string;
  reason: string;
  /** With trigger and subject, the de-duplication key: the same moment is never raised twice. */
  period: string;
  evidence: OpportunityEvidenceType;
  /** Values the guide templates fill in ({metric}, {days}, …). */
  facts: Record<string, string | number | null>;
}

export interface OpportunitySource {
  id: string;
  description: string;
  collect(ctx: ScanContext): Promise<OpportunityCandidate[]>;
  /** Guide templates for the triggers this source raises (built-in triggers have theirs already). */
  templates?: Record<string, TriggerTemplate>;
}

const sources = new Map<string, OpportunitySource>();

/** Adds a source to the engine (replacing one with the same id). Call at module load. */
export function registerOpportunitySource(source: OpportunitySource): void {
  if (!/^[a-z][a-z0-9_.-]*$/.test(source.id))
    throw new Error(`opportunity source id "${source.id}" must be lower-case letters, digits, _ . -`);
  sources.set(source.id, source);
}

/** Removes a source (tests, or a module switched off). */
export function unregisterOpportunitySource(id: string): void {
  sources.delete(id);
}

/** The registered sources in registration order. */
export function listOpportunitySources(): OpportunitySource[] {
  return [...sources.values()];
}

/** The guide template an extension source declared for a trigger, if any. */
export function extensionTemplate(trigger: string): TriggerTemplate | undefined {
  for (const s of sources.values()) {
    const t = s.templates?.[trigger];
    if (t) return t;
  }
  return undefined;
}

/** The dedupe key of a candidate: trigger, subject and period. */
export function dedupeKeyOf(c: Pick<OpportunityCandidate, 'trigger' | 'subject' | 'period'>): string {
  return `${c.trigger}|${c.subject.type}:${c.subject.id}|${c.period}`;
}

/** Loads once per scan. */
export function memo<T>(ctx: ScanContext, key: string, load: () => Promise<T>): Promise<T> {
  let p = ctx.cache.get(key) as Promise<T> | undefined;
  if (!p) ctx.cache.set(key, (p = load()));
  return p;
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** ISO week label, e.g. '2026-W48', of the Monday `week`. */
export function isoWeekLabel(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const dayNum = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - dayNum + 3);
  const firstThursday = new Date(Date.UTC(d.getUTCFullYear(), 0, 4));
  const week =
    1 +
    Math.round(
      ((d.getTime() - firstThursday.getTime()) / 86_400_000 - 3 + ((firstThursday.getUTCDay() + 6) % 7)) / 7,
    );
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}
