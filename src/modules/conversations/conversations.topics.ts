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
  /** Cues that on their own make the topic (weight 2): lemmatised like the text, phrases allowed. */
  strong: string[];
  /** Cues that support it (weight 1): two of them, or one with a strong cue, are needed. */
  weak: string[];
}

export const TOPICS: readonly TopicDefinition[] = [
  {
    topic: 'revenue_growth',
    label: 'Revenue growth',
    group: 'business',
    strong: [
      'revenue',
      'sale',
      'deal',
      'pipeline',
      'quota',
      'upsell',
      'renewal',
      'arr',
      'mrr',
      'booking',
      'pricing',
      'new logo',
      'customer acquisition',
      'win rate',
      'conversion rate',
      'churned account',
      'expansion revenue',
      'account plan',
      'prospect',
      'margin',
    ],
    weak: ['price', 'conversion', 'commercial', 'customer', 'account', 'enterprise', 'contract'],
  },
  {
    topic: 'operational_excellence',
    label: 'Operational excellence',
    group: 'business',
    strong: [
      'incident',
      'outage',
      'postmortem',
      'post-mortem',
      'reliability',
      'uptime',
      'latency',
      'runbook',
      'error rate',
      'defect',
      'cycle time',
      'throughput',
      'bottleneck',
      'test coverage',
      'flaky',
      'regression',
      'tech debt',
      'technical debt',
      'alerting',
      'automate',
      'automation',
      'on-call',
      'on call',
      'sla',
    ],
    weak: [
      'process',
      'efficiency',
      'bug',
      'quality',
      'deployment',
      'release',
      'monitoring',
      'alert',
      'backlog',
      'manual',
      'ticket',
      'checklist',
      'migration',
    ],
  },
  {
    topic: 'innovation',
    label: 'Innovation',
    group: 'business',
    strong: [
      'innovation',
      'innovate',
      'experiment',
      'prototype',
      'hackathon',
      'proof of concept',
      'spike',
      'invent',
      'patent',
      'new product',
      'moonshot',
      'new idea',
    ],
    weak: ['idea', 'explore', 'pilot', 'research', 'creative', 'novel', 'proposal', 'test whether'],
  },
  {
    topic: 'retention_career',
    label: 'Retention & career',
    group: 'business',
    strong: [
      'career',
      'promotion',
      'promote',
      'career ladder',
      'career path',
      'next level',
      'retention',
      'recruiter',
      'job offer',
      'quit',
      'resign',
      'leave the company',
      'into management',
      'director role',
      'lead role',
      'staff role',
      'disengage',
      'future here',
      'ambition',
      'aspiration',
      'succession',
    ],
    weak: [
      'senior',
      'offer',
      'stay',
      'stuck',
      'motivation',
      'long term',
      'management',
      'role',
      'transfer',
      'growth',
    ],
  },
  {
    topic: 'feedback',
    label: 'Feedback',
    group: 'development',
    strong: [
      'feedback',
      'critique',
      'blind spot',
      'sbi',
      '360',
      'upward feedback',
      'candid',
      'the impact be',
      'disagreement earlier',
    ],
    weak: [
      'constructive',
      'observe',
      'observation',
      'notice',
      'perceive',
      'come across',
      'behaviour',
      'behavior',
      'tone',
      'honest',
      'disagree',
      'raise',
    ],
  },
  {
    topic: 'skills_learning',
    label: 'Skills & learning',
    group: 'development',
    strong: [
      'learn',
      'learning',
      'skill',
      'course',
      'training',
      'certification',
      'mentor',
      'mentoring',
      'workshop',
      'stretch assignment',
      'upskill',
      'pair programming',
      'public speaking',
      'reading group',
      'role-play',
      'role play',
      'shadow',
      'leadership presence',
      'practise',
      'practice',
    ],
    weak: [
      'study',
      'conference',
      'book',
      'read',
      'stretch',
      'pair',
      'pairing',
      'improve',
      'writing',
      'template',
      'leadership',
      'coaching from',
      'example',
    ],
  },
  {
    topic: 'wellbeing_workload',
    label: 'Wellbeing & workload',
    group: 'development',
    strong: [
      'workload',
      'burnout',
      'burn out',
      'burning out',
      'stress',
      'stressed',
      'overwhelm',
      'overwhelmed',
      'exhausted',
      'work late',
      'overtime',
      'time off',
      'wellbeing',
      'well-being',
      'parental leave',
      'sick leave',
      'health',
      'work-life',
      'flexible hours',
      'day off',
      'take friday off',
    ],
    weak: [
      'tired',
      'weekend',
      'holiday',
      'vacation',
      'sick',
      'balance',
      'too much',
      'capacity',
      'pressure',
      'energy',
      'sleep',
      'family',
      'quiet',
      'rebalance',
    ],
  },
  {
    topic: 'collaboration',
    label: 'Collaboration',
    group: 'development',
    strong: [
      'collaboration',
      'collaborate',
      'teamwork',
      'team dynamic',
      'conflict',
      'friction',
      'cross-team',
      'cross team',
      'stakeholder',
      'work together',
      'work through',
      'glue work',
      'unblock',
      'handover',
      'not aligned',
      'be align',
      'weekly sync',
      'ownership',
    ],
    weak: [
      'communication',
      'communicate',
      'relationship',
      'trust',
      'silo',
      'review',
      'code review',
      'partner',
      'help',
      'teammate',
      'together',
      'pair',
      'disagree',
      'owner',
      'cover',
    ],
  },
  {
    topic: 'goals_priorities',
    label: 'Goals & priorities',
    group: 'development',
    strong: [
      'goal',
      'okr',
      'objective',
      'key result',
      'priority',
      'prioritise',
      'prioritize',
      'roadmap',
      'milestone',
      'success look like',
      'focus time',
      'scope',
      'deliverable',
      'expected outcome',
    ],
    weak: [
      'deadline',
      'plan',
      'planning',
      'focus',
      'target',
      'quarter',
      'outcome',
      'expectation',
      'commitment',
      'cut',
      'behind',
      'next quarter',
    ],
  },
  {
    topic: 'recognition',
    label: 'Recognition',
    group: 'development',
    strong: [
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
      'well do',
      'shout-out',
      'shout out',
      'call it out',
      'credit',
      'celebrate',
      'visible',
    ],
    weak: ['proud', 'win', 'excellent', 'impressive', 'notice', 'seen by', 'done'],
  },
];

const TOPIC_BY_SLUG = new Map(TOPICS.map((t) => [t.topic, t]));

/** Cue weights add up to this before a topic is tagged: one strong cue, or two weak ones. */
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
    const weighted = [...t.strong.map((c) => [c, 2] as const), ...t.weak.map((c) => [c, 1] as const)];
    for (const [cue, weight] of weighted) {
      const lemmas = lemmasOf(cue).map((l) => l.lemma);
      if (lemmas.length === 0) continue;
      const entry = { topic: t.topic, lemmas, weight };
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
export function tagTopics(text: string, threshold = THRESHOLD): string[] {
  const scores = scoreTopics(text);
  return TOPICS.filter((t) => (scores.get(t.topic) ?? 0) >= threshold).map((t) => t.topic);
}

/**
 * Tags text made of parts (agenda items, notes, actions), scoring each distinct part once through
 * `cache`. Parts are separate sentences, so the summed scores equal those of the joined text.
 */
export function tagTopicsOfParts(
  parts: string[],
  cache: Map<string, Map<string, number>>,
  threshold = THRESHOLD,
): string[] {
  const total = new Map<string, number>();
  for (const part of parts) {
    let scores = cache.get(part);
    if (!scores) {
      scores = scoreTopics(part);
      cache.set(part, scores);
    }
    for (const [topic, score] of scores) total.set(topic, (total.get(topic) ?? 0) + score);
  }
  return TOPICS.filter((t) => (total.get(t.topic) ?? 0) >= threshold).map((t) => t.topic);
}

export function isKnownTopic(topic: string): boolean {
  return TOPIC_BY_SLUG.has(topic);
}

export function topicInfo(topic: string): { topic: string; label: string; group: TopicGroup } {
  const t = TOPIC_BY_SLUG.get(topic);
  return t ? { topic, label: t.label, group: t.group } : { topic, label: topic, group: 'development' };
}
