/**
 * The Paths and What-if pages in a real browser (Debian's chromium via playwright-core) against a
 * real collector: at 1440×900 and 390×844, light and dark, no horizontal scrolling and AA contrast,
 * with a 256-character tool name and a bidi control in the paths; what they show, checked against
 * the API's answer. Screenshots: test-results/screenshots/<page>-<width>x<height>-<theme>.png.
 */
import type { ToolPathsResponse, WhatIfResponse } from '@mcptrail/protocol';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type CollectorProcess } from '../support/collector.js';
import {
  expectSound,
  haveChromium,
  launchChromium,
  openSignedIn,
  shot,
  THEMES,
  VIEWPORTS,
  type Theme,
} from '../support/screens.js';

const MIN = 60_000;
const LONG_TOOL = `tool_${'x'.repeat(251)}`;
const BIDI_TOOL = 'search\u202Edocs';

/** Thirty users' sessions over the last two days, each a path of the list below (`!`: the call fails). */
function events() {
  const shapes = [
    'search_docs get_page summarize',
    'search_docs get_page!',
    'search_docs search_docs get_page summarize create_ticket',
    `list_projects ${LONG_TOOL}!`,
    `${BIDI_TOOL} get_page`,
    'search_docs create_ticket!',
  ];
  const start = Date.now() - 2 * 24 * 60 * MIN;
  return Array.from({ length: 30 }, (_, user) => {
    const at = start + user * 90 * MIN;
    return shapes[user % shapes.length]!.split(' ').map((call, i) => ({
      id: `p${user}-${i}`,
      timestamp: at + i * 2 * MIN,
      method: 'tools/call',
      target: call.replace(/!$/, ''),
      isError: call.endsWith('!'),
      user: { id: `user-${user}` },
      client: { name: user % 2 ? 'claude-ai' : 'cursor-vscode' },
    }));
  }).flat();
}

describe.skipIf(!haveChromium && !process.env.CI)('the Paths and What-if pages on every screen', () => {
  let collector: CollectorProcess;
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
    collector = await startCollector();
    expect((await collector.post(events())).rejected).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await collector?.stop();
  });

  const open = (path: string, ready: string, viewport: { width: number; height: number }, theme: Theme) =>
    openSignedIn(browser, collector, path, ready, viewport, theme);

  it('shows the paths: flow chart, common paths, drop-off and endings after an error, as the API counts', async () => {
    const api = await collector.get<ToolPathsResponse>('/v1/insights/paths');
    for (const viewport of VIEWPORTS) {
      for (const theme of THEMES) {
        const { context, page, errors } = await open('/paths', '[data-testid=paths-chart] svg', viewport, theme);
        await page.locator('[data-testid=ends-after-error-table]').waitFor();
        await expectSound(page, theme, `paths ${viewport.width} ${theme}`);
        await shot(page, 'paths', theme);
        expect(await page.locator('[data-testid=stat-sessions] .stat-value').innerText()).toBe(String(api.sessions));
        // Every ending after an error the API names, with the same count, its sessions linked.
        const rows = page.locator('[data-testid=ends-after-error-table] tbody tr');
        expect(await rows.count()).toBe(api.endsAfterError.length);
        for (const [i, ending] of api.endsAfterError.entries()) {
          expect(await rows.nth(i).getAttribute('data-tool')).toBe(ending.tool);
          expect(await rows.nth(i).locator('td.num').innerText()).toBe(String(ending.sessions));
          expect(await rows.nth(i).locator('a[href^="/sessions/"]').count()).toBe(ending.exampleSessionIds.length);
        }
        // The bidi control is shown, not applied; the long name never widens the page (checked above).
        expect(await page.locator('[data-testid=top-paths-table]').innerText()).toContain('search⟨U+202E⟩docs');
        // Flow chart nodes: the start and the tools of the first steps.
        expect(await page.locator('[data-testid=paths-chart] svg text').count()).toBeGreaterThan(3);
        expect(errors).toEqual([]);
        await context.close();
      }
    }
    // Four of the six shapes (five users each) begin with search_docs; two of them go on to get_page.
    expect(api.firstSteps[0]).toMatchObject({ tool: 'search_docs', sessions: 20 });
    expect(api.firstSteps[0]!.children[0]).toMatchObject({ tool: 'get_page', sessions: 10 });
  });

  it('shows what-if: sessions and distributions per timeout, stored first; says nothing stored changes', async () => {
    const api = await collector.get<WhatIfResponse>('/v1/insights/what-if');
    for (const viewport of VIEWPORTS) {
      for (const theme of THEMES) {
        const { context, page, errors } = await open(
          '/what-if',
          '[data-testid=what-if-calls-chart] svg',
          viewport,
          theme,
        );
        await page.locator('[data-testid=what-if-duration-chart] svg').first().waitFor();
        await expectSound(page, theme, `what-if ${viewport.width} ${theme}`);
        await shot(page, 'what-if', theme);
        const rows = page.locator('[data-testid=what-if-table] tbody tr');
        expect(await rows.count()).toBe(1 + api.timeouts.length);
        expect(await rows.first().getAttribute('data-grouping')).toBe('stored');
        expect(await rows.first().locator('td.num').first().innerText()).toBe(String(api.stored.sessions));
        expect(await page.locator('[data-testid=what-if-explainer]').innerText()).toContain(
          'stored sessions are not changed',
        );
        expect(errors).toEqual([]);
        await context.close();
      }
    }
    // The paths' calls are 2 minutes apart: at 1 minute every call is a session of its own.
    const { page, context } = await open('/what-if', '[data-testid=what-if-table]', VIEWPORTS[0], 'light');
    const answer = page.waitForResponse(
      (r) =>
        new URL(r.url()).pathname === '/v1/insights/what-if' &&
        new URL(r.url()).searchParams.get('timeout') === '1m,2m,5m,10m',
    );
    await page.locator('button:has-text("1–10 min")').click();
    const body = (await (await answer).json()) as WhatIfResponse;
    expect(body.timeouts[0]).toMatchObject({ timeoutMs: MIN, sessions: api.events });
    await page.locator('[data-testid=what-if-table] tr[data-grouping="1m"]').waitFor();
    await context.close();
  });
});
