/**
 * The Failures page and the overview's session length and depth, in a real browser (Debian's
 * chromium via playwright-core) against a real collector: at 1440×900 and 390×844, light and
 * dark, no horizontal scrolling, AA contrast; what the clusters table says, its details and
 * example links into sessions, the class filter; a 16 KB message and a bidi tool name.
 * Screenshots: test-results/screenshots/<page>-<width>x<height>-<theme>.png.
 */
import type { FailuresResponse } from '@mcptrail/protocol';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type CollectorProcess } from '../support/collector.js';
import { horizontalOverflow } from '../support/page-checks.js';
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
import { claude, eventMaker, invalidPriority, vscode, type Wire } from '../support/wire-events.js';

const HOUR = 3600_000;
const event = eventMaker('fail', Date.now() - 30 * HOUR, { name: 'insights' });
const BIDI_TOOL = 'lookup\u202Eorder';
const LONG_MESSAGE = `upstream said: ${'E'.repeat(16 * 1024 - 15)}`;
const WINDSURF = { name: 'windsurf-client', version: '1.12.3' };

/**
 * Per hour over 30 hours: get_item fails with "resource /v1/items/<n> not found" every 3 hours
 * (10, tool errors); the model invents `search_web` 6 times; create_ticket gets bad arguments
 * 4 times (MCP SDK v1's wording); one 16 KB failure of a bidi-named tool; successful calls between.
 */
const EVENTS: Wire[] = [
  ...Array.from({ length: 10 }, (_, i) =>
    event(i * 180, {
      target: 'get_item',
      user: { id: `u${i % 4}` },
      client: i % 2 ? vscode : claude,
      isError: true,
      error: { type: 'ToolError', message: `resource /v1/items/${4800 + i} not found` },
    }),
  ),
  ...Array.from({ length: 6 }, (_, i) =>
    event(60 + i * 240, {
      target: 'search_web',
      user: { id: 'u1' },
      client: claude,
      isError: true,
      error: { type: 'ProtocolError', code: -32602, message: 'Tool search_web not found' },
    }),
  ),
  ...Array.from({ length: 4 }, (_, i) =>
    event(90 + i * 300, {
      target: 'create_ticket',
      user: { id: 'u2' },
      client: vscode,
      isError: true,
      error: invalidPriority(`p${i}`),
    }),
  ),
  event(1700, {
    target: BIDI_TOOL,
    user: { id: 'u3' },
    client: claude,
    isError: true,
    error: { type: 'Error', message: LONG_MESSAGE },
  }),
  ...Array.from({ length: 20 }, (_, i) =>
    event(i * 85 + 5, { target: 'get_item', user: { id: `u${i % 4}` }, client: i % 2 ? vscode : claude }),
  ),
  // Windsurf breaks update_ticket: 12 of its 24 calls have invalid arguments; Claude's 60 calls of it all succeed (the
  // tool's average: 14%).
  ...Array.from({ length: 24 }, (_, i) =>
    event(600 + i * 20, {
      target: 'update_ticket',
      user: { id: 'u5' },
      client: WINDSURF,
      ...(i % 2
        ? {}
        : {
            isError: true,
            error: {
              type: 'ToolError',
              message:
                'MCP error -32602: Input validation error: Invalid arguments for tool update_ticket: ' +
                `expected object at "fields", received "${i}"`,
            },
          }),
    }),
  ),
  ...Array.from({ length: 60 }, (_, i) =>
    event(600 + i * 8, { target: 'update_ticket', user: { id: 'u6' }, client: claude }),
  ),
];

describe.skipIf(!haveChromium && !process.env.CI)('insights in the dashboard', () => {
  let collector: CollectorProcess;
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
    collector = await startCollector();
    expect((await collector.post(EVENTS)).rejected).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await collector?.stop();
  });

  const open = (path: string, ready: string, viewport: { width: number; height: number }, theme: Theme) =>
    openSignedIn(browser, collector, path, ready, viewport, theme);

  it('shows the failures and the session shape on a laptop and a phone, light and dark', async () => {
    for (const viewport of VIEWPORTS) {
      for (const theme of THEMES) {
        const { context, page, errors } = await open(
          '/failures',
          '[data-testid=failures-table] [data-testid=sparkline] svg',
          viewport,
          theme,
        );
        await expectSound(page, theme, `failures ${viewport.width} ${theme}`);
        await shot(page, 'failures', theme);
        // The largest cluster opened: its details stay within the window, however wide the table.
        await page.locator('[data-cluster="0"] .expand-button').click();
        await page.locator('[data-testid=cluster-details]').waitFor();
        await expectSound(page, theme, `failure details ${viewport.width} ${theme}`);
        await shot(page, 'failures-details', theme);

        await page.goto(`${collector.url}/clients`);
        await page.locator('[data-testid=client-matrix]').waitFor();
        await expectSound(page, theme, `clients ${viewport.width} ${theme}`);
        await shot(page, 'clients', theme);

        await page.goto(`${collector.url}/`);
        await page.locator('[data-testid=session-requests-chart] svg').waitFor();
        await page.locator('[data-testid=session-shape]').scrollIntoViewIfNeeded();
        await expectSound(page, theme, `overview ${viewport.width} ${theme}`);
        await shot(page, 'overview-session-shape', theme);
        expect(errors).toEqual([]);
        await context.close();
      }
    }
  });

  it('lists the clusters worst first, with class, tool, pattern and counts; details link to the sessions', async () => {
    const api = await collector.get<FailuresResponse>('/v1/insights/failures');
    expect(api.clusters.map((c) => [c.class, c.tool, c.count])).toEqual([
      ['invalid_arguments', 'update_ticket', 12],
      ['tool_error', 'get_item', 10],
      ['unknown_tool', 'search_web', 6],
      ['invalid_arguments', 'create_ticket', 4],
      ['protocol_error', BIDI_TOOL, 1],
    ]);
    const { context, page } = await open('/failures', '[data-testid=failures-table]', VIEWPORTS[0], 'light');
    const rows = page.locator('.cluster-row');
    expect(await rows.count()).toBe(5);
    const cells = (row: number) =>
      rows
        .nth(row + 1)
        .locator('td')
        .allInnerTexts();
    expect((await cells(0)).map((t) => t.trim())).toEqual([
      '▸ tool error',
      'get_item',
      '10',
      '',
      'resource <path> not found',
      '4',
      'VS Code +1',
      expect.any(String),
    ]);
    expect((await cells(1)).slice(0, 5).map((t) => t.trim())).toEqual([
      '▸ unknown tool',
      'search_web',
      '6',
      '',
      'Tool search_web not found',
    ]);
    expect((await cells(2)).slice(0, 5).map((t) => t.trim())).toEqual([
      '▸ invalid arguments',
      'create_ticket',
      '4',
      '',
      'Input validation error: Invalid arguments for tool create_ticket: expected number at "<value>", got "<value>"',
    ]);
    // The bidi tool name shows its control as a marker; the class counts sum up.
    expect((await cells(3))[1]).toBe('lookup⟨U+202E⟩order');
    expect(await page.locator('[data-testid=class-tool_error] .stat-value').innerText()).toBe('10');
    expect(await page.locator('[data-testid=class-unknown_tool] .stat-value').innerText()).toBe('6');
    expect(await page.locator('[data-testid=class-invalid_arguments] .stat-value').innerText()).toBe('16');
    // The sparkline says its counts in words.
    const trend = (await rows.nth(1).locator('[data-testid=sparkline]').getAttribute('aria-label')) ?? '';
    expect(trend).toMatch(/^Failures per day: /);
    expect([...trend.matchAll(/: (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0)).toBe(10);

    // Filter to one class, then back.
    await page.click('[data-testid=class-unknown_tool]');
    expect(await rows.count()).toBe(1);
    await page.click('[data-testid=class-unknown_tool]');
    expect(await rows.count()).toBe(5);

    // The 16 KB message: cut in the details, whole on demand, never wider than the window.
    await page.locator('[data-cluster="4"] .expand-button').click();
    const details = page.locator('[data-testid=cluster-details]');
    await details.waitFor();
    expect(await details.locator('[data-testid=long-text-toggle]').innerText()).toBe('Show all 1,024 characters');
    expect(await horizontalOverflow(page)).toBe(0);

    // An example opens its session at the failure.
    const example = details.locator('[data-testid=cluster-examples] a').first();
    const expected = api.clusters[4]!.examples[0]!;
    await example.click();
    await page.waitForURL(
      (url) => url.pathname === `/sessions/${expected.sessionId}` && url.searchParams.get('event') === expected.eventId,
    );
    await page.locator(`[data-event-id="${expected.eventId}"] [data-testid=event-details]`).waitFor();
    await context.close();
  });

  it('flags the client that breaks a tool, and says why', async () => {
    const { context, page } = await open('/clients', '[data-testid=client-matrix]', VIEWPORTS[0], 'light');
    const flagged = page.locator('[data-testid=client-matrix] .cell-flagged');
    expect(await flagged.count()).toBe(1);
    expect(await flagged.getAttribute('data-cell')).toBe('windsurf-client update_ticket');
    expect(await flagged.innerText()).toBe('⚠ 50% (24)');
    expect(await flagged.getAttribute('title')).toBe(
      "Windsurf · update_ticket: 50% of 24 calls failed (12 with invalid arguments); the tool's average is 14.3%",
    );
    const notice = await page.locator('[data-testid=flagged-cells]').innerText();
    expect(notice).toContain(
      "at least 20 calls and its error rate is at least 2× the tool's and at least 10 percentage points above it",
    );
    expect(notice).toContain(
      'Windsurf with update_ticket: 50% of 24 calls failed (12 invalid arguments), against 14.3% for the tool.',
    );
    // Claude Desktop: get_item ×15 (5 failing), search_web ×6 and the bidi tool ×1 (all failing), update_ticket ×60: 82
    // calls, 12 failed.
    const versions = page.locator('[data-testid=client-versions] tbody tr');
    expect((await versions.first().locator('td').allInnerTexts()).map((t) => t.trim())).toEqual([
      expect.stringContaining('Claude Desktop'),
      '0.12.0',
      '—',
      '82',
      '14.6%',
      '0%',
      expect.stringMatching(/ms$/),
    ]);
    await context.close();
  });
});
