import {
  IconBinaryTree2,
  IconChartLine,
  IconCompass,
  IconHeartHandshake,
  IconInbox,
  IconMessages,
  IconPlugConnected,
  IconRocket,
  IconShieldLock,
  IconSpeakerphone,
  IconTargetArrow,
  type Icon,
} from '@tabler/icons-react';

/**
 * Every capability of PRODUCT.md, in its order, with the page that holds it. The navigation, the
 * home page and the "Not built yet" pages all read this list, so a capability cannot be forgotten
 * in one place and shown in another.
 */
export interface Capability {
  number: number;
  slug: string;
  path: string;
  label: string;
  icon: Icon;
  built: boolean;
  /** One sentence from PRODUCT.md: what the page will hold. */
  summary: string;
}

export const CAPABILITIES: readonly Capability[] = [
  {
    number: 1,
    slug: 'org',
    path: '/org',
    label: 'Organisation',
    icon: IconBinaryTree2,
    built: true,
    summary:
      'People, teams and reporting lines with their history, locations, time zones and segments, imported from your HRIS.',
  },
  {
    number: 2,
    slug: 'connectors',
    path: '/connectors',
    label: 'Work data',
    icon: IconPlugConnected,
    built: true,
    summary:
      'Connectors for git, GitHub, Jira and business metrics that ingest real work incrementally and map every identity to a person, with a review queue for the ones that do not match.',
  },
  {
    number: 3,
    slug: 'dashboard',
    path: '/dashboard',
    label: 'Merit dashboard',
    icon: IconChartLine,
    built: true,
    summary:
      'A live dashboard of contribution, velocity, quality, collaboration and skills signals per person and team, each against its own baseline, where every number drills down to the events behind it.',
  },
  {
    number: 4,
    slug: 'profiles',
    path: '/profiles',
    label: 'Work-style profiles',
    icon: IconCompass,
    built: true,
    summary:
      'A short questionnaire that places each person on autonomy, collaboration and need-for-structure dimensions with communication preferences, so coaching is suggested in the way that suits them.',
  },
  {
    number: 5,
    slug: 'coaching',
    path: '/coaching',
    label: 'Coaching',
    icon: IconInbox,
    built: true,
    summary:
      'Coaching opportunities raised from real dips, sustained strengths, long gaps, stalled goals and new-hire ramp-ups, each with its evidence and a suggested conversation framework.',
  },
  {
    number: 6,
    slug: 'conversations',
    path: '/conversations',
    label: 'Conversations',
    icon: IconMessages,
    built: true,
    summary:
      '1:1s, project debriefs, peer, upward and external coaching with agendas, notes of explicit visibility, tagged topics, follow-up actions and the employee’s helpfulness rating.',
  },
  {
    number: 7,
    slug: 'goals',
    path: '/goals',
    label: 'Goals',
    icon: IconTargetArrow,
    built: true,
    summary:
      'Goals on the SAME model: set expectations, align them in a tree from company to person, measure and modify them with check-ins, and evaluate outcomes against criteria defined up front.',
  },
  {
    number: 8,
    slug: 'feedback',
    path: '/feedback',
    label: 'Feedback & surveys',
    icon: IconSpeakerphone,
    built: false,
    summary:
      'Continuous, peer and upward feedback, and pulse surveys such as the psychological-safety scale, with anonymity enforced by minimum group sizes rather than promised.',
  },
  {
    number: 9,
    slug: 'insights',
    path: '/insights',
    label: 'Coaching outcomes',
    icon: IconHeartHandshake,
    built: false,
    summary:
      'Coaching effectiveness and business outcomes: leading and lagging indicators, coaching distribution across segments, manager effectiveness and an explained churn-risk model.',
  },
  {
    number: 10,
    slug: 'privacy',
    path: '/privacy',
    label: 'Trust & privacy',
    icon: IconShieldLock,
    built: false,
    summary:
      'What your manager sees about you, a full export of your data, erasure with legal retention, and the wall that keeps development data away from compensation.',
  },
  {
    number: 11,
    slug: 'rollout',
    path: '/rollout',
    label: 'Rollout',
    icon: IconRocket,
    built: false,
    summary:
      'An implementation roadmap from assessment through foundation and pilot to scaled rollout, with pilot teams and adoption metrics.',
  },
];
