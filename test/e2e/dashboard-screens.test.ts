/**
 * The dashboard on every screen and for every person, in a real browser (Debian's chromium via
 * playwright-core) against a real collector: each page at 1440×900 and 390×844, light and
 * dark, with no horizontal scrolling and AA contrast; hostile values (256-character names,
 * a 16 KB error, bidi controls, `%` and `/` in ids); one sign-in shared by the tabs of a
 * browser; the theme toggle; what the sessions list, the dates and the trend column say.
 * Screenshots: test-results/screenshots/<page>-<width>x<height>-<theme>.png.
 */
import type { SessionListResponse } from '@mcptrail/protocol';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type CollectorProcess } from '../support/collector.js';
import { contrastProblems, horizontalOverflow, pageBackground } from '../support/page-checks.js';
import { BACKGROUND, expectSound, haveChromium, launchChromium, shot, THEMES, VIEWPORTS } from '../support/screens.js';
import { aliceSession, eventMaker, vscode, type Wire } from '../support/wire-events.js';

const TIME_ZONE = 'America/New_York';

const DAY = 24 * 3600_000;
const event = eventMaker('scr', Date.now() - 2 * 3600_000, { name: 'screens' });

// Hostile values, each at the limit the collector accepts.
const LONG_NAME = `L${'o'.repeat(253)}ng`;
const SLASH_USER = { id: 'team/ops%2F100%', name: LONG_NAME };
const BIDI_USER = { id: 'eve\u202Eexe.txt', name: 'Eve \u202Egnp.exe\u2066x\u2069\u200E\u200F' };
const LONG_CLIENT = { name: `client\u202E${'c'.repeat(249)}`, version: '9.9.9' };
const SLASH_TOOL = 'fs/read%2Ffile 100%';
const LONG_TOOL = `tool_${'x'.repeat(251)}`;
const BIDI_TOOL = 'search\u202Edocs';
const HOSTILE_EVENT_ID = 'evt/1%2F2 %?#';
const LONG_ERROR = 'E'.repeat(16 * 1024);
const BIDI_MARKERS = ['⟨U+202E⟩', '⟨U+2066⟩', '⟨U+2069⟩', '⟨U+200E⟩', '⟨U+200F⟩'];

const bob = { id: 'bob', name: 'Bob Builder' };

const EVENTS: Wire[] = [
  ...aliceSession(event),
  event(3, { target: 'search_docs', user: bob, client: vscode }),
  event(4, { target: 'create_ticket', user: bob, client: vscode }),
  event(5, { target: 'get_weather', user: bob, client: vscode }),
  event(6, { target: 'search_docs', client: { name: 'windsurf-client' } }),
  // The hostile session: a long user with `/` and `%` in the id, a long client with a bidi override.
  event(10, { target: LONG_TOOL, user: SLASH_USER, client: LONG_CLIENT, arguments: { path: `/${'p'.repeat(300)}` } }),
  {
    ...event(11, {
      target: SLASH_TOOL,
      user: SLASH_USER,
      client: LONG_CLIENT,
      isError: true,
      error: { type: 'Error', message: LONG_ERROR },
    }),
    id: HOSTILE_EVENT_ID,
  },
  event(12, { target: BIDI_TOOL, user: BIDI_USER, client: { name: 'Zed' }, arguments: { q: 'abc\u202Edef' } }),
  // Nine days ago: the span before "Last 7 days", for the trend column.
  {
    ...event(0, { target: 'search_docs', user: bob, client: vscode }),
    timestamp: new Date(Date.now() - 9 * DAY).toISOString(),
  },
  // More than a year ago: a date that shows its year.
  {
    ...event(0, { method: 'tools/list', user: { id: 'olga', name: 'Olga Old' }, client: { name: 'Zed' } }),
    timestamp: new Date(Date.now() - 400 * DAY).toISOString(),
  },
];

interface InPage {
  localStorage: { getItem(key: string): string | null };
  document: { title: string };
  getComputedStyle(element: unknown): { fill: string };
}

describe.skipIf(!haveChromium && !process.env.CI)('dashboard on every screen', () => {
  let collector: CollectorProcess;
  let browser: Browser;
  let aliceSessionId: string;
  let hostileSession: string;

  beforeAll(async () => {
    collector = await startCollector();
    expect((await collector.post(EVENTS)).rejected).toEqual([]);
    aliceSessionId = (await collector.get<SessionListResponse>('/v1/sessions?user=alice')).sessions[0]!.id;
    hostileSession = (
      await collector.get<SessionListResponse>(`/v1/sessions?user=${encodeURIComponent(SLASH_USER.id)}`)
    ).sessions[0]!.id;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await collector?.stop();
  });

  /** A browser profile of its own; signed in when `signedIn` (the key as the sign-in form leaves it). */
  function newContext(
    options: { viewport?: { width: number; height: number }; theme?: 'light' | 'dark'; signedIn?: boolean } = {},
  ) {
    return browser.newContext({
      viewport: options.viewport ?? VIEWPORTS[0],
      colorScheme: options.theme ?? 'light',
      timezoneId: TIME_ZONE,
      ...(options.signedIn
        ? {
            storageState: {
              cookies: [],
              origins: [
                { origin: collector.url, localStorage: [{ name: 'mcptrail.readKey', value: collector.readKey }] },
              ],
            },
          }
        : {}),
    });
  }

  /** A signed-in browser of its own, on `path` once `ready` shows. */
  async function openSignedIn(path: string, ready: string, options: Parameters<typeof newContext>[0] = {}) {
    const context = await newContext({ ...options, signedIn: true });
    const page = await context.newPage();
    await page.goto(`${collector.url}${path}`);
    await page.locator(ready).first().waitFor();
    return { context, page };
  }

  const visibleText = async (page: Page, selector: string) => (await page.locator(selector).first().innerText()).trim();

  it('shows every page on a laptop and a phone, light and dark, without overflow or faint text', async () => {
    const pages = [
      { name: 'overview', path: '/', ready: '[data-testid=timeline-chart] svg' },
      { name: 'sessions', path: '/sessions', ready: '[data-testid=sessions-table]' },
      { name: 'session', path: `/sessions/${aliceSessionId}?event=scr-3`, ready: '[data-testid=event-details]' },
      { name: 'users', path: '/users', ready: '[data-testid=users-table]' },
      { name: 'user', path: '/users/alice', ready: '[data-testid=sessions-table]' },
      { name: 'tools', path: '/tools', ready: '[data-testid=tools-chart] svg' },
      { name: 'tool', path: '/tools/get_weather', ready: '[data-testid=tool-trend-chart] svg' },
      {
        name: 'session-hostile',
        path: `/sessions/${hostileSession}?event=${encodeURIComponent(HOSTILE_EVENT_ID)}`,
        ready: '[data-testid=event-details]',
      },
    ];
    for (const viewport of VIEWPORTS) {
      for (const theme of THEMES) {
        const context = await newContext({ viewport, theme });
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));

        await page.goto(`${collector.url}/sign-in`);
        await page.locator('[data-testid=read-key]').waitFor();
        await expectSound(page, theme, `sign-in ${viewport.width} ${theme}`);
        await shot(page, 'sign-in', theme);
        await page.fill('[data-testid=read-key]', collector.readKey);
        await page.click('button[type=submit]');
        await page.locator('[data-testid=project-name]').waitFor({ state: 'attached' });

        for (const target of pages) {
          await page.goto(`${collector.url}${target.path}`);
          await page.locator(target.ready).first().waitFor();
          await expectSound(page, theme, `${target.name} ${viewport.width} ${theme}`);
          await shot(page, target.name, theme);
        }

        // On a phone the navigation is one button away, and gets out of the way after use.
        const menu = page.locator('[data-testid=menu-button]');
        if (viewport.width < 900) {
          expect(await page.locator('.nav').isVisible()).toBe(false);
          await menu.click();
          await expectSound(page, theme, `menu ${theme}`);
          await shot(page, 'menu', theme);
          await page.locator('.nav a:has-text("Sessions")').click();
          await page.waitForURL('**/sessions');
          await page.locator('[data-testid=sessions-table]').waitFor();
          expect(await page.locator('.nav').isVisible()).toBe(false);
        } else {
          expect(await menu.isVisible()).toBe(false);
          expect(await page.locator('.nav').isVisible()).toBe(true);
        }
        expect(errors).toEqual([]);
        await context.close();
      }
    }
  });

  it('shows hostile values whole on demand, with bidi controls visible, and round-trips ids with % and /', async () => {
    // Users: a 256-character name is cut in its cell, whole on hover; controls are markers.
    const longRowSelector = `[data-user-id="${SLASH_USER.id}"]`;
    const { context, page } = await openSignedIn('/users', longRowSelector, { viewport: VIEWPORTS[1] });
    const longRow = page.locator(longRowSelector);
    const longLabel = longRow.locator('.user-label');
    expect(await longLabel.getAttribute('title')).toBe(`${LONG_NAME} · user id: ${SLASH_USER.id}`);
    expect(
      await longLabel.evaluate((e) => {
        const el = e as unknown as { scrollWidth: number; clientWidth: number };
        return el.scrollWidth > el.clientWidth;
      }),
    ).toBe(true);
    const bidiRow = page.locator('[data-user-id]').filter({ hasText: 'Eve' });
    const bidiText = await bidiRow.innerText();
    for (const marker of BIDI_MARKERS) expect(bidiText).toContain(marker);
    expect(bidiText).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200E\u200F]/);
    expect(await horizontalOverflow(page)).toBe(0);
    await shot(page, 'users-hostile');

    // A user id with `/`, `%2F` and `%` goes into the URL once encoded and comes back whole.
    await longLabel.click();
    await page.waitForURL((url) => url.pathname === `/users/${encodeURIComponent(SLASH_USER.id)}`);
    await page.locator('[data-testid=sessions-table]').waitFor();
    expect(await visibleText(page, '[data-testid=user-id]')).toContain(SLASH_USER.id);
    expect(await visibleText(page, '[data-testid=user-title]')).toBe(LONG_NAME);
    await page.reload();
    await page.locator('[data-testid=sessions-table]').waitFor();
    expect(await visibleText(page, '[data-testid=user-title]')).toBe(LONG_NAME);
    expect(await horizontalOverflow(page)).toBe(0);
    await shot(page, 'user-hostile');

    // …and into the sessions filter, and back into the API query.
    const filtered = page.waitForResponse((r) => new URL(r.url()).pathname === '/v1/sessions');
    await page.click('a:has-text("Filter sessions")');
    expect(new URL((await filtered).url()).searchParams.get('user')).toBe(SLASH_USER.id);
    expect(await page.inputValue('[data-testid=filter-user]')).toBe(SLASH_USER.id);
    await expect.poll(() => page.locator('[data-session-id]').count()).toBe(1);
    const clientCell = page.locator(`[data-session-id="${hostileSession}"] .client-name`);
    expect(await clientCell.innerText()).toContain('client⟨U+202E⟩ccc');

    // A tool name with `/` and `%`, from the tools list to its page; its 16 KB error wraps and opens whole.
    await page.goto(`${collector.url}/tools`);
    await page.locator(`[data-tool="${SLASH_TOOL}"] a`).click();
    await page.waitForURL((url) => url.pathname === `/tools/${encodeURIComponent(SLASH_TOOL)}`);
    expect(await visibleText(page, '[data-testid=tool-name]')).toBe(SLASH_TOOL);
    await page.locator(`[data-event-id="${HOSTILE_EVENT_ID}"] .failure-row`).click();
    const details = page.locator(`[data-event-id="${HOSTILE_EVENT_ID}"] [data-testid=event-details]`);
    await details.waitFor();
    const toggle = details.locator('[data-testid=long-text-toggle]');
    expect(await toggle.innerText()).toBe('Show all 16,384 characters');
    expect(await horizontalOverflow(page)).toBe(0);
    await shot(page, 'tool-hostile');
    await toggle.click();
    expect((await details.locator('.long-text').textContent())?.length).toBe(LONG_ERROR.length);
    expect(await horizontalOverflow(page)).toBe(0);

    // An event id with `/`, `%`, `?` and `#`: /events/<id> opens its session at that event.
    await page.goto(`${collector.url}/events/${encodeURIComponent(HOSTILE_EVENT_ID)}`);
    await page.waitForURL(
      (url) => url.pathname === `/sessions/${hostileSession}` && url.searchParams.get('event') === HOSTILE_EVENT_ID,
    );
    await page.locator(`[data-event-id="${HOSTILE_EVENT_ID}"] [data-testid=event-details]`).waitFor();
    expect(await page.locator('[data-testid=event-details]').count()).toBe(1);
    expect(await page.locator(`[data-event-id="${HOSTILE_EVENT_ID}"] .target`).innerText()).toBe(SLASH_TOOL);

    // A bidi tool name: a marker on the tools page, its chart label and its page's tab title.
    await page.goto(`${collector.url}/tools/${encodeURIComponent(BIDI_TOOL)}`);
    await page.locator('[data-testid=tool-name]').waitFor();
    expect(await visibleText(page, '[data-testid=tool-name]')).toBe('search⟨U+202E⟩docs');
    expect(await page.evaluate(() => (globalThis as unknown as InPage).document.title)).toBe(
      'Tool search⟨U+202E⟩docs · mcptrail',
    );
    await page.goto(`${collector.url}/tools`);
    await page.locator('[data-testid=tools-chart] svg').first().waitFor();
    const chartLabels = await page
      .locator('[data-testid=tools-chart] .recharts-yAxis-tick-labels text')
      .allInnerTexts();
    expect(chartLabels.join('\n')).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    expect(
      await page.locator('[data-testid=tools-chart] .recharts-yAxis-tick-labels text title').allTextContents(),
    ).toEqual(expect.arrayContaining(['search⟨U+202E⟩docs', LONG_TOOL]));
    // The 256-character tool name is cut to the axis, not clipped by it.
    const cut = await page.locator('[data-testid=tools-chart] .recharts-yAxis-tick-labels text').evaluateAll((texts) =>
      texts.map((t) => {
        const box = (t as unknown as { getBBox(): { x: number } }).getBBox();
        return box.x >= 0;
      }),
    );
    expect(cut.every(Boolean)).toBe(true);
    expect(await horizontalOverflow(page)).toBe(0);
    await shot(page, 'tools-hostile');
    await context.close();
  });

  it('says what the sessions list is sorted by and how many there are; dates carry their year and zone', async () => {
    const { context, page } = await openSignedIn('/sessions', '[data-testid=sort-column]');
    const sortColumn = page.locator('[data-testid=sort-column]');
    expect(await sortColumn.getAttribute('aria-sort')).toBe('descending');
    expect(await sortColumn.innerText()).toMatch(/^Last activity ↓$/i);
    const week = await collector.get<SessionListResponse>(`/v1/sessions?from=${Date.now() - 7 * DAY}`);
    await expect
      .poll(() => visibleText(page, '[data-testid=sessions-count]'))
      .toBe(`Sessions 1–${week.sessions.length} of ${week.sessions.length} active in the last 7 days`);
    // The "Last activity" column is the sessions' endedAt, newest first.
    const lastActivity = await page
      .locator('[data-session-id] td.last-activity time')
      .evaluateAll((times) =>
        times.map((t) => (t as unknown as { getAttribute(n: string): string | null }).getAttribute('datetime')),
      );
    expect(lastActivity).toEqual(week.sessions.map((s) => new Date(s.endedAt).toISOString()));
    // A time this year has no year; the hover names the zone (New York: EST or EDT) and the instant in UTC.
    const firstTime = page.locator('[data-session-id] time').first();
    expect(await firstTime.innerText()).not.toMatch(/\b20\d\d\b/);
    expect(await firstTime.getAttribute('title')).toMatch(/ E[SD]T · \d{4}-\d\d-\d\dT.*Z$/);
    expect(await visibleText(page, '[data-testid=time-zone]')).toContain(TIME_ZONE);

    // Olga's first visit was more than a year ago: the year shows.
    await page.goto(`${collector.url}/users/olga`);
    await page.locator('[data-testid=stat-first-seen] time').waitFor();
    const year = new Date(Date.now() - 400 * DAY).toLocaleString('en-US', { timeZone: TIME_ZONE, year: 'numeric' });
    expect(await visibleText(page, '[data-testid=stat-first-seen] time')).toContain(`, ${year},`);
    await context.close();
  });

  it('compares tool calls with the span before the range; no trend where there is nothing to compare', async () => {
    const { context, page } = await openSignedIn('/tools', '[data-testid=trend-header]');
    const header = page.locator('[data-testid=trend-header]');
    expect(await header.innerText()).toMatch(/^calls vs previous 7 days$/i);
    expect(await header.getAttribute('title')).toContain('compared with the 7 days just before it');
    // search_docs: 3 calls this week, 1 in the week before.
    const searchTrend = page.locator('[data-tool="search_docs"] td').last();
    expect(await searchTrend.innerText()).toBe('↑ 200%');
    expect(await searchTrend.getAttribute('title')).toBe('3 calls, 1 in the previous 7 days');
    expect(await page.locator('[data-tool="get_weather"] td').last().innerText()).toBe('new');

    // The 24 hours before the last 24 hours had no calls at all: no column, a note instead of arrows.
    await page.selectOption('[data-testid=range]', '24h');
    await page.locator('[data-testid=no-trend]').waitFor();
    expect(await header.count()).toBe(0);
    expect(await visibleText(page, '[data-testid=no-trend]')).toContain(
      'no tool calls in the 24 hours before this range',
    );
    // "All time" has no span before it: neither column nor note.
    await page.selectOption('[data-testid=range]', 'all');
    await page.locator('[data-tool="search_docs"]').waitFor();
    await expect.poll(() => page.locator('[data-tool="search_docs"] td').nth(1).innerText()).toBe('4');
    expect(await header.count()).toBe(0);
    expect(await page.locator('[data-testid=no-trend]').count()).toBe(0);
    await context.close();
  });

  it('shares one sign-in between the tabs of a browser, and signs every tab out at once', async () => {
    const context = await newContext();
    const first = await context.newPage();
    await first.goto(`${collector.url}/sign-in`);
    await first.fill('[data-testid=read-key]', collector.readKey);
    await first.click('button[type=submit]');
    await first.locator('[data-testid=project-name]').waitFor({ state: 'attached' });

    // A second tab is signed in already.
    const second = await context.newPage();
    await second.goto(`${collector.url}/tools`);
    await second.locator('[data-testid=tools-table]').waitFor();
    expect(second.url()).toBe(`${collector.url}/tools`);
    // The key is in this origin's storage for every tab, not in a cookie.
    expect(
      await second.evaluate(() => (globalThis as unknown as InPage).localStorage.getItem('mcptrail.readKey')),
    ).toBe(collector.readKey);
    expect(await context.cookies()).toEqual([]);

    // Signing out in one tab signs the other out, without a reload.
    await first.click('button:has-text("Sign out")');
    await first.waitForURL('**/sign-in');
    await second.waitForURL('**/sign-in');
    expect(
      await second.evaluate(() => (globalThis as unknown as InPage).localStorage.getItem('mcptrail.readKey')),
    ).toBeNull();

    // Signing in again in the second tab brings the first one back where it is.
    await second.fill('[data-testid=read-key]', collector.readKey);
    await second.click('button[type=submit]');
    await second.locator('[data-testid=project-name]').waitFor({ state: 'attached' });
    await first.waitForURL((url) => url.pathname !== '/sign-in');
    await first.locator('[data-testid=project-name]').waitFor({ state: 'attached' });
    await context.close();
  });

  it('follows the system theme until a choice is made, remembers it per browser, in every tab', async () => {
    const { context, page } = await openSignedIn('/tools', '[data-testid=tools-chart] svg', { theme: 'dark' });
    const other = await context.newPage();
    const background = pageBackground;
    await other.goto(`${collector.url}/`);
    await other.locator('[data-testid=theme-toggle]').waitFor();
    expect(await background(page)).toBe(BACKGROUND.dark);
    expect(await page.locator('[data-theme-choice=system]').getAttribute('aria-pressed')).toBe('true');

    // Light, chosen here: this tab, the other tab, and after a reload.
    await page.click('[data-theme-choice=light]');
    expect(await background(page)).toBe(BACKGROUND.light);
    await expect.poll(() => background(other)).toBe(BACKGROUND.light);
    expect(await other.locator('[data-theme-choice=light]').getAttribute('aria-pressed')).toBe('true');
    // The chart's axis labels follow the theme with the page.
    const tickFill = () =>
      page
        .locator('[data-testid=tools-chart] .recharts-yAxis-tick-labels text')
        .first()
        .evaluate((t) => (globalThis as unknown as InPage).getComputedStyle(t).fill);
    expect(await tickFill()).toBe('rgb(91, 100, 114)');
    await page.reload();
    await page.locator('[data-testid=tools-chart] svg').first().waitFor();
    expect(await background(page)).toBe(BACKGROUND.light);
    expect(await contrastProblems(page)).toEqual([]);

    // Back to the system's setting (dark here).
    await page.click('[data-theme-choice=system]');
    expect(await background(page)).toBe(BACKGROUND.dark);
    expect(await tickFill()).toBe('rgb(155, 165, 180)');
    await expect.poll(() => background(other)).toBe(BACKGROUND.dark);
    await context.close();
  });
});
