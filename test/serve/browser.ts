// Debian's Chromium, headless, driven by playwright-core: each test gets a fresh profile and collects the page's console errors.
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { temporaryDirectory } from '../helpers/processes.ts';

export interface TestBrowser {
  page: Page;
  /** Console errors, uncaught page errors and CSP violations seen so far. */
  errors: string[];
  close(): Promise<void>;
}

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

export async function openBrowser(): Promise<TestBrowser> {
  const profile = temporaryDirectory('kubesnap-chromium-');
  const context: BrowserContext = await chromium.launchPersistentContext(profile.path, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return {
    page,
    errors,
    async close() {
      await context.close();
      profile.remove();
    },
  };
}
