// Debian's chromium through playwright-core, as the dashboard's browser tests and bench:queries drive it.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);

/** Headless, no sandbox (root in CI), no GPU, and nothing fetched in the background. */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The browser, or an error that says how to install it. */
export function headlessChromium() {
  if (!haveChromium) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium).`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** A browser profile of its own, signed in to `collector`: its read key where the sign-in form leaves it. */
export function signedInContext(browser, collector, options = {}) {
  return browser.newContext({
    ...options,
    storageState: {
      cookies: [],
      origins: [{ origin: collector.url, localStorage: [{ name: 'mcptrail.readKey', value: collector.readKey }] }],
    },
  });
}
