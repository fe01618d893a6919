import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildAccount, buildTeam } from '../../test/factories.js';
import { call, getTestServer, signIn, type Agent, type TestServer } from '../../test/test-server.js';
import type { GoalDetailType } from '../goals/goals.schema.js';
import { ensureConnection } from './ingest.connections.js';
import { runConnection } from './ingest.runner.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 300_000 });

describe('goals linked to business metrics move when a metrics file is imported', () => {
  let s: TestServer;
  let admin: Agent;
  let dir: string;
  beforeAll(async () => {
    s = await getTestServer({ loginRateLimitPerMinute: 1000 });
    const account = await buildAccount(s.ctx.db, { roles: ['admin'] });
    admin = await signIn(s.app, account.email);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-metrics-goal-'));
  });
  afterAll(async () => {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function importMetrics(name: string, csv: string) {
    const file = path.join(dir, name);
    fs.writeFileSync(file, csv);
    const connection = await ensureConnection(s.ctx.db, 'metrics', `metrics ${name}`, { file });
    const result = await runConnection(s.ctx.db, connection.id, { trigger: 'cli' });
    expect(result.status, result.error ?? '').toBe('succeeded');
  }

  it('sums the team’s revenue in the goal period, writes a linked check-in and a history line; a re-import changes nothing', async () => {
    const team = await buildTeam(s.ctx.db, { name: 'Payments', slug: 'payments' });
    const other = await buildTeam(s.ctx.db, { name: 'Mobile', slug: 'mobile' });
    const created = await call(s.app, admin, 'POST', '/api/v1/goals', {
      owner: { type: 'team', id: team.id },
      title: 'Payments revenue 2M',
      why: 'Revenue funds the roadmap',
      criteria: { kind: 'target', metric: 'revenue', unit: 'EUR', start: 0, target: 2_000_000 },
      periodStart: '2026-10-01',
      periodEnd: '2026-12-31',
    });
    expect(created.statusCode, created.body).toBe(201);
    const goalId = (created.json() as GoalDetailType).goal.id;
    const link = await call(s.app, admin, 'PUT', `/api/v1/goals/${goalId}/link`, {
      kind: 'business_metric',
      key: 'revenue',
      aggregation: 'sum',
    });
    expect(link.statusCode, link.body).toBe(200);

    const csv = [
      'metric,value,period,person_email,employee_id,team,unit',
      'revenue,700000,2026-10,,,payments,EUR',
      'revenue,500000,2026-11,,,payments,EUR',
      'revenue,900000,2026-09,,,payments,EUR', // before the goal's period
      'revenue,9000000,2026-11,,,mobile,EUR', // another team
      'customer_satisfaction,4.5,2026-11,,,payments,',
    ].join('\n');
    await importMetrics('q4.csv', csv);

    const detail = (await call(s.app, admin, 'GET', `/api/v1/goals/${goalId}`)).json() as GoalDetailType;
    expect(detail.goal.progress).toBe(60);
    expect(detail.checkIns.at(-1)).toMatchObject({ source: 'linked', value: 1_200_000 });
    const history = (await call(s.app, admin, 'GET', `/api/v1/goals/${goalId}/history`)).json() as {
      items: { change: string; reason: string }[];
    };
    expect(history.items[0]).toMatchObject({
      change: 'progress',
      reason: 'revenue for team Payments 2026-Q4 reached 1.2M EUR from metrics import (q4.csv)',
    });
    expect(other.id).not.toBe(team.id);
    // The imported metrics are offered when a goal is linked (other keys are still accepted).
    const keys = (await call(s.app, admin, 'GET', '/api/v1/goals/link-keys')).json() as {
      kinds: { kind: string; closed: boolean; keys: { key: string; unit: string }[] }[];
    };
    expect(keys.kinds.find((k) => k.kind === 'business_metric')).toMatchObject({
      closed: false,
      keys: [
        { key: 'customer_satisfaction', unit: '' },
        { key: 'revenue', unit: 'EUR' },
      ],
    });

    // The same file again: nothing new on the goal.
    await importMetrics('q4.csv', csv);
    const again = (await call(s.app, admin, 'GET', `/api/v1/goals/${goalId}`)).json() as GoalDetailType;
    expect(again.checkIns.filter((c) => c.source === 'linked')).toHaveLength(1);

    // December arrives: progress moves again.
    await importMetrics(
      'december.csv',
      'metric,value,period,person_email,employee_id,team,unit\nrevenue,300000,2026-12,,,payments,EUR\n',
    );
    const later = (await call(s.app, admin, 'GET', `/api/v1/goals/${goalId}`)).json() as GoalDetailType;
    expect(later.goal.progress).toBe(75);
    expect(later.checkIns.at(-1)).toMatchObject({ source: 'linked', value: 1_500_000 });
  });
});
