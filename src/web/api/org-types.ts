/*
 * Response types of the organisation API (GET /api/v1/teams, /teams/:id, /people, /people/:id,
 * /people/:id/profile). They mirror the contract agreed with the org module; the org module's
 * schemas become the source once they are exported through src/shared/api.ts.
 */

export type TeamKind = 'company' | 'department' | 'team';

export interface TeamSummary {
  id: string;
  name: string;
  slug: string;
  kind: TeamKind;
  parentId: string | null;
  memberCount: number;
}

export interface PersonCard {
  id: string;
  name: string;
  email: string;
  title: string | null;
  teamId: string | null;
  teamName: string | null;
  managerId: string | null;
  active: boolean;
}

export interface TeamList {
  items: TeamSummary[];
}

export interface TeamDetail {
  team: TeamSummary;
  path: { id: string; name: string }[];
  children: TeamSummary[];
  members: PersonCard[];
}

export interface PersonList {
  items: PersonCard[];
  nextCursor: string | null;
}

export interface PersonDetail {
  person: PersonCard;
  manager: PersonCard | null;
  reports: PersonCard[];
  canViewProfile: boolean;
}

export interface PersonProfile extends PersonCard {
  employeeId: string | null;
  level: string | null;
  hireDate: string | null;
  leaveDate: string | null;
  leaveReason: string | null;
  location: string | null;
  timeZone: string;
  workMode: 'onsite' | 'remote' | 'hybrid' | null;
  attributes: Record<string, string>;
  segments: {
    department: string | null;
    level: string | null;
    tenureBand: string | null;
    location: string | null;
    workMode: string | null;
  };
  reportingHistory: { managerId: string; managerName: string; validFrom: string; validTo: string | null }[];
  skipLevelChain: PersonCard[];
}
