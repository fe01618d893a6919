import { describe, expect, inject, it } from 'vitest';
import { browserSpecsEnabled, loginFor, signInAs, snap } from './harness.js';
import { browserSession } from './browser-session.js';

/*
 * The organisation pages as three people meet them, in order: a manager looks at a report's private
 * page; an employee is kept out of a peer's; an administrator finds that refusal in the audit log.
 */

const baseUrl = inject('baseUrl');

describe.runIf(browserSpecsEnabled())('organisation pages and their privacy', () => {
  const session = browserSession(baseUrl);
  const freshPage = () => session.freshPage();
  /** Set by the employee journey, checked by the administrator's. */
  let refused: { employeeEmail: string; peerId: string; peerName: string } | undefined;

  it('a new visitor sees the demo notice, signs in as a manager and reads a direct report’s private page', async () => {
    const page = await freshPage();
    const manager = loginFor(session.logins, 'manager');

    await page.goto(baseUrl);
    await page.waitForURL((url) => url.pathname === '/login');
    const notice = page.getByTestId('demo-notice');
    await notice.waitFor();
    expect(await notice.innerText()).toMatch(/This is a demo/);
    expect(await notice.innerText()).toMatch(/password\s+demo/);
    expect(await page.getByTestId('demo-banner').innerText()).toContain(
      'Demo organisation — data is fictional',
    );
    expect(await page.getByTestId('demo-login').count()).toBe(session.logins.length);
    await snap(page, 'login');

    // The shortcut fills the form; the person still presses Sign in.
    await page.locator(`[data-testid="demo-login"][data-email="${manager.email}"]`).click();
    expect(await page.getByLabel('E-mail').inputValue()).toBe(manager.email);
    expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('demo');
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.getByTestId('signed-in-name').waitFor();
    expect(await page.getByTestId('signed-in-name').innerText()).toBe(manager.name);
    expect(await page.getByTestId('signed-in-roles').innerText()).toMatch(/manager/i);
    expect(await page.getByTestId('demo-banner').isVisible()).toBe(true);

    // Which team is theirs: from their own page, as they would look it up.
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'My page' })
      .click();
    const teamField = page.getByTestId('field-team');
    await teamField.waitFor();
    const teamName = (await teamField.getByRole('link').innerText()).trim();
    expect(teamName.length).toBeGreaterThan(0);

    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Organisation' })
      .click();
    const tree = page.getByTestId('org-tree');
    await tree.waitFor();
    expect(await tree.getByRole('link').count()).toBeGreaterThan(5);
    await snap(page, 'org-tree');
    await tree.getByRole('link', { name: teamName, exact: true }).click();

    await page.getByRole('heading', { level: 1, name: teamName }).waitFor();
    await page
      .getByRole('navigation', { name: 'Breadcrumbs' })
      .getByRole('link', { name: 'Organisation' })
      .waitFor();
    const members = page.getByTestId('team-members');
    await members.waitFor();
    // A direct report: a member whose Manager column names the signed-in manager.
    const reportRow = members.locator('tbody tr').filter({
      has: page.locator('td:nth-child(3)', { hasText: manager.name }),
    });
    await reportRow.first().waitFor();
    await snap(page, 'team');
    const reportName = (await reportRow.first().locator('td').first().getByRole('link').innerText()).trim();
    await reportRow.first().locator('td').first().getByRole('link').click();

    await page.getByRole('heading', { level: 1, name: reportName }).waitFor();
    const privateSection = page.getByTestId('private-section');
    await privateSection.waitFor();
    const text = await privateSection.innerText();
    expect(text).toContain('Employment details');
    expect(text).toMatch(/Hire date/i);
    expect(text).toMatch(/Reporting history/i);
    expect(text).toContain(manager.name); // the management chain starts with them
    expect(await page.getByTestId('private-notice').count()).toBe(0);
    await snap(page, 'person-as-manager');
  });

  it('an employee opening a peer’s page sees only the directory card and a privacy notice', async () => {
    const page = await freshPage();
    const employee = loginFor(session.logins, 'employee');
    await signInAs(page, baseUrl, employee);

    // A peer: another direct report of the employee's manager, reached through the manager's page.
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'My page' })
      .click();
    const managerLink = page.getByTestId('field-manager').getByRole('link');
    await managerLink.waitFor();
    const managerName = (await managerLink.innerText()).trim();
    await managerLink.click();
    await page.getByRole('heading', { level: 1, name: managerName }).waitFor();
    const peers = page.getByTestId('direct-reports').getByRole('link').filter({ hasNotText: employee.name });
    await peers.first().waitFor();
    const peerName = (await peers.first().innerText()).trim();
    await peers.first().click();

    await page.getByRole('heading', { level: 1, name: peerName }).waitFor();
    const notice = page.getByTestId('private-notice');
    await notice.waitFor();
    expect(await notice.innerText()).toContain(
      `This page is private to ${peerName}, their management chain and HR.`,
    );
    await page.getByTestId('directory-card').waitFor();
    expect(await page.getByTestId('private-section').count()).toBe(0);
    await snap(page, 'person-as-peer');
    const body = await page.locator('main').innerText();
    for (const privateLabel of ['Employee ID', 'Hire date', 'Reporting history', 'Segments']) {
      expect(body).not.toContain(privateLabel);
    }

    // The server refuses the private data to the curious too (and records the attempt).
    const peerId = new URL(page.url()).pathname.split('/').pop()!;
    const direct = await page.request.get(`${baseUrl}/api/v1/people/${peerId}/profile`);
    expect(direct.status()).toBe(403);
    const refusedBody = await direct.text();
    expect(refusedBody).not.toContain('hireDate');
    expect(refusedBody).not.toContain('reportingHistory');
    refused = { employeeEmail: employee.email, peerId, peerName };
  });

  it('an administrator finds that refusal in the audit log', async () => {
    expect(refused, 'the employee journey must run first').toBeDefined();
    const page = await freshPage();
    await signInAs(page, baseUrl, loginFor(session.logins, 'admin'));

    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Audit log' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await page.getByText('Denied only', { exact: true }).click();
    await page.getByLabel('Action').fill('person.read_profile');
    // The filters apply after a short pause in typing: wait until only matching entries are listed.
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid="audit-table"] tbody tr')];
      return rows.length > 0 && rows.every((r) => r.getAttribute('data-action') === 'person.read_profile');
    });

    const row = page
      .locator(
        '[data-testid="audit-table"] tbody tr[data-decision="deny"][data-action="person.read_profile"]',
      )
      .filter({ hasText: refused!.employeeEmail })
      .filter({ hasText: refused!.peerId });
    await row.first().waitFor({ timeout: 15_000 });
    expect(await row.first().innerText()).toMatch(/denied/i);
    await snap(page, 'audit-denials');
    // With the filter on, nothing allowed is listed.
    expect(await page.locator('[data-testid="audit-table"] tbody tr[data-decision="allow"]').count()).toBe(0);
  });
});
