import { Type, type Static } from '@sinclair/typebox';
import { IsoDate, IsoDateTime, Nullable, Uuid } from '../../shared/schemas.js';

/** Request and response schemas of the conversations module; `shared/api.ts` re-exports them for the web. */

export const ConversationKindSchema = Type.Union([
  Type.Literal('one_on_one'),
  Type.Literal('debrief'),
  Type.Literal('peer'),
  Type.Literal('upward'),
  Type.Literal('external'),
]);
export type ConversationKindType = Static<typeof ConversationKindSchema>;

export const ConversationStatusSchema = Type.Union([
  Type.Literal('scheduled'),
  Type.Literal('completed'),
  Type.Literal('cancelled'),
]);

export const ConversationParticipantRoleSchema = Type.Union([
  Type.Literal('manager'),
  Type.Literal('report'),
  Type.Literal('coach'),
  Type.Literal('coachee'),
  Type.Literal('facilitator'),
  Type.Literal('member'),
]);

export const ConversationNoteVisibilitySchema = Type.Union([Type.Literal('private'), Type.Literal('shared')]);

/** What prompted a conversation: a typed reference, e.g. { kind: 'coaching_opportunity', id }. */
export const ConversationPromptRef = Type.Object({
  kind: Type.String({ minLength: 1, maxLength: 60, pattern: '^[a-z][a-z0-9_]*$' }),
  id: Type.String({ minLength: 1, maxLength: 200 }),
});

export const ConversationParticipant = Type.Object({
  personId: Uuid,
  name: Type.String(),
  title: Nullable(Type.String()),
  role: ConversationParticipantRoleSchema,
});

export const ConversationTopicSchema = Type.Object({
  topic: Type.String(),
  label: Type.String(),
  group: Type.Union([Type.Literal('business'), Type.Literal('development')]),
  source: Type.Union([Type.Literal('auto'), Type.Literal('manual')]),
});

export const ConversationActionItem = Type.Object({
  id: Uuid,
  conversationId: Uuid,
  conversationTitle: Type.String(),
  text: Type.String(),
  ownerId: Uuid,
  ownerName: Type.String(),
  dueDate: Nullable(IsoDate),
  done: Type.Boolean(),
  doneAt: Nullable(IsoDateTime),
  overdue: Type.Boolean(),
});
export type ConversationActionItemType = Static<typeof ConversationActionItem>;

export const ConversationAgendaItem = Type.Object({
  id: Uuid,
  text: Type.String(),
  position: Type.Integer(),
  done: Type.Boolean(),
  addedById: Nullable(Uuid),
  addedByName: Nullable(Type.String()),
  /** Set when the item was carried over: an overdue follow-up action or an undiscussed item. */
  carriedFrom: Nullable(
    Type.Object({ kind: Type.Union([Type.Literal('action'), Type.Literal('agenda')]), id: Uuid }),
  ),
});

export const ConversationNote = Type.Object({
  id: Uuid,
  authorId: Uuid,
  authorName: Type.String(),
  visibility: ConversationNoteVisibilitySchema,
  body: Type.String(),
  mine: Type.Boolean(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});

export const ConversationSummary = Type.Object({
  id: Uuid,
  kind: ConversationKindSchema,
  title: Type.String(),
  scheduledAt: IsoDateTime,
  durationMinutes: Type.Integer(),
  status: ConversationStatusSchema,
  seriesId: Nullable(Uuid),
  participants: Type.Array(ConversationParticipant),
  myRole: ConversationParticipantRoleSchema,
  team: Nullable(Type.Object({ id: Uuid, name: Type.String() })),
  project: Nullable(Type.String()),
  prompt: Nullable(ConversationPromptRef),
  topics: Type.Array(Type.String()),
  openActions: Type.Integer(),
  overdueActions: Type.Integer(),
});
export type ConversationSummaryType = Static<typeof ConversationSummary>;

export const ConversationMyRating = Type.Object({ score: Type.Integer(), comment: Nullable(Type.String()) });

export const ConversationDetail = Type.Intersect([
  ConversationSummary,
  Type.Object({
    agenda: Type.Array(ConversationAgendaItem),
    notes: Type.Array(ConversationNote),
    actions: Type.Array(ConversationActionItem),
    topicDetails: Type.Array(ConversationTopicSchema),
    topicsEdited: Type.Boolean(),
    series: Nullable(
      Type.Object({ id: Uuid, cadenceDays: Type.Integer(), nextConversationId: Nullable(Uuid) }),
    ),
    /** Only the rater sees their own rating; the person who led the conversation never sees it. */
    myRating: Nullable(ConversationMyRating),
    canRate: Type.Boolean(),
  }),
]);
export type ConversationDetailType = Static<typeof ConversationDetail>;

export const ConversationList = Type.Object({
  viewerTimeZone: Type.String(),
  items: Type.Array(ConversationSummary),
});
export type ConversationListType = Static<typeof ConversationList>;

export const ConversationListQuery = Type.Object({
  status: Type.Optional(ConversationStatusSchema),
  kind: Type.Optional(ConversationKindSchema),
  /** Only conversations this person also takes part in. */
  with: Type.Optional(Uuid),
  /** Only conversations in which the viewer has this role (e.g. manager: my reports' 1:1s). */
  role: Type.Optional(ConversationParticipantRoleSchema),
  from: Type.Optional(IsoDateTime),
  to: Type.Optional(IsoDateTime),
  /** Searches titles, agenda, actions, shared notes and the viewer's own private notes. */
  q: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 200 })),
});
export type ConversationListQueryType = Static<typeof ConversationListQuery>;

export const ConversationActionList = Type.Object({ items: Type.Array(ConversationActionItem) });

export const ConversationActionListQuery = Type.Object({
  /** open (default): not done; overdue: not done and past due; all. */
  status: Type.Optional(
    Type.Union([Type.Literal('open'), Type.Literal('overdue'), Type.Literal('all')], { default: 'open' }),
  ),
});

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

export const ConversationCreateBody = Type.Object(
  {
    kind: ConversationKindSchema,
    /** The other people: the report or manager (1:1), the coach or coachee, debrief members. */
    withPersonIds: Type.Array(Uuid, { maxItems: 50, uniqueItems: true, default: [] }),
    title: Type.Optional(Text(200)),
    scheduledAt: IsoDateTime,
    durationMinutes: Type.Integer({ minimum: 5, maximum: 480 }),
    /** Debriefs: the team and the project. */
    teamId: Type.Optional(Uuid),
    project: Type.Optional(Text(200)),
    /** Peer coaching: who coaches (default: the person scheduling). */
    coachId: Type.Optional(Uuid),
    /** 1:1s: make it a recurring series with this cadence, scheduling `occurrences` meetings. */
    cadenceDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 92 })),
    occurrences: Type.Optional(Type.Integer({ minimum: 1, maximum: 26 })),
    prompt: Type.Optional(ConversationPromptRef),
    agenda: Type.Optional(Type.Array(Text(500), { maxItems: 50 })),
  },
  { additionalProperties: false },
);
export type ConversationCreateBodyType = Static<typeof ConversationCreateBody>;

export const ConversationUpdateBody = Type.Object(
  {
    title: Type.Optional(Text(200)),
    scheduledAt: Type.Optional(IsoDateTime),
    durationMinutes: Type.Optional(Type.Integer({ minimum: 5, maximum: 480 })),
    status: Type.Optional(ConversationStatusSchema),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ConversationAgendaCreateBody = Type.Object({ text: Text(500) }, { additionalProperties: false });
export const ConversationAgendaUpdateBody = Type.Object(
  { text: Type.Optional(Text(500)), done: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, minProperties: 1 },
);
export const ConversationAgendaOrderBody = Type.Object(
  { itemIds: Type.Array(Uuid, { uniqueItems: true, maxItems: 200 }) },
  { additionalProperties: false },
);

export const ConversationNoteCreateBody = Type.Object(
  { visibility: ConversationNoteVisibilitySchema, body: Text(20000) },
  { additionalProperties: false },
);
export const ConversationNoteUpdateBody = Type.Object(
  { visibility: Type.Optional(ConversationNoteVisibilitySchema), body: Type.Optional(Text(20000)) },
  { additionalProperties: false, minProperties: 1 },
);

export const ConversationActionCreateBody = Type.Object(
  { text: Text(500), ownerId: Uuid, dueDate: Type.Optional(Nullable(IsoDate)) },
  { additionalProperties: false },
);
export const ConversationActionUpdateBody = Type.Object(
  {
    text: Type.Optional(Text(500)),
    ownerId: Type.Optional(Uuid),
    dueDate: Type.Optional(Nullable(IsoDate)),
    done: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ConversationTopicsBody = Type.Object(
  { topics: Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { uniqueItems: true, maxItems: 20 }) },
  { additionalProperties: false },
);

export const ConversationRatingBody = Type.Object(
  {
    score: Type.Integer({ minimum: 1, maximum: 5 }),
    comment: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  },
  { additionalProperties: false },
);

export const ConversationHelpfulness = Type.Object({
  /** Ratings are shown only once at least this many, from at least this many different people. */
  threshold: Type.Integer(),
  visible: Type.Boolean(),
  count: Type.Integer(),
  mean: Nullable(Type.Number()),
  /** Comments in aggregate: no author, no date, sorted alphabetically. Empty below the threshold. */
  comments: Type.Array(Type.String()),
});
export type ConversationHelpfulnessType = Static<typeof ConversationHelpfulness>;

export const ConversationTopicCatalogue = Type.Object({
  items: Type.Array(
    Type.Object({
      topic: Type.String(),
      label: Type.String(),
      group: Type.Union([Type.Literal('business'), Type.Literal('development')]),
    }),
  ),
});

export const ConversationExport = Type.Object({
  exportedAt: IsoDateTime,
  person: Type.Object({ id: Uuid, name: Type.String(), email: Type.String() }),
  conversations: Type.Array(ConversationDetail),
  openActions: Type.Array(ConversationActionItem),
  helpfulnessOfConversationsILed: ConversationHelpfulness,
});

export const ConversationIdParams = Type.Object({ id: Uuid });
export const ConversationItemParams = Type.Object({ id: Uuid, itemId: Uuid });
