import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildTestRepo, type TestRepo } from '../src/modules/ingest/ingest.test-repo.js';
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
 * An administrator connects a git repository built for this test, runs the import, sees the run's
 * counts, and maps an unmatched identity to a person from the review queue.
 */

const baseUrl = inject('baseUrl');

describe.runIf(browserSpecsEnabled())('work data connections', () => {
  let browser: Browser;
  let page: Page;
  let repo: TestRepo;
  let admin: DemoLogin;
  let target: DemoLogin;

  beforeAll(async () => {
    repo = buildTestRepo();
    browser = await launchBrowser();
    const logins = await demoLogins(baseUrl);
    admin = loginFor(logins, 'admin');
    target = loginFor(logins, 'employee');
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-GB' });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    repo?.remove();
  });

  it('creates a git connection, runs it and maps an unmatched identity', async () => {
    await signInAs(page, baseUrl, admin);
    await page.getByRole('link', { name: 'Work data' }).first().click();
    await page.waitForURL((u) => u.pathname === '/connectors');
    await page.getByRole('heading', { name: 'Work data' }).waitFor();

    const name = `e2e repo ${Date.now()}`;
    await page.getByRole('button', { name: 'New connection' }).click();
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
    await page.getByLabel('Repository folder').fill(repo.dir);
    await page.getByLabel('Project name').fill('e2e-demo');
    await page.getByRole('button', { name: 'Create' }).click();

    const row = page.getByTestId(`connection-${name}`);
    await row.waitFor();
    await row.getByRole('button', { name: 'Run now' }).click();
    await row.getByTestId('connection-status').filter({ hasText: 'succeeded' }).waitFor({ timeout: 60_000 });
    expect(await row.getByTestId('last-run-counts').innerText()).toMatch(/12 read · 12 created/);
    await snap(page, 'connectors-connections');

    await row.getByRole('button', { name: 'Runs' }).click();
    const runs = page.getByTestId('runs-table');
    await runs.waitFor();
    expect(await runs.innerText()).toMatch(/succeeded/i);
    await page.keyboard.press('Escape');

    await page.getByRole('tab', { name: 'Identity review' }).click();
    const dan = page.getByTestId('identity-dan@contractor.test');
    await dan.waitFor();
    const picker = dan.getByLabel('Person for dan@contractor.test');
    await picker.click();
    await picker.fill(target.name.slice(0, 5));
    await page
      .getByRole('option', { name: new RegExp(target.name) })
      .first()
      .click();
    await page.getByText(/Mapped to .*; 1 events attributed/).waitFor();
    await dan.waitFor({ state: 'detached' });
    await page.locator('label[for$="-matched"]').click();
    // The demo organisation's own work data fills the matched list; search for the one just mapped.
    await page.getByPlaceholder('E-mail, login or name').fill('dan@contractor.test');
    const mapped = page.getByTestId('identity-dan@contractor.test');
    await mapped.waitFor();
    expect(await mapped.innerText()).toContain(target.name);
    await snap(page, 'connectors-identities');
  });
});
