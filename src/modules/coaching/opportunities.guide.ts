import type {
  GuideStyleType,
  OpportunityFrameworkType,
  OpportunityGuideType,
  SubjectStyleType,
} from './opportunities.schema.js';

/**
 * Built-in conversation guides: a template per trigger, tailored by the subject's work style
 * (modules/profiles) and communication preferences. Complete without any AI. Only what the person
 * said about themselves (their profile) and the evidence are used: nothing infers moods or feelings.
 *
 * Tailoring (PRODUCT.md §4): high autonomy → outcomes and freedom over method; collaboration-oriented
 * → team dynamics, who they work with; structure/detail-focused → precise metrics and concrete action
 * steps. No profile (or a team) → the neutral guide; a balanced profile → the neutral guide with a note.
 */

type StyleKey = 'autonomy' | 'collaboration' | 'structure';

export interface StyleVariant {
  opening?: string;
  talkingPoints?: string[];
  questions?: string[];
  avoid?: string[];
}

export interface TriggerTemplate {
  label: string;
  opening: string;
  talkingPoints: string[];
  questions: string[];
  avoid: string[];
  styles?: Partial<Record<StyleKey, StyleVariant>>;
}

export const FRAMEWORK_STEPS: Record<OpportunityFrameworkType, { step: string; prompt: string }[]> = {
  GROW: [
    { step: 'Goal', prompt: 'What do you want to get out of this, for this conversation and beyond?' },
    { step: 'Reality', prompt: 'What is happening now? What does the evidence show, and what does it miss?' },
    { step: 'Options', prompt: 'What could you do? What else? What would help?' },
    { step: 'Way forward', prompt: 'What will you do, by when, and how will we know?' },
  ],
  SBI: [
    {
      step: 'Situation',
      prompt: 'Name when and where, concretely (the weeks and the work in the evidence).',
    },
    { step: 'Behaviour', prompt: 'Describe what was observed — the work, not the person’s character.' },
    { step: 'Impact', prompt: 'Say what it changed for the team or the work, then listen.' },
  ],
  strengths: [
    { step: 'Name it', prompt: 'Say precisely what is going well and how you know.' },
    { step: 'Understand it', prompt: 'Ask what makes it work, so it can be repeated on purpose.' },
    {
      step: 'Stretch it',
      prompt: 'Agree where the strength could take them next (from excellent to exceptional).',
    },
  ],
  career: [
    { step: 'Aspirations', prompt: 'Where do they want to be in one to two years?' },
    { step: 'Gap', prompt: 'Which skills or experiences would get them there?' },
    { step: 'Plan', prompt: 'Which work in the coming weeks builds that, and what support do they need?' },
  ],
  retention: [
    { step: 'Stay', prompt: 'What keeps them here; what would they miss?' },
    { step: 'Friction', prompt: 'What gets in the way of doing their best work?' },
    { step: 'Commit', prompt: 'One thing you will change, and when you will next talk.' },
  ],
};

const AVOID_ALWAYS = 'Guessing at feelings, motives or private life — ask, and stay with the work.';

export const TEMPLATES: Record<string, TriggerTemplate> = {
  individual_dip: {
    label: 'Individual dip',
    opening:
      'I noticed {metrics} has been lower than your usual since {since}. Before I read anything into it, I’d like to hear how the work looks from your side.',
    talkingPoints: [
      'The evidence: {metric} is {change} below your own baseline since {since}; the team did not move the same way.',
      'Numbers miss context — ask what the work looked like in those weeks (reviews, support, invisible work).',
      'Agree what, if anything, should change, and what you as manager can remove or provide.',
    ],
    questions: [
      'What has your work looked like in the last few weeks?',
      'Is anything slowing you down that I could help with?',
      'What would a good next two weeks look like?',
    ],
    avoid: ['Opening with the number as a verdict.', 'Comparing them with colleagues.'],
    styles: {
      autonomy: {
        opening:
          'I saw {metrics} drop below your usual since {since}. You know your work best — how do you read it, and what outcome do you want over the next weeks?',
        talkingPoints: ['Agree the outcome, leave the method to them; offer help rather than a plan.'],
        questions: ['What would you change, if it were entirely up to you?'],
        avoid: ['Prescribing step-by-step fixes or adding check-ins they did not ask for.'],
      },
      collaboration: {
        opening:
          'I saw {metrics} dip since {since} and wanted to check in on how things are going with the people you work with.',
        talkingPoints: [
          'Ask about hand-offs, reviews and pairing — who they depend on and who depends on them.',
        ],
        questions: [
          'Who could you pair or team up with on this?',
          'Is anything in how the team works together getting in the way?',
        ],
        avoid: ['Treating it as a solo problem when the work is shared.'],
      },
      structure: {
        opening:
          'I looked at the numbers: {metric} is {change} below your 12-week baseline since {since}. I’d like to go through them with you and agree concrete next steps.',
        talkingPoints: [
          'Walk through the evidence week by week (“why this number?” lists the events).',
          'End with two or three dated, measurable steps.',
        ],
        questions: [
          'Which of these weeks looks different from what you expected, and why?',
          'What specific step would you take first, and by when?',
        ],
        avoid: ['Vague encouragement without specifics or a follow-up date.'],
      },
    },
  },
  team_dip: {
    label: 'Team-wide dip',
    opening:
      '{metrics} dipped across {team} since {since} — not one person. Let’s look for what in the way we work is in the way.',
    talkingPoints: [
      'Frame it as a system question: tooling, process, dependencies, priorities, staffing, on-call load.',
      'Do not single anyone out: the whole team moved ({change} below the team baseline).',
      'Leave with one barrier you will remove, with an owner and a date.',
    ],
    questions: [
      'What changed for the team around {since}?',
      'What slowed everyone down recently — tools, reviews, unplanned work?',
      'If we removed one obstacle this sprint, which would matter most?',
    ],
    avoid: ['Coaching individuals for a team-wide pattern.', 'Announcing the number as a target to hit.'],
  },
  sustained_strength: {
    label: 'Sustained strength',
    opening:
      'Your {metrics} has been well above your own baseline for weeks. I want to say so, and talk about where you could take it next.',
    talkingPoints: [
      'Name the strength precisely with the evidence ({metric}, {change} above baseline since {since}).',
      'Ask what makes it work, so it becomes a habit rather than luck.',
      'Discuss a stretch: from excellent to exceptional (scope, mentoring, visibility).',
    ],
    questions: [
      'What made these weeks go well?',
      'What would you like to do more of?',
      'Where could this strength take you next?',
    ],
    avoid: ['Just “great job” without specifics.', 'Rewarding a strength with more of the same work only.'],
    styles: {
      autonomy: {
        talkingPoints: ['Offer a bigger outcome to own, with freedom over how.'],
        questions: ['Which problem would you like to own end to end?'],
      },
      collaboration: {
        talkingPoints: [
          'Make the strength visible to the team; suggest sharing it (pairing, a demo, mentoring).',
        ],
        questions: ['Who on the team could learn from how you do this?'],
      },
      structure: {
        talkingPoints: [
          'Show the figures against baseline; agree a concrete next-level goal with a measure.',
        ],
        questions: ['What measurable goal would stretch this next quarter?'],
      },
    },
  },
  signal_change: {
    label: 'New signal',
    opening: 'A quick note: {metric} is up in the last couple of weeks — nice work.',
    talkingPoints: [
      'Keep it short and specific; an asynchronous message is fine.',
      'Mention what you saw and, if useful, ask one question.',
    ],
    questions: ['Anything that made the last two weeks work well?'],
    avoid: ['Turning a quick note into a meeting.'],
  },
  conversation_gap: {
    label: 'Long gap since the last 1:1',
    opening:
      'It has been a while since we sat down — {days} days. I’d like to catch up on how things are going and what you need from me.',
    talkingPoints: [
      'Own the gap; the point is to restart a cadence, not to review performance.',
      'Agree a rhythm you will both keep.',
      'Pick up open follow-ups from your last conversation.',
    ],
    questions: [
      'What has been on your mind lately?',
      'What should we make sure we talk about regularly?',
      'How often would you like to meet?',
    ],
    avoid: ['Filling the first meeting after a gap with status updates.'],
  },
  missed_one_on_ones: {
    label: 'Cancelled 1:1s',
    opening:
      'A few of our 1:1s fell through lately ({count} of {planned}). I want to protect that time — does the slot and format still work for you?',
    talkingPoints: [
      'Own the cancellations that were yours; the aim is a rhythm that holds.',
      'Check whether the time, length or format needs to change.',
      'Agree what happens when one has to move (reschedule within the week, or an async check-in).',
    ],
    questions: [
      'Is this still a good time and length?',
      'What would make these conversations more useful to you?',
    ],
    avoid: ['Treating the cancellations as the report’s fault without looking at who moved them.'],
    styles: {
      autonomy: { talkingPoints: ['Let them choose the cadence and format that works for them.'] },
      collaboration: { talkingPoints: ['Consider a walking 1:1 or pairing the slot with team rituals.'] },
      structure: { talkingPoints: ['Fix a recurring slot and a short standing agenda.'] },
    },
  },
  development_goal: {
    label: 'Development goal',
    opening:
      'I’d like us to set one development goal for {quarter} — something you want to get better at, not just deliver.',
    talkingPoints: [
      'Start from what they want to learn; connect it to work coming up.',
      'Write success criteria up front (the SAME model: Set expectations).',
      'Agree a check-in cadence.',
    ],
    questions: [
      'What would you like to be better at by the end of the quarter?',
      'Which upcoming work could help?',
    ],
    avoid: ['Handing over a goal they did not help shape.'],
    styles: {
      autonomy: { talkingPoints: ['Let them draft the goal; you sharpen the outcome.'] },
      collaboration: { talkingPoints: ['Consider a goal shared with a peer or tied to the team’s goal.'] },
      structure: { talkingPoints: ['Make it measurable: a metric, a target and a date.'] },
    },
  },
  ramp_up: {
    label: 'New-hire ramp-up',
    opening:
      'You are {milestone} days in. I’d like to hear how it is going and what would help you get fully up to speed.',
    talkingPoints: [
      'Review what they have learned and shipped so far; celebrate the first contributions.',
      'Ask what is still unclear (codebase, people, expectations).',
      'Agree the next milestone and what “ramped up” means for their role.',
    ],
    questions: [
      'What has surprised you so far?',
      'What is still unclear or slowing you down?',
      'What would you like to own by the next milestone?',
    ],
    avoid: ['Judging ramp-up speed against others.'],
  },
  stalled_goal: {
    label: 'Stalled goal',
    opening:
      '“{goal}” seems to have stalled ({detail}). Let’s look at whether the goal, the plan or the circumstances need to change.',
    talkingPoints: [
      'Check the goal is still right; modifying it is legitimate (the SAME model’s Modify).',
      'Find the blocker: priority, dependency, skill or time.',
      'Agree the next check-in and one concrete step.',
    ],
    questions: [
      'Is this goal still the right one?',
      'What is in the way?',
      'What is one step you can take before the next check-in?',
    ],
    avoid: ['Treating a stalled goal as a personal failing.'],
  },
  overdue_followups: {
    label: 'Overdue follow-ups',
    opening:
      'A few of the follow-ups from our 1:1s are past due ({count}, the oldest since {since}). Let’s see which still matter and what got in the way.',
    talkingPoints: [
      'Go through the open follow-ups together: keep, re-date or drop each one.',
      'Look for a pattern: too many at once, unclear ownership, or blocked by someone else.',
      'Agree fewer, clearer follow-ups with realistic dates.',
    ],
    questions: [
      'Which of these still matter?',
      'What got in the way?',
      'What would make follow-ups easier to keep?',
    ],
    avoid: ['Treating overdue items as a lack of commitment before hearing why.'],
    styles: {
      autonomy: {
        talkingPoints: [
          'Let them propose which follow-ups to keep and how; agree only the outcome and date.',
        ],
      },
      collaboration: {
        talkingPoints: ['Check whether follow-ups depend on others and who could help unblock them.'],
      },
      structure: {
        talkingPoints: ['List each follow-up with a new date and a definition of done.'],
      },
    },
  },
  follow_through: {
    label: 'Follow-through to recognise',
    opening:
      'I noticed you closed {count} of our follow-ups on time this month — thank you, that makes a difference.',
    talkingPoints: [
      'Be specific: which follow-ups, and what finishing them made possible (Situation, Behaviour, Impact).',
      'A short written note or a line in the next 1:1 is enough.',
    ],
    questions: ['What helped you keep on top of them?'],
    avoid: ['Generic praise without the specifics.'],
    styles: {
      autonomy: { talkingPoints: ['Recognise the ownership: they ran with it without being chased.'] },
      collaboration: {
        talkingPoints: ['Say what it meant for the people who depended on those follow-ups.'],
      },
      structure: {
        talkingPoints: ['Name the follow-ups and their dates: the precision is the recognition.'],
      },
    },
  },
  coaching_consistency: {
    label: 'Coach the coach',
    opening:
      'You have held {held} of {planned} 1:1s with your team lately ({rate}). That consistency matters — I’d like to hear what you are learning as a coach.',
    talkingPoints: [
      'Recognise the consistency specifically; it is the base of coaching.',
      'Ask which conversations went well and which were hard.',
      'Offer one coaching skill to build next (questions over answers, SBI feedback, career talks).',
    ],
    questions: [
      'Which 1:1 recently felt most useful to your report?',
      'Where do you feel least sure as a coach?',
    ],
    avoid: ['Turning it into a review of their team’s numbers.'],
    styles: {
      autonomy: { talkingPoints: ['Let them choose the coaching skill to work on.'] },
      collaboration: { talkingPoints: ['Suggest a peer-coaching pair with another manager.'] },
      structure: {
        talkingPoints: ['Agree a concrete practice: one technique, used in the next three 1:1s.'],
      },
    },
  },
  team_one_on_ones_slipping: {
    label: '1:1s slipping in their team',
    opening:
      'I noticed quite a few of your team’s 1:1s were cancelled lately ({count}; {rate} held). What is squeezing them out?',
    talkingPoints: [
      'Ask about load first: what competes with 1:1s, and what could you take off their plate.',
      'Agree a minimum rhythm they can keep, even a short one.',
      'Offer to share what works for you in keeping 1:1s.',
    ],
    questions: [
      'What gets in the way of your 1:1s?',
      'Which of your reports would you most like more time with?',
    ],
    avoid: ['Making it a compliance check; the point is their team getting coached.'],
    styles: {
      autonomy: {
        talkingPoints: ['Agree the outcome (every report coached regularly) and let them choose how.'],
      },
      collaboration: { talkingPoints: ['Suggest a peer manager to compare approaches with.'] },
      structure: { talkingPoints: ['Agree a concrete cadence per report and check it again in four weeks.'] },
    },
  },
  career_conversation: {
    label: 'Career conversation due',
    opening:
      'We haven’t talked about your career in a while ({days} days). I’d like to hear where you want to go and how I can help.',
    talkingPoints: [
      'Ask about aspirations before offering options.',
      'Connect upcoming work to the skills they want to build.',
      'Agree one development step and when you will revisit it.',
    ],
    questions: [
      'Where would you like to be in a year or two?',
      'What work energises you most?',
      'What skill would you like to build next?',
    ],
    avoid: ['Promising promotions or pay — keep development separate from compensation.'],
    styles: {
      autonomy: {
        talkingPoints: ['Offer ownership of a bigger problem as the development step.'],
      },
      collaboration: {
        talkingPoints: ['Consider mentoring, pairing or a cross-team project as the development step.'],
      },
      structure: {
        talkingPoints: ['Write down a development plan with milestones and dates.'],
      },
    },
  },
  sprint_start: {
    label: 'Sprint start',
    opening: '{name} starts now — a quick word on what each of you wants to stretch on this sprint.',
    talkingPoints: [
      'Keep it to a few minutes, in stand-up or a short thread.',
      'Link one sprint task per person to a development goal where it fits.',
    ],
    questions: [
      'What in this sprint would you like to learn from?',
      'Where would you like support or a pair?',
    ],
    avoid: ['Turning it into a status meeting.'],
  },
  sprint_close: {
    label: 'Sprint close',
    opening: '{name} has closed — a quick look back: one thing that went well and one to improve.',
    talkingPoints: [
      'Recognise specific contributions, including review and support work.',
      'Note one improvement to try next sprint.',
    ],
    questions: ['What went well that we should keep?', 'What would you do differently next sprint?'],
    avoid: ['Blaming individuals for sprint outcomes.'],
  },
  epic_kickoff: {
    label: 'Project kickoff',
    opening:
      '“{name}” is starting. Before it gets busy, let’s set what each person wants to develop through it.',
    talkingPoints: [
      'Ask each person for one development goal the project can serve.',
      'Match stretch work to people who want it.',
      'Agree when you will check in on the goals.',
    ],
    questions: [
      'What would you like to get better at through this project?',
      'Which part would stretch you?',
    ],
    avoid: ['Assigning only by who is fastest at what.'],
  },
  epic_debrief: {
    label: 'Project debrief',
    opening: '“{name}” is done. Let’s connect what happened to what each of us learned.',
    talkingPoints: [
      'Go through the outcome against what was intended.',
      'Name individual contributions precisely.',
      'Turn one lesson into a development goal or follow-up.',
    ],
    questions: [
      'What are you proudest of?',
      'What would you do differently next time?',
      'What did you learn that you want to build on?',
    ],
    avoid: ['A debrief that only lists what went wrong.'],
  },
};

/** Added to every trigger's guide for the style, after the trigger's own variant. */
const STYLE_OVERLAY: Record<StyleKey, Required<StyleVariant> & { summary: string }> = {
  autonomy: {
    summary: 'High autonomy: lead with the outcome and give freedom over how; offer help, don’t prescribe.',
    opening: '',
    talkingPoints: ['Agree what success looks like; leave the how to them.'],
    questions: ['What support, if any, would you want from me?'],
    avoid: ['Micromanaging the method or the schedule.'],
  },
  collaboration: {
    summary:
      'Collaboration-oriented: talk about the team — who they work with, hand-offs and shared success.',
    opening: '',
    talkingPoints: ['Connect the topic to the people they work with and the team’s goals.'],
    questions: ['How is working with the team going around this?'],
    avoid: ['Framing it as purely individual when the work is shared.'],
  },
  structure: {
    summary: 'Structure/detail-focused: bring precise figures, be concrete, end with dated action steps.',
    opening: '',
    talkingPoints: ['Close with concrete next steps: what, who, by when.'],
    questions: ['Which next step, and by which date?'],
    avoid: ['Leaving it open-ended without a clear next step.'],
  },
};

/** The dominant work-style reading of a profile: the highest dimension when it stands out. */
export function dominantStyle(scores: {
  autonomy: number;
  collaboration: number;
  structure: number;
}): GuideStyleType {
  const ranked = (['autonomy', 'collaboration', 'structure'] as const)
    .map((k) => [k, scores[k]] as const)
    .sort((a, b) => b[1] - a[1]);
  const [top, second] = ranked;
  if (top![1] >= 60 && top![1] - second![1] >= 8) return top![0];
  return 'balanced';
}

function deliveryNotes(c: SubjectStyleType['communication'] | undefined): string[] {
  if (!c)
    return [
      'No work-style profile: ask how they prefer to get feedback (written or spoken, live or asynchronous).',
    ];
  const out: string[] = [];
  if (c.channel === 'written')
    out.push('Prefers written feedback: send the evidence and your questions in writing first.');
  if (c.channel === 'verbal')
    out.push('Prefers spoken feedback: talk it through in person or on a call; keep notes short.');
  if (c.timing === 'async')
    out.push('Prefers to think first: share the topic asynchronously a day before, then meet.');
  if (c.timing === 'sync')
    out.push('Prefers to discuss live: raise it in a conversation rather than a long message.');
  if (c.directness === 'direct') out.push('Likes it direct: state the observation first, then the context.');
  if (c.directness === 'gentle')
    out.push('Likes context first: explain why you are raising it before the observation.');
  if (c.directness === 'balanced') out.push('Balanced phrasing: a line of context, then the observation.');
  return out;
}

function fill(text: string, facts: Record<string, string | number | null>): string {
  return text.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = facts[k];
    return v === null || v === undefined || v === '' ? 'it' : String(v);
  });
}

function generic(trigger: string): TriggerTemplate {
  return {
    label: trigger.replace(/_/g, ' '),
    opening: 'Something came up that is worth a conversation. I’d like to hear your view first.',
    talkingPoints: ['Share the evidence and ask how it looks from their side.', 'Agree one next step.'],
    questions: ['How does this look from your side?', 'What would help?'],
    avoid: [],
  };
}

/** The template of a trigger: built-in, else an extension source's, else a generic one. */
export function templateFor(trigger: string, extension?: TriggerTemplate): TriggerTemplate {
  return TEMPLATES[trigger] ?? extension ?? generic(trigger);
}

/**
 * The guide for one opportunity. `style` is the subject's profile when the viewer may see it (null for
 * teams, for people without a profile, or when the viewer may not read it): then the guide is neutral.
 */
export function buildGuide(input: {
  trigger: string;
  framework: OpportunityFrameworkType;
  facts: Record<string, string | number | null>;
  style: SubjectStyleType | null;
  subjectType: 'person' | 'team';
  extension?: TriggerTemplate;
}): OpportunityGuideType {
  const t = templateFor(input.trigger, input.extension);
  const dominant: GuideStyleType = input.style ? input.style.dominant : 'neutral';
  const key =
    dominant === 'autonomy' || dominant === 'collaboration' || dominant === 'structure' ? dominant : null;
  const variant = key ? (t.styles?.[key] ?? {}) : {};
  const overlay = key ? STYLE_OVERLAY[key] : null;
  const unique = (xs: string[]) => [...new Set(xs)];
  const styleSummary =
    input.subjectType === 'team'
      ? 'About a team: the guide is written for a team conversation, not tailored to one person.'
      : overlay
        ? overlay.summary
        : dominant === 'balanced'
          ? 'Balanced profile: no single work style stands out, so the guide stays neutral; ask what works for them.'
          : 'No work-style profile to tailor to: a neutral guide. Inviting them to fill in their profile helps next time.';
  return {
    framework: input.framework,
    frameworkSteps: FRAMEWORK_STEPS[input.framework],
    style: input.subjectType === 'team' ? 'neutral' : dominant,
    styleSummary,
    opening: fill(variant.opening ?? t.opening, input.facts),
    talkingPoints: unique([
      ...t.talkingPoints,
      ...(variant.talkingPoints ?? []),
      ...(overlay?.talkingPoints ?? []),
    ]).map((s) => fill(s, input.facts)),
    questions: unique([...(variant.questions ?? []), ...t.questions, ...(overlay?.questions ?? [])]).map(
      (s) => fill(s, input.facts),
    ),
    avoid: unique([...t.avoid, ...(variant.avoid ?? []), ...(overlay?.avoid ?? []), AVOID_ALWAYS]).map((s) =>
      fill(s, input.facts),
    ),
    delivery:
      input.subjectType === 'team'
        ? ['Hold it with the team together (stand-up, retro or a short thread).']
        : deliveryNotes(input.style?.communication),
  };
}

/** The human label of a trigger. */
export function triggerLabel(trigger: string, extension?: TriggerTemplate): string {
  return templateFor(trigger, extension).label;
}
