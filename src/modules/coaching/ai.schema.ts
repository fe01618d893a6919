import { Type, type Static } from '@sinclair/typebox';
import { IsoDateTime, Uuid } from '../../shared/schemas.js';

/** Request and response schemas of optional AI drafting (docs/coaching-ai.md). */

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const AiSettings = Type.Object({
  enabled: Type.Boolean(),
  /** Enabled, with a base URL and a model: drafting is offered. */
  configured: Type.Boolean(),
  baseUrl: Nullable(Type.String()),
  model: Nullable(Type.String()),
  /** The key itself is never returned. */
  apiKey: Type.Object({ set: Type.Boolean(), last4: Nullable(Type.String()) }),
  timeoutSeconds: Type.Integer(),
  updatedAt: Nullable(IsoDateTime),
});
export type AiSettingsType = Static<typeof AiSettings>;

export const AiSettingsBody = Type.Object(
  {
    enabled: Type.Boolean(),
    baseUrl: Type.Union([Type.String({ minLength: 1, maxLength: 500 }), Type.Null()], {
      description: 'The endpoint’s base URL, up to and including /v1 (…/chat/completions is appended)',
    }),
    model: Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()]),
    /** Omit to keep the stored key; null removes it; a string replaces it. */
    apiKey: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 500 }), Type.Null()])),
    timeoutSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 300 })),
  },
  { additionalProperties: false },
);
export type AiSettingsBodyType = Static<typeof AiSettingsBody>;

export const AiTestBody = Type.Object(
  {
    /** Test these values before saving them; anything omitted comes from the stored settings. */
    baseUrl: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    model: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    apiKey: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const AiTestResult = Type.Object({
  ok: Type.Boolean(),
  model: Nullable(Type.String()),
  latencyMs: Type.Union([Type.Integer(), Type.Null()]),
  error: Nullable(Type.String()),
});

export const AiStatus = Type.Object({ configured: Type.Boolean(), model: Nullable(Type.String()) });
export type AiStatusType = Static<typeof AiStatus>;

export const DraftKind = Type.Union([Type.Literal('guide'), Type.Literal('evidence_summary')]);
export const DraftBody = Type.Object({ kind: DraftKind }, { additionalProperties: false });

export const AiDraft = Type.Object({
  id: Uuid,
  opportunityId: Uuid,
  kind: DraftKind,
  status: Type.Union([Type.Literal('draft'), Type.Literal('accepted'), Type.Literal('discarded')]),
  /** Shown next to the text wherever it appears. */
  label: Type.String(),
  model: Type.String(),
  output: Type.String(),
  /** The exact messages sent to the model. */
  messages: Type.Array(
    Type.Object({
      role: Type.Union([Type.Literal('system'), Type.Literal('user'), Type.Literal('assistant')]),
      content: Type.String(),
    }),
  ),
  createdAt: IsoDateTime,
  decidedAt: Nullable(IsoDateTime),
});
export type AiDraftType = Static<typeof AiDraft>;

export const DraftResult = Type.Object({
  /** True when no draft was written (AI off, or the endpoint failed): `fallback` holds the built-in text. */
  degraded: Type.Boolean(),
  notice: Nullable(Type.String()),
  draft: Type.Union([AiDraft, Type.Null()]),
  /** Cairn's built-in guide or evidence, as text, when degraded. */
  fallback: Nullable(Type.String()),
});
export type DraftResultType = Static<typeof DraftResult>;

export const DraftList = Type.Object({ items: Type.Array(AiDraft) });
