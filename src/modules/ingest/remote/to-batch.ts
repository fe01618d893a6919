import type {
  IdentityRef as ModelIdentity,
  NormalisedBatch,
  NormalisedEvent,
  NormalisedItem,
} from '../ingest.model.js';
import type { RawRecord, RejectedRecord } from './remote-batch.js';
import type { EventDraft, IdentityRef, ItemDraft, WorkDraft } from './work-drafts.js';

/** Drafts from the GitHub/Jira mappers → the pipeline's normalised batch (one source per batch). */

function identity(ref: IdentityRef | null | undefined): ModelIdentity | null {
  if (!ref) return null;
  return {
    source: ref.source,
    externalId: ref.externalId,
    login: ref.login ?? null,
    email: ref.email ?? null,
    name: ref.displayName ?? null,
    isBot: ref.isBot ?? false,
  };
}

/** Identities inside attributes (assignee, transitionedBy …) are kept as plain, compact objects. */
function plainAttributes(attrs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined) continue;
    if (v && typeof v === 'object' && 'externalId' in v && 'source' in v) {
      const r = v as IdentityRef;
      out[k] = {
        source: r.source,
        externalId: r.externalId,
        login: r.login ?? null,
        name: r.displayName ?? null,
      };
    } else out[k] = v;
  }
  return out;
}

export function toNormalisedItem(i: ItemDraft): NormalisedItem {
  return {
    sourceId: i.sourceId,
    kind: i.kind,
    project: i.project,
    number: i.key,
    title: i.title,
    state: i.kind === 'pull_request' && i.state === 'open' && i.attributes.draft ? 'draft' : i.state,
    author: identity(i.author),
    openedAt: i.createdAt,
    closedAt: i.closedAt,
    mergedAt: i.mergedAt,
    updatedAt: i.updatedAt,
    attributes: plainAttributes(i.attributes),
  };
}

export function toNormalisedEvent(e: EventDraft): NormalisedEvent {
  return {
    sourceId: e.sourceId,
    kind: e.kind,
    occurredAt: e.occurredAt,
    actor: identity(e.actor),
    project: e.project,
    itemSourceId: e.itemSourceId,
    attributes: plainAttributes(e.attributes),
  };
}

/**
 * The same item can appear twice in one draft (a webhook's PR and its review both carry the PR);
 * the last, freshest copy wins so one batch never upserts a row twice.
 */
function lastBySourceId<T extends { sourceId: string }>(rows: T[]): T[] {
  const map = new Map<string, T>();
  for (const r of rows) map.set(r.sourceId, r);
  return [...map.values()];
}

export function toBatch(
  source: 'github' | 'jira',
  draft: WorkDraft,
  extra: { raw?: RawRecord[]; rejected?: RejectedRecord[]; cursor?: object } = {},
): NormalisedBatch {
  return {
    source,
    items: lastBySourceId(draft.items.map(toNormalisedItem)),
    events: lastBySourceId(draft.events.map(toNormalisedEvent)),
    raw: (extra.raw ?? []).map((r) => ({ sourceId: `${r.kind}:${r.sourceId}`, payload: r.payload })),
    rejected: (extra.rejected ?? []).map((r) => ({
      recordRef: `${r.source} ${r.kind} ${r.sourceId}`,
      field: r.field || null,
      problem: r.message,
      raw: r.payload,
    })),
    ...(extra.cursor ? { cursor: extra.cursor as Record<string, unknown> } : {}),
  };
}
