import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildTeam } from '../../test/factories.js';
import { createTestDatabase, type TestDatabase } from '../../test/test-db.js';
import { EWMA, listFlags, withoutPerson } from './signals.flags.js';
import { addWeeks, weekOf } from './signals.metrics.js';

let t: TestDatabase;
const db = () => t.database.db;
const from = weekOf('2026-06-03');
const to = addWeeks(from, 7);
const start = addWeeks(from, -EWMA.baselineWeeks);
const weeks = Array.from({ length: EWMA.baselineWeeks + 8 }, (_, i) => addWeeks(start, i));
/** The last five weeks of the range. */
const late = (week: string) => week >= addWeeks(to, -4);

/**
 * A team of three given weekly commit counts: person rollups, and the team rollup as their sum (what
 * the rollups hold when everyone was in the team all along).
 */
async function team(name: string, series: ((week: string, i: number) => number)[]) {
  const team = await buildTeam(db(), { name });
  const people = [];
  for (const [n, valueAt] of series.entries()) {
    const person = await buildPerson(db(), { name: `${name} ${n}`, team_id: team.id });
    people.push(person);
    const rows = weeks.map((week, i) => ({
      person_id: person.id,
      week,
      metric: 'commits',
      value: valueAt(week, i),
    }));
    await db().insertInto('signals_person_week').values(rows).execute();
  }
  const totals = weeks.map((week, i) => ({
    team_id: team.id,
    week,
    metric: 'commits',
    value: series.reduce((a, valueAt) => a + valueAt(week, i), 0),
  }));
  await db().insertInto('signals_team_week').values(totals).execute();
  return { team, people };
}

const commitFlags = async (teamId: string, personIds: string[]) =>
  (await listFlags(db(), { teamIds: [teamId], personIds, from, to })).filter((f) => f.metric === 'commits');

beforeAll(async () => {
  t = await createTestDatabase();
}, 60_000);
afterAll(() => t.destroy());

describe('flags: did the team move too?', () => {
  it('one person’s own drop that drags a small team’s series is individual, not system-level', async () => {
    // Ada does most of the team's commits; she drops to 1 a week, Bo and Cy carry on as before.
    const { team: small, people } = await team('Small', [
      (w, i) => (late(w) ? 1 : 10 + (i % 3)),
      (_w, i) => 2 + (i % 2),
      (_w, i) => 2 + ((i + 1) % 2),
    ]);
    const [ada, bo, cy] = people;
    const flags = await commitFlags(
      small.id,
      people.map((p) => p.id),
    );
    // The team's own series dipped (her drop is most of it): the team-level flag stays as it was.
    const teamFlag = flags.find((f) => f.subject.type === 'team');
    expect(teamFlag?.direction).toBe('dip');
    expect(teamFlag?.scope).toBe('team');
    // Against the rest of the team (who did not move), her dip is her own.
    const adaFlag = flags.find((f) => f.subject.id === ada!.id);
    expect(adaFlag?.direction).toBe('dip');
    expect(adaFlag?.scope).toBe('individual');
    expect(flags.some((f) => f.subject.id === bo!.id || f.subject.id === cy!.id)).toBe(false);
  });

  it('when everyone drops, each person’s dip is system-level', async () => {
    const { team: all, people } = await team('Everyone', [
      (w, i) => (late(w) ? 1 : 10 + (i % 3)),
      (w, i) => (late(w) ? 0 : 6 + (i % 2)),
      (w, i) => (late(w) ? 1 : 6 + ((i + 1) % 2)),
    ]);
    const flags = await commitFlags(
      all.id,
      people.map((p) => p.id),
    );
    expect(flags.find((f) => f.subject.type === 'team')?.direction).toBe('dip');
    const personFlags = flags.filter((f) => f.subject.type === 'person');
    expect(personFlags).toHaveLength(3);
    for (const f of personFlags) expect([f.direction, f.scope]).toEqual(['dip', 'system']);
  });

  it('leaves a person out only for the weeks they were in the team', () => {
    const team = new Map([
      ['2026-01-05', 10],
      ['2026-01-12', 10],
    ]);
    const person = new Map([
      ['2026-01-05', 4],
      ['2026-01-12', 12],
    ]);
    expect([...withoutPerson(team, person, (w) => w === '2026-01-12')]).toEqual([
      ['2026-01-05', 10],
      ['2026-01-12', 0],
    ]);
    expect([...withoutPerson(team, person, () => true)]).toEqual([
      ['2026-01-05', 6],
      ['2026-01-12', 0],
    ]);
  });
});
