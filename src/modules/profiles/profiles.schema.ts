import { Type, type Static } from '@sinclair/typebox';
import { IsoDateTime, Uuid } from '../../shared/schemas.js';

/** Request and response schemas of the work-style profile routes. */

const Likert = Type.Integer({ minimum: 1, maximum: 5 });
const Option = Type.Object({ id: Type.String(), label: Type.String() });

export const Questionnaire = Type.Object({
  version: Type.Integer(),
  likertLabels: Type.Array(Type.String()),
  dimensions: Type.Array(
    Type.Object({
      id: Type.String(),
      label: Type.String(),
      low: Type.String(),
      high: Type.String(),
      description: Type.String(),
    }),
  ),
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      dimension: Type.String(),
      text: Type.String(),
      reverse: Type.Boolean(),
    }),
  ),
  communication: Type.Array(
    Type.Object({ id: Type.String(), label: Type.String(), options: Type.Array(Option) }),
  ),
  drivers: Type.Array(Type.Object({ id: Type.String(), label: Type.String(), description: Type.String() })),
  minDrivers: Type.Integer(),
  maxDrivers: Type.Integer(),
});
export type QuestionnaireType = Static<typeof Questionnaire>;

export const ProfileBody = Type.Object(
  {
    // Completeness is checked by the scorer, which names every missing item (`/body/answers/<item>`).
    answers: Type.Record(Type.String(), Likert),
    communication: Type.Object(
      {
        channel: Type.Optional(Type.String()),
        timing: Type.Optional(Type.String()),
        directness: Type.Optional(Type.String()),
      },
      { additionalProperties: false },
    ),
    drivers: Type.Array(Type.String(), { maxItems: 10 }),
  },
  { additionalProperties: false },
);
export type ProfileBodyType = Static<typeof ProfileBody>;

const Scores = Type.Object({
  autonomy: Type.Integer(),
  collaboration: Type.Integer(),
  structure: Type.Integer(),
});
const Bands = Type.Object({
  autonomy: Type.String(),
  collaboration: Type.String(),
  structure: Type.String(),
});

export const ProfileSubmission = Type.Object({
  id: Uuid,
  questionnaireVersion: Type.Integer(),
  submittedAt: IsoDateTime,
  scores: Scores,
  bands: Bands,
  answers: Type.Record(Type.String(), Type.Integer()),
  communication: Type.Object({ channel: Type.String(), timing: Type.String(), directness: Type.String() }),
  drivers: Type.Array(Type.String()),
  /** What changed against the previous submission, in words ("Autonomy 45 → 70"). Empty for the first. */
  changes: Type.Array(Type.String()),
});
export type ProfileSubmissionType = Static<typeof ProfileSubmission>;

export const Viewers = Type.Object({
  relations: Type.Array(Type.String()),
  people: Type.Array(Type.Object({ id: Uuid, name: Type.String(), relation: Type.String() })),
  /** One sentence for the form: exactly who can read this profile. */
  notice: Type.String(),
});

export const WorkStyleProfile = Type.Object({
  person: Type.Object({ id: Uuid, name: Type.String() }),
  current: Type.Union([ProfileSubmission, Type.Null()]),
  /** Every submission, newest first (the first entry is `current`). */
  history: Type.Array(ProfileSubmission),
  viewers: Viewers,
  canEdit: Type.Boolean(),
});
export type WorkStyleProfileType = Static<typeof WorkStyleProfile>;
