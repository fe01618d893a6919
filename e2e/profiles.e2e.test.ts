import { describe, expect, inject, it } from 'vitest';
import { browserSpecsEnabled, loginFor, signInAs, snap } from './harness.js';
import { browserSession } from './browser-session.js';

/*
 * Work-style profiles as people meet them: an employee reads who will see their profile, answers the
 * questionnaire and sees the result with its history; an administrator is kept out of it.
 */

const baseUrl = inject('baseUrl');

describe.runIf(browserSpecsEnabled())('work-style profiles', () => {
  const session = browserSession(baseUrl);
  const freshPage = () => session.freshPage();
  let employeePath = '';

  it('an employee answers the questionnaire, is told who sees it, and sees the result and its history', async () => {
    const page = await freshPage();
    const employee = loginFor(session.logins, 'employee');
    await signInAs(page, baseUrl, employee);

    await page.getByRole('link', { name: 'Work-style profiles' }).first().click();
    await page.waitForURL((url) => url.pathname === '/profiles');
    const notice = page.getByTestId('viewer-notice');
    await notice.waitFor();
    expect(await notice.innerText()).toMatch(/your manager/);
    expect(await notice.innerText()).toMatch(/HR, administrators and executives cannot read it/);

    // The demo may already hold earlier answers: then the person updates them.
    await page.getByTestId('work-style-form').or(page.getByTestId('work-style-result')).first().waitFor();
    const hadProfile = await page.getByTestId('work-style-result').isVisible();
    const before = hadProfile
      ? await page.getByTestId('work-style-history').locator('.mantine-Timeline-item').count()
      : 0;
    if (hadProfile) await page.getByTestId('edit-work-style').click();

    const form = page.getByTestId('work-style-form');
    await form.waitFor();
    // A high-autonomy answer set: agree with the forward items, disagree with the reverse-keyed ones.
    const answers: Record<string, string> = {
      autonomy_1: 'Strongly agree',
      autonomy_2: 'Strongly disagree',
      autonomy_3: 'Strongly agree',
      autonomy_4: 'Strongly disagree',
    };
    for (const item of [
      'collaboration_1',
      'collaboration_2',
      'collaboration_3',
      'collaboration_4',
      'structure_1',
      'structure_2',
      'structure_3',
      'structure_4',
    ]) {
      answers[item] = 'Neither agree nor disagree';
    }
    for (const [item, label] of Object.entries(answers)) {
      await page.getByTestId(`item-${item}`).getByLabel(label, { exact: true }).check();
    }
    await page.getByTestId('communication-channel').getByText('Written', { exact: true }).click();
    await page.getByTestId('communication-timing').getByText('Asynchronously, so I can think first').click();
    await page.getByTestId('communication-directness').getByText('Direct and to the point').click();
    const chips = page.getByTestId('driver-chips');
    for (const label of [
      'Mastery',
      'Purpose',
      'Customer impact',
      'Career growth',
      'Recognition',
      'Belonging',
      'Learning',
      'Stability',
    ]) {
      const input = chips.getByLabel(label, { exact: true });
      if (await input.isChecked()) await chips.getByText(label, { exact: true }).click();
    }
    await chips.getByText('Mastery', { exact: true }).click();
    await snap(page, 'work-style-form');
    await page.getByTestId('save-work-style').click();

    const result = page.getByTestId('work-style-result');
    await result.waitFor();
    expect(await page.getByTestId('scale-autonomy').innerText()).toMatch(/high · 100\/100/i);
    expect(await page.getByTestId('scale-collaboration').innerText()).toMatch(/balanced · 50\/100/i);
    expect(await page.getByTestId('drivers').innerText()).toContain('Mastery');
    expect(await page.getByTestId('communication-chips').innerText()).toContain('Direct and to the point');
    expect(await page.getByTestId('work-style-history').locator('.mantine-Timeline-item').count()).toBe(
      before + 1,
    );
    await snap(page, 'work-style-result');

    // The person page links to the same profile.
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'My page' }).click();
    await page.getByTestId('work-style-link').click();
    await page.getByTestId('work-style-result').waitFor();
    employeePath = new URL(page.url()).pathname;

    // Personal settings hold the coaching digest, scheduled in the person's own time zone.
    await page.goto(`${baseUrl}/settings`);
    await page.getByTestId('digest-settings').waitFor();
    await page.getByLabel('Local time (HH:MM)').fill('07:45');
    await page.getByRole('button', { name: 'Save digest settings' }).click();
    await page.getByTestId('digest-next').waitFor();
    expect(await page.getByTestId('digest-next').innerText()).toMatch(/Next digest:/);
  });

  it('an administrator cannot read a person’s work-style profile', async () => {
    const page = await freshPage();
    const admin = loginFor(session.logins, 'admin');
    await signInAs(page, baseUrl, admin);
    // The employee's own link went to /profiles; find their person id through the directory instead.
    const employee = loginFor(session.logins, 'employee');
    const res = await page.request.get(`${baseUrl}/api/v1/people?q=${encodeURIComponent(employee.email)}`);
    const id = ((await res.json()) as { items: { id: string }[] }).items[0]!.id;
    await page.goto(`${baseUrl}/people/${id}/work-style`);
    await page.getByTestId('work-style-denied').waitFor();
    expect(await page.getByTestId('work-style-denied').innerText()).toMatch(
      /HR, administrators and executives cannot/,
    );
    expect(employeePath).toBe('/profiles');
  });
});
