import crypto from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD } from '../src/modules/demo/demo.service.js';
import { signBody } from '../src/modules/ingest/remote/webhook-signature.js';
import {
  browserSpecsEnabled,
  demoLogins,
  launchBrowser,
  loginFor,
  signInAs,
  snap,
  type DemoLogin,
} from './harness.js';

/*
 * A manager opens their team's dashboard, sees the charts, asks "why this number?", and watches a
 * commit delivered by a signed GitHub push webhook arrive live. An employee cannot open a peer's
 * signals page.
 */

const baseUrl = inject('baseUrl');
const SECRET = 'e2e-dashboard-webhook-secret';

interface ApiSession {
  cookie: string;
  csrf: string;
  personId: string;
}

async function apiSignIn(email: string): Promise<ApiSession> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const body = (await res.json()) as { csrfToken: string; account: { personId: string } };
  return { cookie, csrf: body.csrfToken, personId: body.account.personId };
}

async function apiGet<T>(s: ApiSession, path: string): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, { headers: { cookie: s.cookie } });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Delivers a GitHub push with one commit, signed with the connection's secret. */
async function deliverPush(
  connectionId: string,
  email: string,
  name: string,
  message: string,
): Promise<number> {
  const sha = crypto.randomBytes(20).toString('hex');
  const body = JSON.stringify({
    ref: 'refs/heads/main',
    repository: {
      full_name: 'kestrel-labs/platform-api',
      name: 'platform-api',
      owner: { login: 'kestrel-labs' },
    },
    commits: [
      {
        id: sha,
        message,
        timestamp: new Date().toISOString(),
        author: { name, email },
        added: [],
        modified: ['src/api/dashboard.ts'],
        removed: [],
      },
    ],
    sender: { login: 'e2e', id: 1, type: 'User' },
  });
  const res = await fetch(`${baseUrl}/hooks/github/${connectionId}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': crypto.randomUUID(),
      'x-hub-signature-256': signBody(SECRET, body),
    },
    body,
  });
  return res.status;
}

describe.runIf(browserSpecsEnabled())('merit dashboard', () => {
  let browser: Browser;
  let page: Page;
  let manager: DemoLogin;
  let employee: DemoLogin;
  let connectionId: string;
  let teamId: string;
  let report: { id: string; name: string; email: string };

  beforeAll(async () => {
    browser = await launchBrowser();
    const logins = await demoLogins(baseUrl);
    manager = loginFor(logins, 'manager');
    employee = loginFor(logins, 'employee');
    const admin = await apiSignIn(loginFor(logins, 'admin').email);
    const created = await fetch(`${baseUrl}/api/v1/connections`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: admin.cookie, 'x-csrf-token': admin.csrf },
      body: JSON.stringify({
        kind: 'github',
        name: `e2e dashboard ${Date.now()}`,
        config: { repo: 'kestrel-labs/platform-api' },
        secret: SECRET,
      }),
    });
    expect(created.status).toBe(201);
    connectionId = ((await created.json()) as { id: string }).id;
    const m = await apiSignIn(manager.email);
    const me = await apiGet<{ person: { teamId: string }; reports: { id: string; name: string }[] }>(
      m,
      `/api/v1/people/${m.personId}`,
    );
    const firstReport = me.reports[0]!;
    const card = await apiGet<{ person: { id: string; name: string; email: string; teamId: string } }>(
      m,
      `/api/v1/people/${firstReport.id}`,
    );
    report = card.person;
    teamId = card.person.teamId;
    // Some history before the page opens.
    expect(await deliverPush(connectionId, report.email, report.name, 'Add the dashboard query')).toBe(202);
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'en-GB' });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('a manager sees the team dashboard, asks why, and sees a new event arrive live', async () => {
    await signInAs(page, baseUrl, manager);
    await page.getByRole('link', { name: 'Merit dashboard' }).first().click();
    await page.waitForURL((u) => u.pathname.startsWith('/dashboard'));
    await page.goto(`${baseUrl}/dashboard/teams/${teamId}`);
    await page.getByTestId('chart-velocity').locator('svg').first().waitFor();
    await page.getByTestId('review-graph').or(page.getByText('No reviews in this period.')).first().waitFor();
    await page.getByTestId('live-badge').filter({ hasText: 'Live' }).waitFor();
    // The commit delivered before the page opened is counted (the consumer may still be applying it).
    await page
      .getByTestId('value-commits')
      .filter({ hasText: /^[1-9]/ })
      .waitFor({ timeout: 20_000 });
    const before = Number((await page.getByTestId('value-commits').innerText()).replace(/\D/g, ''));

    await page.getByTestId('metric-commits').click();
    const drawer = page.getByTestId('evidence');
    await drawer.waitFor();
    await expect.poll(() => drawer.getByTestId('evidence-row').count()).toBeGreaterThan(0);
    expect(await drawer.innerText()).toContain(report.name);
    const link = drawer.locator('a[href^="https://github.com/kestrel-labs/platform-api/commit/"]').first();
    expect(await link.count()).toBe(1);
    await snap(page, 'dashboard-why-this-number');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });

    // Velocity per sprint (the demo's Jira sprints): each number opens the issues behind it.
    const sprints = page.getByTestId('sprint-velocity');
    await sprints.waitFor();
    await sprints
      .getByRole('button', { name: /^Why this number\? Issues in / })
      .first()
      .click();
    await drawer.waitFor();
    await expect.poll(() => drawer.getByTestId('evidence-row').count()).toBeGreaterThan(0);
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    await page.getByTestId('metric-incidents_linked').waitFor();

    expect(await deliverPush(connectionId, report.email, report.name, 'Stream signals to the browser')).toBe(
      202,
    );
    await page
      .getByTestId('value-commits')
      .filter({ hasText: String(before + 1) })
      .waitFor({ timeout: 20_000 });
    expect(Number(await page.getByTestId('live-badge').getAttribute('data-updates'))).toBeGreaterThan(0);
    await snap(page, 'dashboard-team-live');
  }, 120_000);

  it('an employee cannot open a peer’s signals page', async () => {
    const e = await apiSignIn(employee.email);
    const me = await apiGet<{ person: { teamId: string } }>(e, `/api/v1/people/${e.personId}`);
    const team = await apiGet<{ members: { id: string }[] }>(e, `/api/v1/teams/${me.person.teamId}`);
    const peer = team.members.find((p) => p.id !== e.personId)!;
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-GB' });
    const p2 = await context.newPage();
    await signInAs(p2, baseUrl, employee);
    await p2.goto(`${baseUrl}/dashboard/people/${peer.id}`);
    await p2.getByTestId('signals-denied').waitFor();
    await p2.goto(`${baseUrl}/dashboard/people/${e.personId}`);
    await p2.getByRole('heading', { name: /signals/ }).waitFor();
    await snap(p2, 'dashboard-own-signals');
    await context.close();
  }, 60_000);
});
