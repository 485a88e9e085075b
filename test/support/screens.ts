/**
 * What the dashboard's browser tests share: Debian's chromium through playwright-core, the
 * screens and themes every page is held to, the checks a person would notice failing, and
 * screenshots as artefacts (test-results/screenshots/<page>-<width>x<height>-<theme>.png).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { haveChromium, headlessChromium, signedInContext } from '../../bench/lib/chromium.mjs';
import { contrastProblems, horizontalOverflow, pageBackground } from './page-checks.js';

export const DIST_INDEX = fileURLToPath(new URL('../../packages/dashboard/dist/index.html', import.meta.url));
export const SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));
export { haveChromium };

export const VIEWPORTS = [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
] as const;
export const THEMES = ['light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];
export const BACKGROUND = { light: 'rgb(246, 247, 249)', dark: 'rgb(13, 17, 23)' } as const;

/** The browser, once the built dashboard and chromium are known to be there (else a message saying what to do). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(DIST_INDEX)) throw new Error(`${DIST_INDEX} is missing: build the dashboard first (npm run build).`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  return headlessChromium();
}

/**
 * A browser profile of its own, signed in to `collector` (the read key where the sign-in form leaves it),
 * on `path` once `ready` shows; the page's uncaught errors are collected in `errors`.
 */
export async function openSignedIn(
  browser: Browser,
  collector: { url: string; readKey: string },
  path: string,
  ready: string,
  viewport: { width: number; height: number },
  theme: Theme,
) {
  const context = await signedInContext(browser, collector, { viewport, colorScheme: theme });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${collector.url}${path}`);
  await page.locator(ready).first().waitFor();
  return { context, page, errors };
}

/** The whole page from its top, the pointer out of the way. */
export async function shot(page: Page, name: string, theme: Theme = 'light'): Promise<void> {
  const { width, height } = page.viewportSize()!;
  await page.mouse.move(0, 0);
  await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
  await page.screenshot({ path: `${SCREENSHOTS}${name}-${width}x${height}-${theme}.png`, fullPage: true });
}

/** Nothing wider than the window, every text readable, and the theme's own background. */
export async function expectSound(page: Page, theme: Theme, what: string): Promise<void> {
  expect(await horizontalOverflow(page), `${what}: horizontal overflow`).toBe(0);
  expect(await contrastProblems(page), `${what}: text below AA contrast`).toEqual([]);
  expect(await pageBackground(page), `${what}: page background`).toBe(BACKGROUND[theme]);
}
