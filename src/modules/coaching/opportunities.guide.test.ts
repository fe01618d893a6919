import { describe, expect, it } from 'vitest';
import { buildGuide, dominantStyle, FRAMEWORK_STEPS, TEMPLATES } from './opportunities.guide.js';
import { BUILT_IN_TRIGGERS, type SubjectStyleType } from './opportunities.schema.js';

const style = (
  scores: SubjectStyleType['scores'],
  communication: SubjectStyleType['communication'] = {
    channel: 'either',
    timing: 'either',
    directness: 'balanced',
  },
): SubjectStyleType => ({
  personId: '00000000-0000-4000-8000-000000000001',
  scores,
  dominant: dominantStyle(scores),
  communication,
  drivers: ['mastery'],
});

const AUTONOMY = style({ autonomy: 85, collaboration: 40, structure: 30 });
const COLLABORATION = style({ autonomy: 40, collaboration: 88, structure: 45 });
const STRUCTURE = style({ autonomy: 35, collaboration: 45, structure: 90 });
const facts = {
  name: 'Alice',
  metric: 'pull requests merged',
  metrics: 'pull requests merged',
  change: '60%',
  since: '2026-10-26',
};

function guide(s: SubjectStyleType | null, trigger = 'individual_dip') {
  return buildGuide({ trigger, framework: 'SBI', facts, style: s, subjectType: 'person' });
}

describe('conversation guides', () => {
  it('reads the dominant style from the profile scores', () => {
    expect(AUTONOMY.dominant).toBe('autonomy');
    expect(COLLABORATION.dominant).toBe('collaboration');
    expect(STRUCTURE.dominant).toBe('structure');
    expect(dominantStyle({ autonomy: 55, collaboration: 52, structure: 50 })).toBe('balanced');
    expect(dominantStyle({ autonomy: 70, collaboration: 66, structure: 20 })).toBe('balanced');
  });

  it('phrases the same trigger differently for the three work styles', () => {
    const a = guide(AUTONOMY);
    const c = guide(COLLABORATION);
    const s = guide(STRUCTURE);
    expect(new Set([a.opening, c.opening, s.opening]).size).toBe(3);
    expect(
      new Set([a.talkingPoints.join('|'), c.talkingPoints.join('|'), s.talkingPoints.join('|')]).size,
    ).toBe(3);
    expect(new Set([a.questions.join('|'), c.questions.join('|'), s.questions.join('|')]).size).toBe(3);
    expect(a.styleSummary).toMatch(/autonomy/i);
    expect(a.avoid.join(' ')).toMatch(/micromanag|prescrib/i);
    expect(c.talkingPoints.join(' ')).toMatch(/team|pair|hand-offs/i);
    expect(s.opening).toMatch(/60%/);
    expect(s.talkingPoints.join(' ')).toMatch(/dated|by when|week by week/i);
    for (const g of [a, c, s]) expect(g.style).not.toBe('neutral');
  });

  it('tailors every built-in trigger to each style', () => {
    for (const trigger of BUILT_IN_TRIGGERS) {
      const variants = [AUTONOMY, COLLABORATION, STRUCTURE].map((st) =>
        JSON.stringify(
          buildGuide({ trigger, framework: 'GROW', facts, style: st, subjectType: 'person' }).talkingPoints,
        ),
      );
      expect(new Set(variants).size, trigger).toBe(3);
      expect(TEMPLATES[trigger], trigger).toBeDefined();
    }
  });

  it('is neutral and complete without a profile, and for a team', () => {
    const n = guide(null);
    expect(n.style).toBe('neutral');
    expect(n.styleSummary).toMatch(/No work-style profile/);
    expect(n.opening.length).toBeGreaterThan(20);
    expect(n.talkingPoints.length).toBeGreaterThanOrEqual(3);
    expect(n.questions.length).toBeGreaterThanOrEqual(3);
    expect(n.frameworkSteps).toEqual(FRAMEWORK_STEPS.SBI);
    expect(n.delivery[0]).toMatch(/ask how they prefer/);
    const team = buildGuide({
      trigger: 'team_dip',
      framework: 'GROW',
      facts: { team: 'Platform', metrics: 'commits', change: '30%', since: '2026-10-26' },
      style: AUTONOMY,
      subjectType: 'team',
    });
    expect(team.style).toBe('neutral');
    expect(team.opening).toMatch(/Platform/);
    expect(team.avoid.join(' ')).toMatch(/individuals/);
  });

  it('follows communication preferences (written, async, directness)', () => {
    const written = guide(
      style(
        { autonomy: 85, collaboration: 40, structure: 30 },
        { channel: 'written', timing: 'async', directness: 'gentle' },
      ),
    );
    expect(written.delivery.join(' ')).toMatch(/in writing/);
    expect(written.delivery.join(' ')).toMatch(/asynchronously/);
    expect(written.delivery.join(' ')).toMatch(/context first/i);
    const direct = guide(
      style(
        { autonomy: 85, collaboration: 40, structure: 30 },
        { channel: 'verbal', timing: 'sync', directness: 'direct' },
      ),
    );
    expect(direct.delivery.join(' ')).toMatch(/in person or on a call/);
    expect(direct.delivery.join(' ')).toMatch(/observation first/);
  });

  it('never guesses at feelings, and fills every placeholder', () => {
    for (const trigger of BUILT_IN_TRIGGERS) {
      const g = buildGuide({
        trigger,
        framework: 'GROW',
        facts: {},
        style: STRUCTURE,
        subjectType: 'person',
      });
      expect(g.avoid.join(' ')).toMatch(/Guessing at feelings/);
      expect(JSON.stringify(g)).not.toMatch(/\{\w+\}/);
    }
  });
});
