import { BANGALORE_NAMES, BERLIN_NAMES, NEW_YORK_NAMES, type NamePool } from './demo.names.js';

// The fixed shape of the demo company ("Kestrel Labs"): offices, departments, teams and job
// ladders. The seed varies the people in it (names, tenure, levels, who moved where), not its shape.

export const DEMO_COMPANY = 'Kestrel Labs';
export const DEMO_EMAIL_DOMAIN = 'kestrel.example';

export type OfficeKey = 'berlin' | 'new-york' | 'bangalore';

export interface Office {
  location: string;
  timeZone: string;
  names: NamePool;
  /** Time zones of remote people attached to this office's teams. */
  remoteTimeZones: readonly string[];
}

export const OFFICES: Record<OfficeKey, Office> = {
  berlin: {
    location: 'Berlin',
    timeZone: 'Europe/Berlin',
    names: BERLIN_NAMES,
    remoteTimeZones: ['Europe/London', 'Europe/Lisbon', 'Europe/Warsaw', 'Europe/Madrid'],
  },
  'new-york': {
    location: 'New York',
    timeZone: 'America/New_York',
    names: NEW_YORK_NAMES,
    remoteTimeZones: ['America/Chicago', 'America/Denver', 'America/Toronto', 'America/Los_Angeles'],
  },
  bangalore: {
    location: 'Bangalore',
    timeZone: 'Asia/Kolkata',
    names: BANGALORE_NAMES,
    remoteTimeZones: ['Asia/Kolkata', 'Asia/Dubai', 'Asia/Singapore'],
  },
};

export const REMOTE_LOCATION = 'Remote';

/** The CEO's own team directly under the company (the CEO and the chief of staff). */
export const LEADERSHIP_TEAM = 'Leadership team';

/** Job ladders: the title for IC1 … IC5 on each track. */
export const TRACKS = {
  software: [
    'Software Engineer I',
    'Software Engineer II',
    'Senior Software Engineer',
    'Staff Software Engineer',
    'Principal Software Engineer',
  ],
  mobile: [
    'Mobile Engineer I',
    'Mobile Engineer II',
    'Senior Mobile Engineer',
    'Staff Mobile Engineer',
    'Principal Mobile Engineer',
  ],
  data: [
    'Data Analyst',
    'Data Engineer',
    'Senior Data Engineer',
    'Staff Machine Learning Engineer',
    'Principal Data Scientist',
  ],
  sre: [
    'Site Reliability Engineer I',
    'Site Reliability Engineer II',
    'Senior Site Reliability Engineer',
    'Staff Site Reliability Engineer',
    'Principal Site Reliability Engineer',
  ],
  product: [
    'Associate Product Manager',
    'Product Manager',
    'Senior Product Manager',
    'Lead Product Manager',
    'Principal Product Manager',
  ],
  design: [
    'Junior Product Designer',
    'Product Designer',
    'Senior Product Designer',
    'Lead Product Designer',
    'Principal Designer',
  ],
  research: [
    'Research Associate',
    'UX Researcher',
    'Senior UX Researcher',
    'Lead UX Researcher',
    'Principal UX Researcher',
  ],
  sales: [
    'Sales Development Representative',
    'Account Executive',
    'Senior Account Executive',
    'Enterprise Account Executive',
    'Principal Account Executive',
  ],
  success: [
    'Support Specialist',
    'Customer Success Manager',
    'Senior Customer Success Manager',
    'Lead Customer Success Manager',
    'Principal Customer Success Manager',
  ],
  people: ['People Coordinator', 'Recruiter', 'Senior Recruiter', 'HR Business Partner', 'Head of Talent'],
  finance: [
    'Accounts Assistant',
    'Accountant',
    'Senior Financial Analyst',
    'Finance Lead',
    'Financial Controller',
  ],
  it: [
    'IT Support Specialist',
    'Systems Administrator',
    'Senior Systems Administrator',
    'IT Security Lead',
    'Principal IT Architect',
  ],
} as const satisfies Record<string, readonly [string, string, string, string, string]>;

export type Track = keyof typeof TRACKS;
export const IC_LEVELS = ['IC1', 'IC2', 'IC3', 'IC4', 'IC5'] as const;
export type IcLevel = (typeof IC_LEVELS)[number];

export function titleFor(track: Track, level: IcLevel): string {
  return TRACKS[track][IC_LEVELS.indexOf(level)]!;
}

export type DepartmentKey = 'engineering' | 'product' | 'sales' | 'operations';

export interface RoleSpec {
  title: string;
  level: string;
  office: OfficeKey;
}

export interface DepartmentSpec {
  key: DepartmentKey;
  name: string;
  costCenter: string;
  head: RoleSpec;
  /** Individual contributors who report to the department head directly. */
  directs: readonly RoleSpec[];
}

export const DEPARTMENTS: readonly DepartmentSpec[] = [
  {
    key: 'engineering',
    name: 'Engineering',
    costCenter: 'CC-1100',
    head: { title: 'VP Engineering', level: 'M2', office: 'berlin' },
    directs: [
      { title: 'Principal Engineer', level: 'IC5', office: 'berlin' },
      { title: 'Technical Program Manager', level: 'IC4', office: 'new-york' },
    ],
  },
  {
    key: 'product',
    name: 'Product & Design',
    costCenter: 'CC-1200',
    head: { title: 'VP Product', level: 'M2', office: 'berlin' },
    directs: [
      { title: 'Principal Product Manager', level: 'IC5', office: 'berlin' },
      { title: 'Design Operations Lead', level: 'IC3', office: 'berlin' },
    ],
  },
  {
    key: 'sales',
    name: 'Sales & Customer Success',
    costCenter: 'CC-1300',
    head: { title: 'VP Sales & Customer Success', level: 'M2', office: 'new-york' },
    directs: [
      { title: 'Revenue Operations Manager', level: 'IC4', office: 'new-york' },
      { title: 'Solutions Architect', level: 'IC4', office: 'berlin' },
    ],
  },
  {
    key: 'operations',
    name: 'People & Operations',
    costCenter: 'CC-1400',
    head: { title: 'Chief Financial Officer', level: 'M3', office: 'berlin' },
    directs: [{ title: 'Executive Assistant', level: 'IC2', office: 'berlin' }],
  },
];

export interface TeamSpec {
  key: string;
  name: string;
  department: DepartmentKey;
  office: OfficeKey;
  /** Current members below the manager. */
  size: number;
  track: Track;
  managerTitle: string;
}

export const TEAMS: readonly TeamSpec[] = [
  team('platform', 'Platform', 'engineering', 'berlin', 10, 'software', 'Engineering Manager'),
  team('payments', 'Payments', 'engineering', 'berlin', 9, 'software', 'Engineering Manager'),
  team('mobile', 'Mobile', 'engineering', 'bangalore', 8, 'mobile', 'Engineering Manager'),
  team('data', 'Data & ML', 'engineering', 'bangalore', 8, 'data', 'Data Engineering Manager'),
  team('devex', 'Developer Experience', 'engineering', 'bangalore', 6, 'software', 'Engineering Manager'),
  team('sre', 'Site Reliability', 'engineering', 'new-york', 7, 'sre', 'SRE Manager'),
  team('pm', 'Product Management', 'product', 'berlin', 7, 'product', 'Group Product Manager'),
  team('design', 'Product Design', 'product', 'berlin', 8, 'design', 'Design Manager'),
  team('research', 'User Research', 'product', 'new-york', 5, 'research', 'Research Manager'),
  team('sales-emea', 'Sales EMEA', 'sales', 'berlin', 10, 'sales', 'Sales Manager, EMEA'),
  team('sales-amer', 'Sales Americas', 'sales', 'new-york', 10, 'sales', 'Sales Manager, Americas'),
  team('success', 'Customer Success', 'sales', 'new-york', 10, 'success', 'Customer Success Director'),
  team('people', 'People & Talent', 'operations', 'berlin', 7, 'people', 'Head of People'),
  team('finance', 'Finance', 'operations', 'new-york', 6, 'finance', 'Finance Manager'),
  team('it', 'IT & Workplace', 'operations', 'bangalore', 5, 'it', 'IT Manager'),
];

function team(
  key: string,
  name: string,
  department: DepartmentKey,
  office: OfficeKey,
  size: number,
  track: Track,
  managerTitle: string,
): TeamSpec {
  return { key, name, department, office, size, track, managerTitle };
}

export const LEAVE_REASONS = [
  'Resigned: new role elsewhere',
  'Resigned: relocation',
  'Resigned: career change',
  'End of fixed-term contract',
  'Dismissed: performance',
  'Retired',
] as const;
