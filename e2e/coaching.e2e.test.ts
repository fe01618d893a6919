import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startFakeChatEndpoint, type FakeChatEndpoint } from '../src/modules/coaching/ai.fake-endpoint.js';
import { browserSpecsEnabled, loginFor, signInAs, snap } from './harness.js';
import { browserSession } from './browser-session.js';

/*
 * Coaching in the flow of work, as a demo manager lives it: the inbox, one opportunity with its
 * evidence and the guide tailored to the person's work style, and a conversation started from it that
 * remembers what prompted it. Then an administrator adds a webhook on the delivery page and sees its
 * signing secret exactly once, and points AI drafting at a local chat-completions server; the manager
 * then drafts a guide with it, sees it labelled as an AI draft and accepts it.
 */

const baseUrl = inject('baseUrl');

describe.runIf(browserSpecsEnabled())('coaching', () => {
  const session = browserSession(baseUrl, { height: 1100 });
  const stamp = Date.now().toString(36);
  let fake: FakeChatEndpoint;
  beforeAll(async () => {
    fake = await startFakeChatEndpoint();
    fake.reply = `AI-DRAFTED ${stamp}: open with the release work, then ask where she wants to take it.`;
  });
  afterAll(async () => {
    await fake?.close();
  });

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

  it('an administrator points AI drafting at an endpoint; a manager drafts a guide, sees it labelled and accepts it', async () => {
    const admin = await session.freshPage();
    await signInAs(admin, baseUrl, loginFor(session.logins, 'admin'));
    await admin.goto(`${baseUrl}/admin/coaching-delivery`);
    const ai = admin.getByTestId('ai-settings');
    await ai.waitFor();
    await ai.getByLabel('Base URL').fill(fake.baseUrl);
    await ai.getByLabel('Model').fill('local-test-model');
    await ai.getByLabel('API key').fill(`sk-e2e-${stamp}`);
    await ai.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => ai.getByTestId('ai-test-result').innerText()).toContain('The endpoint answered');
    await ai.getByLabel('Offer “Draft with AI” on opportunities').check();
    await ai.getByRole('button', { name: 'Save AI settings' }).click();
    await ai.getByText('drafting is on').waitFor();
    // The key is never shown again: only its last four characters.
    expect(await ai.getByLabel('API key').inputValue()).toBe('');
    await ai.getByText(`A key ending in ${`sk-e2e-${stamp}`.slice(-4)} is set`).waitFor();
    await snap(admin, 'coaching-ai-settings');

    const page = await session.freshPage();
    await signInAs(page, baseUrl, loginFor(session.logins, 'manager'));
    await page.goto(`${baseUrl}/coaching`);
    await page.getByRole('tab', { name: /Open/ }).waitFor();
    const link = page.getByTestId('opportunity-row').first().locator('a[href^="/coaching/opportunities/"]');
    await link.waitFor();
    await link.click();
    const drafts = page.getByTestId('ai-drafts');
    await drafts.waitFor();
    await drafts.getByRole('button', { name: 'Draft with AI' }).click();
    const draft = drafts.getByTestId('ai-draft').filter({ hasText: `AI-DRAFTED ${stamp}` });
    await draft.waitFor();
    expect(await draft.innerText()).toMatch(/AI draft/i);
    expect(await draft.innerText()).toContain('review it before you use it');
    // What was sent: the real request, with the key, and the no-sentiment rule.
    const request = fake.requests.find(
      (r) => r.url === '/v1/chat/completions' && r.raw.includes('Draft a conversation guide'),
    );
    expect(request?.headers.authorization).toBe(`Bearer sk-e2e-${stamp}`);
    expect(request?.body.messages?.[0]?.content).toMatch(/emotions, mood, sentiment/);
    await draft.getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => draft.innerText()).toMatch(/Accepted AI draft/i);
    await snap(page, 'coaching-ai-draft');

    // Back to the default for the specs that follow: AI off.
    await admin.reload();
    await ai.getByLabel('Offer “Draft with AI” on opportunities').uncheck();
    await ai.getByRole('button', { name: 'Save AI settings' }).click();
    await ai.getByText('drafting is off').waitFor();
  });
});
