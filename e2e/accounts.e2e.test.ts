import { describe, expect, inject, it } from 'vitest';
import { browserSpecsEnabled, loginFor, signInAs, snap } from './harness.js';
import { browserSession } from './browser-session.js';

/*
 * Account administration as it happens: an administrator creates an account and issues a one-time
 * reset link; the new colleague opens it, chooses a password, signs in and creates a personal API
 * token that the API accepts; the link does not work twice.
 */

const baseUrl = inject('baseUrl');

describe.runIf(browserSpecsEnabled())('accounts, password reset links and API tokens', () => {
  const session = browserSession(baseUrl);
  const freshPage = () => session.freshPage();
  const email = `new.colleague.${Date.now()}@example.org`;
  const password = 'correct horse battery staple 7';
  let resetUrl = '';

  it('an administrator creates an account and issues a reset link', async () => {
    const page = await freshPage();
    await signInAs(page, baseUrl, loginFor(session.logins, 'admin'));
    await page.getByRole('link', { name: 'Accounts' }).click();
    await page.getByTestId('accounts-table').waitFor();

    await page.getByRole('button', { name: 'New account' }).click();
    const dialog = page.getByRole('dialog', { name: 'New account' });
    await dialog.getByLabel('E-mail').fill(email);
    await dialog.getByRole('button', { name: 'Create account' }).click();
    await dialog.getByText('Account created').waitFor();
    await dialog.getByRole('button', { name: 'Issue reset link' }).click();
    const link = dialog.getByTestId('copy-value');
    await link.waitFor();
    resetUrl = (await link.innerText()).trim();
    expect(resetUrl).toMatch(/\/reset-password\?token=/);
    await snap(page, 'accounts-reset-link');
    await dialog.getByRole('button', { name: 'Done' }).click();

    await page.getByTestId('accounts-table').getByRole('cell', { name: email, exact: true }).waitFor();
  });

  it('the new colleague sets a password with the link, signs in and creates a working API token', async () => {
    expect(resetUrl).not.toBe('');
    const page = await freshPage();
    // The link names the server it was issued on; open its path and query on this one.
    const link = new URL(resetUrl);
    await page.goto(`${baseUrl}${link.pathname}${link.search}`);
    await page.getByLabel(/^New password/).fill(password);
    await page.getByLabel(/^Repeat the new password/).fill(password);
    await page.getByRole('button', { name: 'Save password' }).click();
    await page.getByText('Password set').waitFor();

    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.getByTestId('signed-in-name').waitFor();

    await page.goto(`${baseUrl}/settings`);
    const form = page.getByRole('form', { name: 'Create an API token' });
    await form.getByLabel('Name').fill('nightly export');
    await form.getByRole('button', { name: 'Create token' }).click();
    const created = page.getByTestId('token-created');
    await created.waitFor();
    const token = (await created.getByTestId('copy-value').innerText()).trim();
    expect(token).toMatch(/^cairn_pat_/);
    await snap(page, 'settings-token');

    const res = await fetch(`${baseUrl}/api/v1/auth/session`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { account: { email: string } }).account.email).toBe(email);
    const forged = await fetch(`${baseUrl}/api/v1/auth/session`, {
      headers: { authorization: `Bearer ${token.slice(0, -2)}xx` },
    });
    expect(forged.status).toBe(401);
  });

  it('a used reset link does not work a second time', async () => {
    const page = await freshPage();
    const link = new URL(resetUrl);
    await page.goto(`${baseUrl}${link.pathname}${link.search}`);
    await page.getByLabel(/^New password/).fill('another long passphrase 8');
    await page.getByLabel(/^Repeat the new password/).fill('another long passphrase 8');
    await page.getByRole('button', { name: 'Save password' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/link|expired|used|invalid/i);
    expect(await page.getByText('Password set').count()).toBe(0);
  });
});
