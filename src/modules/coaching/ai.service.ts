import type { Kysely, Selectable } from 'kysely';
import type { DB } from '../../db/types.js';
import { AppError } from '../../shared/app-error.js';
import type { Actor } from '../access/access.types.js';
import { AiEndpointError, baseUrlProblem, chatCompletion, type ChatEndpoint } from './ai.client.js';
import type {
  AiDraftType,
  AiSettingsBodyType,
  AiSettingsType,
  AiStatusType,
  DraftResultType,
} from './ai.schema.js';
import type { OpportunityDetailType } from './opportunities.schema.js';
import type { ChatMessage, CoachingAiDraftTable, DraftKind } from './ai.tables.js';

/**
 * Optional AI drafting (docs/coaching-ai.md). Off by default. A draft is written only from what the
 * coaching engine shows this viewer about the opportunity; it is stored with the exact messages sent
 * and the model, labelled as a draft, and counts for nothing until its author accepts it.
 */

/** Loads an opportunity exactly as the viewer may see it (throws forbidden / not_found otherwise). */
export type OpportunityLoader = (db: Kysely<DB>, actor: Actor, id: string) => Promise<OpportunityDetailType>;

export const DRAFT_LABEL =
  'AI draft — a suggestion written by a language model; review it before you use it.';

export const SYSTEM_PROMPT = [
  'You help a person in Cairn, a coaching platform, prepare a coaching conversation.',
  'Use only the facts in the data you are given; say so when the data does not support a point. Never invent numbers, events or quotes.',
  'Do not infer, guess or describe anyone’s emotions, mood, sentiment, personality, health or state of mind. Describe observable work and agreed behaviour only.',
  'Do not suggest decisions about pay, ratings, promotion or employment: this is development, kept apart from compensation.',
  'Write plainly and briefly, addressed to the person who will hold the conversation. Your text is a draft that a person reviews.',
].join('\n');

const INSTRUCTIONS: Record<DraftKind, string> = {
  guide:
    'Draft a conversation guide for this coaching opportunity. Keep the suggested framework and phrase it for the work style named in the data. Sections: Opening (one or two sentences), Talking points (3–5 bullets), Questions to ask (3–5 open questions), What to avoid (2–3 bullets).',
  evidence_summary:
    'Summarise the evidence behind this coaching opportunity in 3–5 plain sentences: what was observed, over which period, and against which baseline or comparison. Do not add interpretation beyond the data.',
};

const ID_KEY = /^(id|.*Id|.*Ids|link|.*Link|href|url|.*Url)$/;

/** The opportunity as the model sees it: the viewer's view without identifiers and links. */
export function promptData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(promptData);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (ID_KEY.test(key) || v === null || v === undefined) continue;
      out[key] = promptData(v);
    }
    return out;
  }
  return value;
}

/**
 * The parts of the viewer's view a draft needs. A list of what goes in (not of what stays out), so a
 * field the engine adds later never reaches a model unless it is named here.
 */
const PROMPT_FIELDS = [
  'triggerLabel',
  'polarity',
  'priority',
  'framework',
  'title',
  'reason',
  'subject',
  'period',
  'evidence',
  'guide',
  'subjectStyle',
] as const satisfies readonly (keyof OpportunityDetailType)[];

export function buildMessages(kind: DraftKind, opportunity: OpportunityDetailType): ChatMessage[] {
  const view: Record<string, unknown> = {};
  for (const field of PROMPT_FIELDS) view[field] = opportunity[field];
  return [
    { role: 'system', content: SYSTEM_PROMPT },
    {
      role: 'user',
      content: `${INSTRUCTIONS[kind]}\n\nThe opportunity, as Cairn shows it to me:\n${JSON.stringify(promptData(view), null, 2)}`,
    },
  ];
}

/** Cairn's built-in guide or evidence as text: the degraded answer when no draft can be written. */
export function fallbackText(kind: DraftKind, o: OpportunityDetailType): string {
  if (kind === 'evidence_summary') {
    const lines = [o.evidence.summary];
    for (const e of o.evidence.items) {
      const value = e.value === null ? '' : ` ${e.value}${e.unit ? ` ${e.unit}` : ''}`;
      const baseline = e.baseline === null ? '' : ` (baseline ${e.baseline}${e.unit ? ` ${e.unit}` : ''})`;
      const period = e.from || e.to ? `, ${e.from ?? '…'} – ${e.to ?? '…'}` : '';
      lines.push(`- ${e.label}:${value}${baseline}${period}`.replace(/:$/, ''));
    }
    return lines.join('\n');
  }
  const g = o.guide;
  const list = (title: string, items: string[]) =>
    items.length ? [`${title}:`, ...items.map((i) => `- ${i}`)] : [];
  return [
    `Framework: ${g.framework} (${g.frameworkSteps.map((s) => s.step).join(' → ')})`,
    `Tailored to ${o.subject.name}: ${g.styleSummary}`,
    `Opening: ${g.opening}`,
    ...list('Talking points', g.talkingPoints),
    ...list('Questions', g.questions),
    ...list('What to avoid', g.avoid),
    ...list('How to hold it', g.delivery),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------- settings

async function settingsRow(db: Kysely<DB>) {
  return db.selectFrom('coaching_ai_setting').selectAll().where('id', '=', 1).executeTakeFirst();
}

export async function getAiSettings(db: Kysely<DB>): Promise<AiSettingsType> {
  const row = await settingsRow(db);
  const enabled = row?.enabled ?? false;
  return {
    enabled,
    configured: Boolean(enabled && row?.base_url && row?.model),
    baseUrl: row?.base_url ?? null,
    model: row?.model ?? null,
    apiKey: { set: Boolean(row?.api_key), last4: row?.api_key ? row.api_key.slice(-4) : null },
    timeoutSeconds: row?.timeout_seconds ?? 30,
    updatedAt: row ? row.updated_at.toISOString() : null,
  };
}

export async function getAiStatus(db: Kysely<DB>): Promise<AiStatusType> {
  const s = await getAiSettings(db);
  return { configured: s.configured, model: s.configured ? s.model : null };
}

export async function saveAiSettings(
  db: Kysely<DB>,
  body: AiSettingsBodyType,
  accountId: string | null,
): Promise<AiSettingsType> {
  const problems: { path: string; message: string }[] = [];
  const baseUrl = body.baseUrl?.trim() || null;
  const model = body.model?.trim() || null;
  if (baseUrl) {
    const problem = baseUrlProblem(baseUrl);
    if (problem) problems.push({ path: '/body/baseUrl', message: problem });
  }
  if (body.enabled && !baseUrl)
    problems.push({ path: '/body/baseUrl', message: 'is required to turn AI drafting on' });
  if (body.enabled && !model)
    problems.push({ path: '/body/model', message: 'is required to turn AI drafting on' });
  if (problems.length) throw new AppError('validation_failed', 'The AI settings are incomplete.', problems);

  const values = {
    enabled: body.enabled,
    base_url: baseUrl,
    model,
    ...(body.apiKey !== undefined ? { api_key: body.apiKey?.trim() || null } : {}),
    ...(body.timeoutSeconds !== undefined ? { timeout_seconds: body.timeoutSeconds } : {}),
    updated_by_account_id: accountId,
    updated_at: new Date(),
  };
  await db
    .insertInto('coaching_ai_setting')
    .values({ id: 1, api_key: null, timeout_seconds: 30, ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
  return getAiSettings(db);
}

async function endpointOf(db: Kysely<DB>): Promise<ChatEndpoint | null> {
  const row = await settingsRow(db);
  if (!row?.enabled || !row.base_url || !row.model) return null;
  return {
    baseUrl: row.base_url,
    model: row.model,
    apiKey: row.api_key,
    timeoutSeconds: row.timeout_seconds,
  };
}

/** Sends a one-line request to the endpoint (stored settings, or the values being edited). */
export async function testAiConnection(
  db: Kysely<DB>,
  overrides: { baseUrl?: string; model?: string; apiKey?: string },
  fetchImpl?: typeof fetch,
) {
  const row = await settingsRow(db);
  const baseUrl = overrides.baseUrl?.trim() || row?.base_url;
  const model = overrides.model?.trim() || row?.model;
  if (!baseUrl || !model) {
    return { ok: false, model: null, latencyMs: null, error: 'Set a base URL and a model first.' };
  }
  const problem = baseUrlProblem(baseUrl);
  if (problem) return { ok: false, model: null, latencyMs: null, error: `The base URL ${problem}.` };
  try {
    const answer = await chatCompletion(
      {
        baseUrl,
        model,
        apiKey: overrides.apiKey?.trim() || row?.api_key || null,
        timeoutSeconds: row?.timeout_seconds ?? 30,
      },
      [
        { role: 'system', content: 'You are a connection test. Answer with the single word OK.' },
        { role: 'user', content: 'Connection test from Cairn.' },
      ],
      { maxTokens: 5, temperature: 0, ...(fetchImpl ? { fetchImpl } : {}) },
    );
    return { ok: true, model: answer.model, latencyMs: answer.latencyMs, error: null };
  } catch (error) {
    if (error instanceof AiEndpointError)
      return { ok: false, model: null, latencyMs: null, error: error.message };
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------- drafts

type DraftRow = Selectable<CoachingAiDraftTable>;

function present(row: DraftRow): AiDraftType {
  return {
    id: row.id,
    opportunityId: row.opportunity_id,
    kind: row.kind,
    status: row.status,
    label: DRAFT_LABEL,
    model: row.model,
    output: row.output,
    messages: row.messages,
    createdAt: row.created_at.toISOString(),
    decidedAt: row.decided_at ? row.decided_at.toISOString() : null,
  };
}

function accountOf(actor: Actor): string {
  if (actor.kind !== 'account') throw new AppError('unauthenticated', 'Sign in to continue.');
  return actor.accountId;
}

/**
 * Asks the endpoint for a draft. The opportunity is loaded through the engine as this viewer sees it,
 * and that view is the only data in the prompt. Without AI, or when the endpoint fails, the answer is
 * the built-in text with a notice (`degraded`), never an error.
 */
export async function createDraft(
  db: Kysely<DB>,
  actor: Actor,
  opportunityId: string,
  kind: DraftKind,
  loadOpportunity: OpportunityLoader,
  fetchImpl?: typeof fetch,
): Promise<DraftResultType> {
  const accountId = accountOf(actor);
  const opportunity = await loadOpportunity(db, actor, opportunityId);
  const endpoint = await endpointOf(db);
  const what = kind === 'guide' ? 'guide' : 'evidence';
  if (!endpoint) {
    return {
      degraded: true,
      notice: `AI drafting is not configured. This is Cairn’s built-in ${what}.`,
      draft: null,
      fallback: fallbackText(kind, opportunity),
    };
  }
  const messages = buildMessages(kind, opportunity);
  try {
    const answer = await chatCompletion(endpoint, messages, fetchImpl ? { fetchImpl } : {});
    const row = await db
      .insertInto('coaching_ai_draft')
      .values({
        opportunity_id: opportunityId,
        kind,
        created_by_account_id: accountId,
        model: answer.model,
        base_url: endpoint.baseUrl,
        messages: JSON.stringify(messages),
        output: answer.content,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { degraded: false, notice: null, draft: present(row), fallback: null };
  } catch (error) {
    if (!(error instanceof AiEndpointError)) throw error;
    return {
      degraded: true,
      notice: `The AI endpoint could not write a draft (${error.message}) This is Cairn’s built-in ${what}.`,
      draft: null,
      fallback: fallbackText(kind, opportunity),
    };
  }
}

/** The viewer's own drafts for an opportunity they may read, newest first. */
export async function listDrafts(
  db: Kysely<DB>,
  actor: Actor,
  opportunityId: string,
  loadOpportunity: OpportunityLoader,
): Promise<AiDraftType[]> {
  const accountId = accountOf(actor);
  await loadOpportunity(db, actor, opportunityId);
  const rows = await db
    .selectFrom('coaching_ai_draft')
    .selectAll()
    .where('opportunity_id', '=', opportunityId)
    .where('created_by_account_id', '=', accountId)
    .where('status', '!=', 'discarded')
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(present);
}

export async function getDraft(db: Kysely<DB>, id: string): Promise<AiDraftType> {
  const row = await db.selectFrom('coaching_ai_draft').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row)
    throw new AppError('not_found', 'No AI draft with this id.', [
      { path: '/params/id', message: 'not found' },
    ]);
  return present(row);
}

/**
 * Accepts or discards a draft (authorised as its author by the route). Accepting also needs the author
 * still to see the opportunity. A decided draft stays as it was decided.
 */
export async function decideDraft(
  db: Kysely<DB>,
  actor: Actor,
  id: string,
  decision: 'accepted' | 'discarded',
  loadOpportunity: OpportunityLoader,
): Promise<AiDraftType> {
  const draft = await getDraft(db, id);
  if (decision === 'accepted') await loadOpportunity(db, actor, draft.opportunityId);
  if (draft.status !== 'draft') {
    if (draft.status === decision) return draft;
    throw new AppError('conflict', `This draft was already ${draft.status}.`);
  }
  const row = await db
    .updateTable('coaching_ai_draft')
    .set({ status: decision, decided_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new AppError('conflict', 'This draft was decided meanwhile.');
  return present(row);
}
