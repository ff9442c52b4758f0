import { chromium, type Browser, type Page } from 'playwright-core';

// Debian's chromium, never a downloaded browser; the flags keep it from calling home.
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Headless Chromium; fails with what to install when the machine has none. */
export async function launchBrowser(): Promise<Browser> {
  try {
    return await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  } catch (error) {
    throw new Error(
      `the browser tests need Chromium at ${CHROMIUM} (Debian package chromium): ${String(error)}`,
    );
  }
}

/** Everything a page reported as wrong: console errors, uncaught exceptions, failed requests. */
export function pageTroubles(page: Page): string[] {
  const troubles: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') troubles.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => troubles.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => {
    // A stream the page ends itself (a new filter, leaving) is not a failure.
    if (request.failure()?.errorText !== 'net::ERR_ABORTED')
      troubles.push(`request failed: ${request.url()} ${request.failure()?.errorText}`);
  });
  return troubles;
}
