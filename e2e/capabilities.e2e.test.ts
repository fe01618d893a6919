import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CAPABILITIES } from '../src/web/navigation.js';
import { browserSpecsEnabled, demoLogins, launchBrowser, loginFor, signInAs } from './harness.js';

/* Every capability of the product is in the navigation; the ones not built yet say so plainly. */

const baseUrl = inject('baseUrl');

describe.runIf(browserSpecsEnabled())('capabilities in the navigation', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('lists all eleven capabilities, and each unbuilt one says "Not built yet" and what will be there', async () => {
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const page = await context.newPage();
    await signInAs(page, baseUrl, loginFor(await demoLogins(baseUrl), 'employee'));
    const nav = page.getByRole('navigation', { name: 'Main navigation' });

    expect(CAPABILITIES).toHaveLength(11);
    const unbuilt = CAPABILITIES.filter((c) => !c.built);
    expect(unbuilt.length).toBeGreaterThan(0);
    for (const capability of CAPABILITIES) {
      // A built capability's link is named exactly its label ("Coaching" is also the start of "Coaching outcomes").
      await nav.getByRole('link', { name: capability.label, exact: capability.built }).waitFor();
    }

    for (const capability of unbuilt) {
      await nav.getByRole('link', { name: capability.label }).click();
      await page.waitForURL((url) => url.pathname === capability.path);
      // The same page component serves every capability: wait until it shows this one.
      await page.getByRole('heading', { level: 1, name: capability.label, exact: true }).waitFor();
      const panel = page.getByTestId('not-built');
      await panel.waitFor();
      const text = await panel.innerText();
      expect(text).toContain('Not built yet');
      expect(text).toContain(capability.summary);
    }

    // Coaching is built: its navigation entry opens the inbox, not a "Not built yet" page.
    expect(CAPABILITIES.find((c) => c.slug === 'coaching')?.built).toBe(true);
    await nav.getByRole('link', { name: 'Coaching', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/coaching');
    await page.getByRole('heading', { level: 1, name: 'Coaching', exact: true }).waitFor();
    expect(await page.getByTestId('not-built').count()).toBe(0);

    // A reload on a client-side route still finds the page (the server's single-page fallback).
    const last = unbuilt[unbuilt.length - 1]!;
    await page.goto(`${baseUrl}${last.path}`);
    await page.getByTestId('not-built').waitFor();
    expect(await page.getByTestId('demo-banner').isVisible()).toBe(true);
    await context.close();
  });
});
