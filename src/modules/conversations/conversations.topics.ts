import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

/**
 * Topic tagging for coaching conversations (PRODUCT.md §6): the four business dimensions and the
 * development themes. Text is read with wink-nlp's packaged English model (offline): tokens are
 * lemmatised, so "promotions", "promoted" and "promoting" all meet the lexicon entry "promote", and
 * negated tokens ("we did not discuss pay") do not count. A topic is tagged when its cues add up to
 * the topic's threshold. Participants can always edit the result.
 */

export type TopicGroup = 'business' | 'development';

export interface TopicDefinition {
  topic: string;
  label: string;
  group: TopicGroup;
  /** Lemma phrases (space-separated lemmas); a multi-word phrase counts 2, a single word 1. */
  cues: string[];
}

export const TOPICS: readonly TopicDefinition[] = [
  {
    topic: 'revenue_growth',
    label: 'Revenue growth',
    group: 'business',
    cues: [
      'revenue',
      'sale',
      'deal',
      'pipeline',
      'quota',
      'upsell',
      'upsell',
      'renewal',
      'arr',
      'mrr',
      'bookings',
      'booking',
      'customer acquisition',
      'close deal',
      'win rate',
      'pricing',
      'price',
      'expansion revenue',
      'new logo',
      'prospect',
      'conversion rate',
      'churned account',
      'account growth',
      'commercial',
      'margin',
    ],
  },
  {
    topic: 'operational_excellence',
    label: 'Operational excellence',
    group: 'business',
    cues: [
      'incident',
      'outage',
      'on-call',
      'on call',
      'postmortem',
      'post-mortem',
      'reliability',
      'uptime',
      'latency',
      'process',
      'efficiency',
      'automate',
      'automation',
      'error rate',
      'defect',
      'bug',
      'quality',
      'runbook',
      'cycle time',
      'throughput',
      'handoff',
      'bottleneck',
      'deployment',
      'release process',
      'sla',
      'backlog',
      'test coverage',
      'flaky',
      'regression',
      'tech debt',
      'technical debt',
      'monitoring',
      'alert',
    ],
  },
  {
    topic: 'innovation',
    label: 'Innovation',
    group: 'business',
    cues: [
      'innovation',
      'innovate',
      'experiment',
      'prototype',
      'hackathon',
      'new idea',
      'idea',
      'explore',
      'proof of concept',
      'spike',
      'pilot',
      'invent',
      'patent',
      'creative',
      'new product',
      'new feature',
      'research',
      'moonshot',
      'try a new',
      'novel',
    ],
  },
  {
    topic: 'retention_career',
    label: 'Retention & career',
    group: 'business',
    cues: [
      'career',
      'promotion',
      'promote',
      'next level',
      'career path',
      'growth path',
      'leave the company',
      'quit',
      'resign',
      'stay',
      'retention',
      'job offer',
      'offer from',
      'recruiter',
      'long term',
      'career ladder',
      'senior',
      'staff engineer',
      'lead role',
      'move into management',
      'ambition',
      'aspiration',
      'future at',
      'internal move',
      'transfer',
      'succession',
      'engaged',
      'motivation',
    ],
  },
  {
    topic: 'feedback',
    label: 'Feedback',
    group: 'development',
    cues: [
      'feedback',
      'critique',
      'constructive',
      'observe',
      'observation',
      'impact of',
      'perceive',
      'came across',
      'come across',
      'blind spot',
      '360',
      'sbi',
      'behaviour',
      'behavior',
      'tone',
      'candid',
      'honest',
    ],
  },
  {
    topic: 'skills_learning',
    label: 'Skills & learning',
    group: 'development',
    cues: [
      'learn',
      'learning',
      'skill',
      'course',
      'training',
      'certification',
      'mentor',
      'mentoring',
      'study',
      'practice',
      'workshop',
      'conference',
      'book',
      'read',
      'stretch assignment',
      'stretch',
      'upskill',
      'pair programming',
      'pair',
      'shadow',
      'rust',
      'kubernetes',
      'public speaking',
      'presentation skill',
    ],
  },
  {
    topic: 'wellbeing_workload',
    label: 'Wellbeing & workload',
    group: 'development',
    cues: [
      'workload',
      'burnout',
      'burn out',
      'stress',
      'stressed',
      'overwhelm',
      'overwhelmed',
      'tired',
      'exhausted',
      'work late',
      'overtime',
      'weekend',
      'holiday',
      'vacation',
      'time off',
      'sick',
      'health',
      'wellbeing',
      'well-being',
      'balance',
      'too much',
      'capacity',
      'pressure',
      'energy',
      'sleep',
      'family',
      'parental leave',
    ],
  },
  {
    topic: 'collaboration',
    label: 'Collaboration',
    group: 'development',
    cues: [
      'collaboration',
      'collaborate',
      'teamwork',
      'team dynamic',
      'conflict',
      'disagreement',
      'cross-team',
      'cross team',
      'communication',
      'communicate',
      'stakeholder',
      'alignment with',
      'work with',
      'work together',
      'relationship',
      'trust',
      'silo',
      'meeting',
      'review',
      'code review',
      'partner',
      'support each other',
      'help',
      'unblock',
      'handover',
    ],
  },
  {
    topic: 'goals_priorities',
    label: 'Goals & priorities',
    group: 'development',
    cues: [
      'goal',
      'okr',
      'objective',
      'key result',
      'priority',
      'prioritise',
      'prioritize',
      'roadmap',
      'milestone',
      'deadline',
      'plan',
      'planning',
      'focus',
      'scope',
      'target',
      'quarter',
      'deliverable',
      'outcome',
      'success look like',
      'expectation',
      'commitment',
    ],
  },
  {
    topic: 'recognition',
    label: 'Recognition',
    group: 'development',
    cues: [
      'recognition',
      'recognise',
      'recognize',
      'praise',
      'thank',
      'thanks',
      'appreciate',
      'appreciation',
      'kudos',
      'great job',
      'well done',
      'proud',
      'celebrate',
      'shout-out',
      'shout out',
      'credit',
      'win',
      'excellent work',
      'impressive',
    ],
  },
];

const TOPIC_BY_SLUG = new Map(TOPICS.map((t) => [t.topic, t]));

/** A cue adds up to this before its topic is tagged. */
const THRESHOLD = 2;

const nlp = winkNLP(model);
const its = nlp.its;
// The lemma helper needs the model's add-ons, which the typings do not thread through `out()`.
const LEMMA = its.lemma as unknown as typeof its.normal;

interface CompiledCue {
  topic: string;
  lemmas: string[];
  weight: number;
}

let compiled: Map<string, CompiledCue[]> | undefined;

function lemmasOf(text: string): { lemma: string; negated: boolean }[] {
  const doc = nlp.readDoc(text);
  const lemmas = doc.tokens().out(LEMMA) as string[];
  const negated = doc.tokens().out(its.negationFlag) as boolean[];
  const types = doc.tokens().out(its.type) as string[];
  const out: { lemma: string; negated: boolean }[] = [];
  lemmas.forEach((lemma, i) => {
    if (types[i] === 'punctuation') return;
    out.push({ lemma: lemma.toLowerCase(), negated: negated[i] === true });
  });
  return out;
}

/** Cues indexed by their first lemma, compiled once through the same lemmatiser as the text. */
function cues(): Map<string, CompiledCue[]> {
  if (compiled) return compiled;
  compiled = new Map();
  for (const t of TOPICS) {
    for (const cue of new Set(t.cues)) {
      const lemmas = lemmasOf(cue).map((l) => l.lemma);
      if (lemmas.length === 0) continue;
      const entry = { topic: t.topic, lemmas, weight: lemmas.length > 1 ? 2 : 1 };
      const list = compiled.get(lemmas[0]!) ?? [];
      list.push(entry);
      compiled.set(lemmas[0]!, list);
    }
  }
  return compiled;
}

/** Scores of each topic for the text (sum of cue weights; negated mentions do not count). */
export function scoreTopics(text: string): Map<string, number> {
  const tokens = lemmasOf(text);
  const index = cues();
  const scores = new Map<string, number>();
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.negated) continue;
    for (const cue of index.get(token.lemma) ?? []) {
      if (cue.lemmas.every((l, k) => tokens[i + k]?.lemma === l)) {
        scores.set(cue.topic, (scores.get(cue.topic) ?? 0) + cue.weight);
      }
    }
  }
  return scores;
}

/** The topics tagged for a text, in catalogue order. */
export function tagTopics(text: string): string[] {
  const scores = scoreTopics(text);
  return TOPICS.filter((t) => (scores.get(t.topic) ?? 0) >= THRESHOLD).map((t) => t.topic);
}

export function isKnownTopic(topic: string): boolean {
  return TOPIC_BY_SLUG.has(topic);
}

export function topicInfo(topic: string): { topic: string; label: string; group: TopicGroup } {
  const t = TOPIC_BY_SLUG.get(topic);
  return t ? { topic, label: t.label, group: t.group } : { topic, label: topic, group: 'development' };
}
