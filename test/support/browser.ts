import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (installed by .ci/run with apt-get), headless: Playwright's own browser download is not reachable here. */
export const CHROMIUM = process.env.IOA_CHROMIUM ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
