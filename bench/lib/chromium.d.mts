/** Types for `chromium.mjs`, so the TypeScript browser tests share its launcher. */
import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';

export const CHROMIUM: string;
export const haveChromium: boolean;
export function headlessChromium(): Promise<Browser>;
export function signedInContext(
  browser: Browser,
  collector: { url: string; readKey: string },
  options?: Omit<BrowserContextOptions, 'storageState'>,
): Promise<BrowserContext>;
