import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { demoLogins, launchBrowser, type DemoLogin } from './harness.js';

export interface BrowserSession {
  /** The demo's suggested logins (available once the suite's beforeAll has run). */
  readonly logins: DemoLogin[];
  /** A fresh browser profile — no cookies, as a new visitor — closed with the suite. */
  freshPage(): Promise<Page>;
}

/**
 * One Chromium for a describe block: launched with the demo logins before its tests, closed with every
 * profile it opened after them. Call it inside `describe`.
 */
export function browserSession(
  baseUrl: string,
  options: { width?: number; height?: number; onPage?: (page: Page) => void } = {},
): BrowserSession {
  let browser: Browser | undefined;
  let logins: DemoLogin[] = [];
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
    logins = await demoLogins(baseUrl);
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
  });
  return {
    get logins() {
      return logins;
    },
    async freshPage() {
      if (!browser) throw new Error('browserSession: the browser is not running (call it inside describe)');
      const context = await browser.newContext({
        viewport: { width: options.width ?? 1360, height: options.height ?? 900 },
        locale: 'en-GB',
      });
      contexts.push(context);
      const page = await context.newPage();
      options.onPage?.(page);
      return page;
    },
  };
}
