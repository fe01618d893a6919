import { Type, type Static } from '@sinclair/typebox';
import { IsoDate, Nullable, Uuid } from '../../shared/schemas.js';

/** An external (or peer / upward) coaching engagement: who coaches whom, from when until when. */
export const CoachingEngagement = Type.Object({
  id: Uuid,
  kind: Type.Union([Type.Literal('external'), Type.Literal('peer'), Type.Literal('upward')]),
  coach: Type.Object({ id: Uuid, name: Type.String(), title: Nullable(Type.String()) }),
  coachee: Type.Object({ id: Uuid, name: Type.String(), title: Nullable(Type.String()) }),
  validFrom: IsoDate,
  validTo: Nullable(IsoDate),
  active: Type.Boolean({ description: 'In force today' }),
});
export type CoachingEngagementType = Static<typeof CoachingEngagement>;

export const CoachingEngagementList = Type.Object({
  items: Type.Array(CoachingEngagement),
  canManage: Type.Boolean({ description: 'The viewer may start and end engagements for this person' }),
});

export const CoachingEngagementCreateBody = Type.Object(
  {
    coachPersonId: Uuid,
    validFrom: Type.Optional(IsoDate),
    validTo: Type.Optional(IsoDate),
  },
  { additionalProperties: false },
);
export type CoachingEngagementCreateBodyType = Static<typeof CoachingEngagementCreateBody>;

export const CoachingEngagementEndBody = Type.Object(
  { validTo: Type.Optional(IsoDate) },
  { additionalProperties: false, description: 'The last day is the day before validTo (default: today)' },
);
