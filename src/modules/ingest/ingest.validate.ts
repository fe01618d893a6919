import type { NormalisedEvent, NormalisedItem, NormalisedMetric, Rejection } from './ingest.model.js';

/** Record-level validation of normalised records: each problem names source, record and field. */

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ITEM_KINDS = new Set(['pull_request', 'issue', 'ticket']);

export function toDate(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'string' && value.trim()) {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value);
  return null;
}

export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

type Problem = { field: string; problem: string };

function checkIdentity(prefix: string, ref: unknown): Problem | null {
  if (ref === null || ref === undefined) return null;
  if (typeof ref !== 'object') return { field: prefix, problem: 'must be an identity object' };
  const r = ref as Record<string, unknown>;
  if (typeof r.source !== 'string' || !r.source) return { field: `${prefix}.source`, problem: 'is missing' };
  if (typeof r.externalId !== 'string' || !r.externalId.trim())
    return { field: `${prefix}.externalId`, problem: 'is missing or empty' };
  return null;
}

export function checkEvent(e: NormalisedEvent): Problem | null {
  if (typeof e.sourceId !== 'string' || !e.sourceId.trim())
    return { field: 'sourceId', problem: 'is missing or empty' };
  if (typeof e.kind !== 'string' || !/^[a-z][a-z0-9_.]*$/.test(e.kind))
    return { field: 'kind', problem: `must be a lower-case event kind, got ${JSON.stringify(e.kind)}` };
  if (!toDate(e.occurredAt))
    return { field: 'occurredAt', problem: `is not a valid timestamp: ${JSON.stringify(e.occurredAt)}` };
  if (
    e.attributes !== undefined &&
    (typeof e.attributes !== 'object' || e.attributes === null || Array.isArray(e.attributes))
  )
    return { field: 'attributes', problem: 'must be an object' };
  return checkIdentity('actor', e.actor);
}

export function checkItem(i: NormalisedItem): Problem | null {
  if (typeof i.sourceId !== 'string' || !i.sourceId.trim())
    return { field: 'sourceId', problem: 'is missing or empty' };
  if (!ITEM_KINDS.has(i.kind))
    return { field: 'kind', problem: `must be pull_request, issue or ticket, got ${JSON.stringify(i.kind)}` };
  if (typeof i.state !== 'string' || !i.state) return { field: 'state', problem: 'is missing' };
  for (const f of ['openedAt', 'closedAt', 'mergedAt', 'updatedAt'] as const) {
    const v = i[f];
    if (v !== undefined && v !== null && !toDate(v))
      return { field: f, problem: `is not a valid timestamp: ${JSON.stringify(v)}` };
  }
  return checkIdentity('author', i.author);
}

export function checkMetric(m: NormalisedMetric): Problem | null {
  if (typeof m.metric !== 'string' || !/^[a-z][a-z0-9_.-]*$/i.test(m.metric))
    return {
      field: 'metric',
      problem: `must be a metric name (letters, digits, _ . -), got ${JSON.stringify(m.metric)}`,
    };
  if (typeof m.value !== 'number' || !Number.isFinite(m.value))
    return { field: 'value', problem: `must be a finite number, got ${JSON.stringify(m.value)}` };
  if (!isIsoDate(m.periodStart))
    return {
      field: 'periodStart',
      problem: `must be a date YYYY-MM-DD, got ${JSON.stringify(m.periodStart)}`,
    };
  if (!isIsoDate(m.periodEnd))
    return { field: 'periodEnd', problem: `must be a date YYYY-MM-DD, got ${JSON.stringify(m.periodEnd)}` };
  if (m.periodEnd < m.periodStart)
    return { field: 'periodEnd', problem: `is before periodStart (${m.periodStart})` };
  const s = (m.subject ?? {}) as Record<string, unknown>;
  const keys = ['personEmail', 'employeeId', 'personId', 'teamSlug', 'teamId'].filter(
    (k) => typeof s[k] === 'string' && s[k],
  );
  if (keys.length !== 1)
    return {
      field: 'subject',
      problem: 'needs exactly one of a person (e-mail, employee id) or a team (slug)',
    };
  return null;
}

export function rejection(source: string, what: string, ref: string, p: Problem, raw: unknown): Rejection {
  return {
    recordRef: `${what} ${ref}`,
    field: p.field,
    problem: `${source} ${what} ${ref}: ${p.field} ${p.problem}`,
    raw,
  };
}
