import { AppError, type FieldProblem } from '../../shared/app-error.js';

/**
 * The work-style questionnaire: its items, answer options and scoring, in one place. The same text
 * is documented in docs/work-style-profile.md; change both together and bump QUESTIONNAIRE_VERSION
 * (stored with every submission, so older answers stay interpretable).
 */
export const QUESTIONNAIRE_VERSION = 1;

export type Dimension = 'autonomy' | 'collaboration' | 'structure';

export interface LikertItem {
  id: string;
  dimension: Dimension;
  text: string;
  /** Reverse-keyed: agreeing places the person LOWER on the dimension (scored as 6 − answer). */
  reverse: boolean;
}

export const LIKERT_MIN = 1;
export const LIKERT_MAX = 5;
export const LIKERT_LABELS = [
  'Strongly disagree',
  'Disagree',
  'Neither agree nor disagree',
  'Agree',
  'Strongly agree',
] as const;

export const DIMENSIONS: readonly {
  id: Dimension;
  label: string;
  low: string;
  high: string;
  description: string;
}[] = [
  {
    id: 'autonomy',
    label: 'Autonomy',
    low: 'Prefers guidance and regular check-ins',
    high: 'Prefers clear outcomes and freedom over the method',
    description: 'How much freedom over the way work is done helps this person do their best work.',
  },
  {
    id: 'collaboration',
    label: 'Collaboration',
    low: 'Works best independently',
    high: 'Energised by working with others',
    description: 'Whether this person draws energy and results from working with others or on their own.',
  },
  {
    id: 'structure',
    label: 'Structure & detail',
    low: 'Comfortable with ambiguity and broad strokes',
    high: 'Wants precise metrics, plans and specific next steps',
    description: 'How much structure, precision and explicit measurement this person needs.',
  },
];

export const ITEMS: readonly LikertItem[] = [
  {
    id: 'autonomy_1',
    dimension: 'autonomy',
    reverse: false,
    text: 'I do my best work when I am given the goal and left to decide how to reach it.',
  },
  {
    id: 'autonomy_2',
    dimension: 'autonomy',
    reverse: true,
    text: 'I prefer to check my approach with my manager before starting a significant piece of work.',
  },
  {
    id: 'autonomy_3',
    dimension: 'autonomy',
    reverse: false,
    text: 'Detailed instructions about how to do a task tend to slow me down.',
  },
  {
    id: 'autonomy_4',
    dimension: 'autonomy',
    reverse: true,
    text: 'Frequent check-ins on my progress help me stay on track.',
  },
  {
    id: 'collaboration_1',
    dimension: 'collaboration',
    reverse: false,
    text: 'I get energy from solving problems together with colleagues.',
  },
  {
    id: 'collaboration_2',
    dimension: 'collaboration',
    reverse: true,
    text: 'I prefer to work through a hard problem on my own before involving anyone else.',
  },
  {
    id: 'collaboration_3',
    dimension: 'collaboration',
    reverse: false,
    text: 'What the team achieves together matters more to me than individual recognition.',
  },
  {
    id: 'collaboration_4',
    dimension: 'collaboration',
    reverse: true,
    text: 'Pairing or group work usually slows me down.',
  },
  {
    id: 'structure_1',
    dimension: 'structure',
    reverse: false,
    text: 'I like clear metrics that show whether I am on track.',
  },
  {
    id: 'structure_2',
    dimension: 'structure',
    reverse: true,
    text: 'I am comfortable starting work before the requirements are fully defined.',
  },
  {
    id: 'structure_3',
    dimension: 'structure',
    reverse: false,
    text: 'Feedback helps me most when it names specific examples and concrete next steps.',
  },
  {
    id: 'structure_4',
    dimension: 'structure',
    reverse: true,
    text: 'Detailed plans feel constraining to me.',
  },
];

export const COMMUNICATION = {
  channel: {
    label: 'How I prefer to receive feedback',
    options: [
      { id: 'written', label: 'Written' },
      { id: 'verbal', label: 'Spoken (in person or on a call)' },
      { id: 'either', label: 'Either' },
    ],
  },
  timing: {
    label: 'When I prefer to discuss things',
    options: [
      { id: 'sync', label: 'Live, in a conversation' },
      { id: 'async', label: 'Asynchronously, so I can think first' },
      { id: 'either', label: 'Either' },
    ],
  },
  directness: {
    label: 'How I like feedback phrased',
    options: [
      { id: 'direct', label: 'Direct and to the point' },
      { id: 'balanced', label: 'Balanced' },
      { id: 'gentle', label: 'Gentle, with context first' },
    ],
  },
} as const;

export type CommunicationKey = keyof typeof COMMUNICATION;
export type Channel = (typeof COMMUNICATION.channel.options)[number]['id'];
export type Timing = (typeof COMMUNICATION.timing.options)[number]['id'];
export type Directness = (typeof COMMUNICATION.directness.options)[number]['id'];

export interface CommunicationPreferences {
  channel: Channel;
  timing: Timing;
  directness: Directness;
}

/** Motivation drivers a person picks from (one to three). */
export const DRIVERS = [
  { id: 'mastery', label: 'Mastery', description: 'Getting really good at the craft' },
  { id: 'purpose', label: 'Purpose', description: 'Work that matters beyond the task' },
  { id: 'impact', label: 'Customer impact', description: 'Seeing the effect on customers and users' },
  { id: 'growth', label: 'Career growth', description: 'New responsibility, scope and progression' },
  { id: 'recognition', label: 'Recognition', description: 'Having contributions seen and acknowledged' },
  { id: 'belonging', label: 'Belonging', description: 'Being part of a team that has each other’s backs' },
  { id: 'learning', label: 'Learning', description: 'New topics, new problems, variety' },
  { id: 'stability', label: 'Stability', description: 'Predictable work, a sustainable pace' },
] as const;
export type Driver = (typeof DRIVERS)[number]['id'];
export const MIN_DRIVERS = 1;
export const MAX_DRIVERS = 3;

export type Scores = Record<Dimension, number>;
export type Band = 'low' | 'balanced' | 'high';

/** Low below 34, high above 66, balanced between (on the 0–100 scale). */
export function bandOf(score: number): Band {
  if (score <= 33) return 'low';
  if (score >= 67) return 'high';
  return 'balanced';
}

export interface ProfileAnswers {
  answers: Record<string, number>;
  communication: Partial<Record<CommunicationKey, string>>;
  drivers: string[];
}

export interface ScoredProfile {
  answers: Record<string, number>;
  scores: Scores;
  communication: CommunicationPreferences;
  drivers: Driver[];
}

/**
 * Validates a complete set of answers and scores it. Each dimension's score is the mean of its items
 * (reverse-keyed items counted as 6 − answer) rescaled from 1–5 to 0–100 and rounded. Incomplete or
 * out-of-range answers are refused with one problem per field (`/body/answers/<item>` …).
 */
export function scoreAnswers(input: ProfileAnswers, pathPrefix = '/body'): ScoredProfile {
  const problems: FieldProblem[] = [];
  const known = new Set(ITEMS.map((i) => i.id));
  for (const key of Object.keys(input.answers)) {
    if (!known.has(key))
      problems.push({
        path: `${pathPrefix}/answers/${key}`,
        message: 'is not a question of this questionnaire',
      });
  }
  for (const item of ITEMS) {
    const v = input.answers[item.id];
    if (v === undefined || v === null)
      problems.push({ path: `${pathPrefix}/answers/${item.id}`, message: 'is not answered' });
    else if (!Number.isInteger(v) || v < LIKERT_MIN || v > LIKERT_MAX) {
      problems.push({
        path: `${pathPrefix}/answers/${item.id}`,
        message: `must be a whole number from ${LIKERT_MIN} to ${LIKERT_MAX}`,
      });
    }
  }
  for (const key of Object.keys(COMMUNICATION) as CommunicationKey[]) {
    const value = input.communication[key];
    const options: readonly { id: string }[] = COMMUNICATION[key].options;
    if (value === undefined)
      problems.push({ path: `${pathPrefix}/communication/${key}`, message: 'is not answered' });
    else if (!options.some((o) => o.id === value)) {
      problems.push({
        path: `${pathPrefix}/communication/${key}`,
        message: `must be one of ${options.map((o) => o.id).join(', ')}`,
      });
    }
  }
  const driverIds: readonly string[] = DRIVERS.map((d) => d.id);
  input.drivers.forEach((d, i) => {
    if (!driverIds.includes(d))
      problems.push({
        path: `${pathPrefix}/drivers/${i}`,
        message: `must be one of ${driverIds.join(', ')}`,
      });
  });
  const unique = new Set(input.drivers);
  if (unique.size !== input.drivers.length)
    problems.push({ path: `${pathPrefix}/drivers`, message: 'lists a driver twice' });
  if (unique.size < MIN_DRIVERS || unique.size > MAX_DRIVERS) {
    problems.push({
      path: `${pathPrefix}/drivers`,
      message: `choose ${MIN_DRIVERS} to ${MAX_DRIVERS} motivation drivers`,
    });
  }
  if (problems.length) {
    throw new AppError(
      'validation_failed',
      'The questionnaire is incomplete or has invalid answers.',
      problems,
    );
  }

  const scores = {} as Scores;
  for (const dim of DIMENSIONS) {
    const items = ITEMS.filter((i) => i.dimension === dim.id);
    const mean =
      items.reduce((sum, i) => {
        const v = input.answers[i.id]!;
        return sum + (i.reverse ? LIKERT_MIN + LIKERT_MAX - v : v);
      }, 0) / items.length;
    scores[dim.id] = Math.round(((mean - LIKERT_MIN) / (LIKERT_MAX - LIKERT_MIN)) * 100);
  }
  const answers: Record<string, number> = {};
  for (const item of ITEMS) answers[item.id] = input.answers[item.id]!;
  return {
    answers,
    scores,
    communication: input.communication as CommunicationPreferences,
    drivers: input.drivers as Driver[],
  };
}
