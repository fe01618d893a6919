import type { Static } from '@sinclair/typebox';
import type {
  PeoplePage,
  PersonCardType,
  PersonDetailType,
  PersonProfileType,
  TeamDetailType,
  TeamKindSchema,
  TeamList as TeamListSchema,
  TeamSummaryType,
} from '../../shared/api.js';

/* Response types of the organisation API, inferred from the org module's schemas via shared/api. */

export type TeamKind = Static<typeof TeamKindSchema>;
export type TeamSummary = TeamSummaryType;
export type PersonCard = PersonCardType;
export type TeamList = Static<typeof TeamListSchema>;
export type TeamDetail = TeamDetailType;
export type PersonList = Static<typeof PeoplePage>;
export type PersonDetail = PersonDetailType;
export type PersonProfile = PersonProfileType;
