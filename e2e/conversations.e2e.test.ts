import { describe, expect, inject, it } from 'vitest';
import { browserSpecsEnabled, loginFor, signInAs, snap } from './harness.js';
import { browserSession } from './browser-session.js';

/*
 * A 1:1 as its two people live it: a manager schedules it from a report's page, following a prompt
 * link (the way a coaching opportunity will open it), writes a private and a shared note and a
 * follow-up; the employee then finds it, reads the shared note and the follow-up — never the private
 * note — and rates how helpful it was.
 */

const baseUrl = inject('baseUrl');

describe.runIf(browserSpecsEnabled())('coaching conversations', () => {
  const session = browserSession(baseUrl, { height: 1000 });
  const freshPage = () => session.freshPage();
  const stamp = Date.now().toString(36);
  const PRIVATE = `Private worry ${stamp}: is she ready to lead the migration alone?`;
  const SHARED = `Shared ${stamp}: agreed to pair on the rollout plan and demo it on Friday`;
  const ACTION = `Draft the rollout plan ${stamp}`;
  let conversationUrl = '';

  it('a manager schedules a 1:1 with a report from a prompt, writes a private and a shared note and adds a follow-up', async () => {
    const page = await freshPage();
    const manager = loginFor(session.logins, 'manager');
    const employee = loginFor(session.logins, 'employee');
    await signInAs(page, baseUrl, manager);

    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'My page' })
      .click();
    const report = page.getByTestId('direct-reports').getByRole('link', { name: employee.name, exact: true });
    await report.waitFor();
    await report.click();
    await page.getByRole('heading', { level: 1, name: employee.name }).waitFor();

    // The person page's entry point, opened the way a coaching opportunity will open it: with a prompt link.
    const schedule = page.getByRole('link', { name: 'Schedule a conversation' });
    const href = await schedule.getAttribute('href');
    expect(href).toMatch(/^\/conversations\/new\?with=[0-9a-f-]{36}$/);
    await page.goto(
      `${baseUrl}${href}&kind=one_on_one&promptKind=coaching_opportunity&promptId=opp-${stamp}`,
    );
    await page.getByTestId('prompt-notice').waitFor();
    expect(await page.getByTestId('prompt-notice').innerText()).toContain(`opp-${stamp}`);
    await page.getByTestId('with-person').waitFor();
    await expect.poll(() => page.getByTestId('with-person').inputValue()).toBe(employee.name);
    await page.getByLabel('First agenda items (optional, one per line)').fill('How the migration is going');
    await snap(page, 'conversations-schedule');
    await page.getByRole('button', { name: 'Schedule' }).click();

    await page.waitForURL(/\/conversations\/[0-9a-f-]{36}$/);
    conversationUrl = page.url();
    await page.getByTestId('prompt-link').waitFor();
    expect(await page.getByTestId('prompt-link').innerText()).toContain(`opp-${stamp}`);
    expect(await page.getByTestId('agenda').innerText()).toContain('How the migration is going');

    // Two panels that cannot be confused: private (only me) and shared (with names).
    const privatePanel = page.getByTestId('private-notes');
    const sharedPanel = page.getByTestId('shared-notes');
    expect(await privatePanel.innerText()).toContain('Private — only you');
    expect(await sharedPanel.innerText()).toContain(`Shared with`);
    expect(await sharedPanel.innerText()).toContain(employee.name);

    await privatePanel.getByRole('textbox').fill(PRIVATE);
    await privatePanel.getByRole('button', { name: 'Save private note' }).click();
    await privatePanel.getByText(PRIVATE).waitFor();
    await sharedPanel.getByRole('textbox').fill(SHARED);
    await sharedPanel.getByRole('button', { name: 'Save shared note' }).click();
    await sharedPanel.getByText(SHARED).waitFor();
    expect(await sharedPanel.innerText()).not.toContain(PRIVATE);

    const actions = page.getByTestId('actions');
    await actions.getByLabel('New follow-up').fill(ACTION);
    await actions.getByLabel('Due date').fill('2030-01-15');
    await actions.getByRole('button', { name: 'Add follow-up' }).click();
    await actions.getByText(ACTION).waitFor();
    expect(await actions.innerText()).toContain(employee.name);

    await page.getByRole('button', { name: 'Mark as held' }).click();
    await expect.poll(() => page.getByTestId('conversation-status').innerText()).toBe('Held');
    await snap(page, 'conversations-editor-manager');

    // The manager's overview: upcoming meetings by day (the demo history has many), and one row per report.
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Conversations' })
      .click();
    await page.getByTestId('upcoming').waitFor();
    expect(await page.getByTestId('upcoming-day').count()).toBeGreaterThan(0);
    await snap(page, 'conversations-upcoming');
    await page.getByRole('tab', { name: 'My reports’ 1:1s' }).click();
    const overview = page.getByTestId('reports-overview');
    await overview.getByRole('link', { name: employee.name, exact: true }).waitFor();
    await snap(page, 'conversations-reports');
  });

  it('the employee finds the 1:1 through the follow-up, reads the shared note and the action but not the private note, and rates it', async () => {
    expect(conversationUrl).not.toBe('');
    const page = await freshPage();
    const employee = loginFor(session.logins, 'employee');
    await signInAs(page, baseUrl, employee);

    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Conversations' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Conversations' }).waitFor();
    await page.getByRole('tab', { name: 'Follow-ups' }).click();
    const myActions = page.getByTestId('my-actions');
    await myActions.getByText(ACTION).waitFor();
    await myActions
      .getByRole('row', { name: new RegExp(ACTION) })
      .getByRole('link')
      .click();

    await page.waitForURL(conversationUrl);
    await page.getByTestId('shared-notes').getByText(SHARED).waitFor();
    await page.getByTestId('actions').getByText(ACTION).waitFor();
    const body = await page.locator('body').innerText();
    expect(body).toContain(SHARED);
    expect(body).not.toContain(PRIVATE);
    expect(body).not.toContain(stamp + ': is she ready');
    expect(await page.getByTestId('private-notes').innerText()).toContain('No private notes yet.');

    const rating = page.getByTestId('rating');
    await rating.waitFor();
    // Mantine's stars are visually hidden radio inputs with a label each: press the fourth star's label.
    const fourth = await rating.getByRole('radio', { name: '4', exact: true }).getAttribute('id');
    await rating.locator(`label[for="${fourth}"]`).click();
    await rating.getByLabel('Comment (optional)').fill('Helpful to agree the plan together');
    await rating.getByRole('button', { name: 'Send rating' }).click();
    await rating.getByText('You rated it 4 of 5.').waitFor();
    await snap(page, 'conversations-editor-employee');

    // The raw API answer the page works from carries no trace of the private note either.
    const raw = await page.evaluate(
      async (url) => (await fetch(url)).text(),
      conversationUrl.replace('/conversations/', '/api/v1/conversations/'),
    );
    expect(raw).toContain(SHARED);
    expect(raw).not.toContain(PRIVATE);
  });

  it('an administrator starts external coaching for an employee from their page; the employee sees who coaches them', async () => {
    const admin = loginFor(session.logins, 'admin');
    const employee = loginFor(session.logins, 'employee');
    const coach = loginFor(session.logins, 'executive');
    const page = await freshPage();
    await signInAs(page, baseUrl, admin);
    const found = (await page.evaluate(
      async (q) => (await fetch(`/api/v1/people?q=${encodeURIComponent(q)}`)).json(),
      employee.name,
    )) as { items: { id: string; name: string }[] };
    const personUrl = `${baseUrl}/people/${found.items.find((p) => p.name === employee.name)!.id}`;
    await page.goto(personUrl);
    const section = page.getByTestId('coaching-engagements');
    await section.waitFor();
    await section.getByTestId('engagement-coach').fill(coach.name.slice(0, 6));
    await page.getByRole('option', { name: new RegExp(`^${coach.name}`) }).click();
    await section.getByTestId('engagement-start').click();
    const row = section.getByTestId('engagement-row').filter({ hasText: coach.name });
    await row.waitFor();
    expect(await row.textContent()).toContain('External coaching');
    expect(await row.textContent()).toContain('Active');
    await snap(page, 'coaching-engagement-admin');

    const own = await freshPage();
    await signInAs(own, baseUrl, employee);
    await own.goto(personUrl);
    const mine = own.getByTestId('coaching-engagements');
    await mine.getByTestId('engagement-row').filter({ hasText: coach.name }).waitFor();
    // The coachee sees the engagement but cannot start or end one.
    expect(await mine.getByTestId('engagement-start').count()).toBe(0);
    expect(await mine.getByRole('button', { name: /^End on/ }).count()).toBe(0);
  });
});
