import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, getTestServer, signIn, type TestServer } from '../../test/test-server.js';
import { DEMO_PASSWORD, loadDemoOrganisation, type DemoLogin } from '../demo/demo.service.js';
import { findReportLines } from './opportunities.repository.js';
import type { OpportunityDetailType, OpportunityListType } from './opportunities.schema.js';
import { scanOpportunities } from './opportunities.scan.js';

const DAY = '2026-11-25';

describe('demo coaching opportunities for Kestrel Labs', () => {
  let s: TestServer;
  let logins: DemoLogin[];

  beforeAll(async () => {
    s = await getTestServer({ demo: true, loginRateLimitPerMinute: 1000 });
    logins = (await loadDemoOrganisation(s.ctx.db, { seed: 42, referenceDate: DAY })).logins;
  }, 240_000);
  afterAll(() => s.close());

  it('gives every manager an inbox of real moments, corrective and growth, within the weekly limit', async () => {
    const managers = [...new Set((await findReportLines(s.ctx.db, DAY)).map((r) => r.managerId))];
    expect(managers.length).toBeGreaterThan(10);
    const rows = await s.ctx.db
      .selectFrom('coaching_opportunity')
      .select(['recipient_person_id', 'polarity', 'inbox_item_id'])
      .execute();
    let both = 0;
    for (const m of managers) {
      const mine = rows.filter((r) => r.recipient_person_id === m);
      expect(mine.length, m).toBeGreaterThan(0);
      expect(mine.length).toBeLessThanOrEqual(5);
      if (mine.some((r) => r.polarity === 'growth') && mine.some((r) => r.polarity !== 'growth')) both++;
    }
    // Nothing is invented: a manager whose team shows no problem on the day gets growth moments only
    // (on this day, the CFO's small, healthy team).
    expect(both / managers.length).toBeGreaterThanOrEqual(0.9);
    expect(rows.every((r) => r.inbox_item_id !== null)).toBe(true);
  });

  it('is idempotent: scanning the same day again raises nothing new', async () => {
    const again = await scanOpportunities(s.ctx.db, { asOf: DAY });
    expect(again.created).toBe(0);
    expect(again.duplicates).toBeGreaterThan(0);
  });

  it('lets a demo manager open an opportunity with evidence and a guide', async () => {
    const login = logins.find((l) => l.role === 'manager')!;
    const agent = await signIn(s.app, login.email, DEMO_PASSWORD);
    const list = (
      await call(s.app, agent, 'GET', '/api/v1/coaching/opportunities')
    ).json() as OpportunityListType;
    expect(list.items.length).toBeGreaterThan(1);
    const d = (
      await call(s.app, agent, 'GET', `/api/v1/coaching/opportunities/${list.items[0]!.id}`)
    ).json() as OpportunityDetailType;
    expect(d.evidence.items.length).toBeGreaterThan(0);
    expect(d.guide.talkingPoints.length).toBeGreaterThan(1);
  });
});
