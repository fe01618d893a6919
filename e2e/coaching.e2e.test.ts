import { describe, expect, inject, it } from 'vitest';
import { browserSpecsEnabled, loginFor, signInAs, snap } from './harness.js';
import { browserSession } from './browser-session.js';

/*
 * Coaching in the flow of work, as a demo manager lives it: the inbox, one opportunity with its
 * evidence and the guide tailored to the person's work style, and a conversation started from it that
 * remembers what prompted it. Then an administrator adds a webhook on the delivery page and sees its
 * signing secret exactly once.
 */

const baseUrl = inject('baseUrl');

describe.runIf(browserSpecsEnabled())('coaching', () => {
  const session = browserSession(baseUrl, { height: 1100 });
  const stamp = Date.now().toString(36);

  it('a manager opens the inbox, an opportunity with its evidence and tailored guide, and starts a conversation from it', async () => {
    const page = await session.freshPage();
    await signInAs(page, baseUrl, loginFor(session.logins, 'manager'));

    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Coaching', exact: true })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Coaching' }).waitFor();
    const rows = page.getByTestId('opportunity-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThan(0);
    const first = rows.first();
    expect(await first.getByTestId('priority').innerText()).toMatch(/priority/i);
    expect(await first.getByTestId('polarity').innerText()).toMatch(/corrective|growth|system/i);
    await snap(page, 'coaching-inbox');

    // Prefer an opportunity about one person (its guide is tailored to that person's work style).
    const personRow = rows.filter({ has: page.locator('a[href^="/people/"]') }).first();
    const row = (await personRow.count()) > 0 ? personRow : first;
    const title = (await row.locator('a[href^="/coaching/opportunities/"]').innerText()).trim();
    const subject = (await row.locator('a[href^="/people/"], a[href^="/teams/"]').first().innerText()).trim();
    await row.locator('a[href^="/coaching/opportunities/"]').click();
    await page.waitForURL(/\/coaching\/opportunities\/[0-9a-f-]{36}$/);
    const opportunityId = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    expect(await page.getByTestId('opportunity-trigger').innerText()).toContain(subject);

    // The evidence, with a link to the signal page or the source behind it.
    const evidence = page.getByTestId('opportunity-evidence');
    await evidence.getByTestId('evidence-item').first().waitFor();
    expect(await evidence.getByTestId('evidence-item').count()).toBeGreaterThan(0);
    const why = evidence.getByRole('button', { name: 'Why this number?' });
    if ((await why.count()) > 0) {
      await why.first().click();
      await page.getByRole('dialog', { name: 'Why this number?' }).waitFor();
      await page.getByTestId('evidence').waitFor();
      await page.keyboard.press('Escape');
      await page.getByRole('dialog', { name: 'Why this number?' }).waitFor({ state: 'hidden' });
    }

    // The guide, tailored to the person's work style.
    const guide = page.getByTestId('opportunity-guide');
    expect(await guide.getByTestId('guide-tailoring').innerText()).toContain(`Tailored to ${subject}`);
    expect((await guide.getByTestId('guide-opening').innerText()).length).toBeGreaterThan(
      'Opening'.length + 10,
    );
    expect(await guide.getByTestId('guide-talking-points').locator('li').count()).toBeGreaterThan(0);
    expect(await guide.getByTestId('guide-questions').locator('li').count()).toBeGreaterThan(0);
    // Without an AI endpoint configured, there is no "Draft with AI".
    expect(await page.getByRole('button', { name: 'Draft with AI' }).count()).toBe(0);
    await snap(page, 'coaching-opportunity');

    await page.getByRole('button', { name: 'Start a conversation' }).click();
    await page.waitForURL(/\/conversations\/[0-9a-f-]{36}$/);
    const prompt = page.getByTestId('prompt-link');
    await prompt.waitFor();
    expect(await prompt.innerText()).toContain('Prompted by coaching opportunity');
    expect(await prompt.getByRole('link').getAttribute('href')).toBe(
      `/coaching/opportunities/${opportunityId}`,
    );
    await snap(page, 'coaching-conversation');

    // The opportunity is now acted on, and left the open tab.
    await prompt.getByRole('link').click();
    await page.waitForURL(`${baseUrl}/coaching/opportunities/${opportunityId}`);
    await expect.poll(() => page.getByTestId('opportunity-status').innerText()).toMatch(/^acted$/i);
  });

  it('an administrator adds a webhook on the delivery page and sees its secret once', async () => {
    const page = await session.freshPage();
    await signInAs(page, baseUrl, loginFor(session.logins, 'admin'));
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Coaching delivery' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Coaching delivery' }).waitFor();
    await page.getByTestId('smtp-status').getByText('CAIRN_SMTP_HOST').waitFor();
    await page.getByTestId('ai-settings').getByText('Off by default', { exact: false }).waitFor();

    const name = `#eng-managers-${stamp}`;
    const webhooks = page.getByTestId('webhooks');
    await webhooks.getByLabel('Name').fill(name);
    await webhooks.getByLabel('URL').fill('http://127.0.0.1:9/never-answers');
    await webhooks.getByRole('button', { name: 'Add webhook' }).click();
    const secretPanel = page.getByTestId('webhook-secret');
    await secretPanel.waitFor();
    const secret = (await secretPanel.getByTestId('copy-value').innerText()).trim();
    expect(secret.length).toBeGreaterThanOrEqual(20);
    expect(await secretPanel.innerText()).toContain('shown only this once');
    const row = page.getByTestId('webhook-row').filter({ hasText: name });
    await row.waitFor();
    expect(await row.innerText()).not.toContain(secret);
    await snap(page, 'coaching-delivery-secret');

    // After a reload the secret is gone for good: only its hint remains.
    await page.reload();
    await page.getByTestId('webhook-row').filter({ hasText: name }).waitFor();
    expect(await page.getByTestId('webhook-secret').count()).toBe(0);
    expect(await page.locator('body').innerText()).not.toContain(secret);
  });
});
