/**
 * The dashboard in a real browser (Debian's chromium, driven by playwright-core) against a
 * real collector process holding known data. Screenshots of every page go to
 * test-results/screenshots/ (not committed) so that someone can look at them.
 */
import type {
  IngestResult,
  SessionDetailResponse,
  SessionListResponse,
  StatsResponse,
  ToolDetailResponse,
  ToolListResponse,
  UserListResponse,
} from '@mcptrail/protocol';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDuration } from '../../packages/dashboard/src/format/format-duration.js';
import { formatCount, formatPercent } from '../../packages/dashboard/src/format/format-number.js';
import { CHROMIUM } from '../../bench/lib/chromium.mjs';
import { startCollector, type CollectorProcess } from '../support/collector.js';
import { haveChromium, launchChromium, SCREENSHOTS } from '../support/screens.js';
import { alice, aliceSession, claude, eventMaker, vscode, type Wire } from '../support/wire-events.js';

if (!haveChromium && !process.env.CI) {
  console.warn(
    `dashboard e2e skipped: ${CHROMIUM} is missing (apt-get install -y chromium). In CI this fails instead.`,
  );
}

// Known data: times relative to now so that the default "Last 7 days" holds all of it.
const T0 = Date.now() - 3 * 3600_000;
const SERVER = { name: 'e2e-server', version: '1.0.0' };
const XSS_IMG = '<img src=x onerror="window.__pwned=1;alert(1)">';
const XSS_SCRIPT = '<script>window.__pwned=2;alert(2)</script>';
const XSS_USER = '<img src=x onerror="window.__pwned=3">Mallory';

/**
 * What the in-page callbacks touch. The tests' tsconfig has no DOM lib (it would leak into
 * every test file), so code that runs in the browser casts to these shapes.
 */
interface InPageElement {
  getAttribute(name: string): string | null;
  querySelector(selector: string): InPageElement | null;
  getBoundingClientRect(): { left: number; right: number; width: number };
}
interface InPage {
  __pwned?: unknown;
  __cspViolations: string[];
  localStorage: { getItem(key: string): string | null };
  document: {
    scripts: ArrayLike<{ src: string }>;
    addEventListener(
      type: 'securitypolicyviolation',
      listener: (e: { violatedDirective: string; blockedURI: string; sample: string }) => void,
    ): void;
  };
}

const event = eventMaker('e2e', T0, SERVER);
const cursor = { name: 'cursor-vscode', version: '1.4.0' };

const EVENTS: Wire[] = [
  ...aliceSession(event),
  // alice in Cursor: another client is another session.
  event(5, { target: 'search_docs', user: alice, client: cursor, arguments: { query: 'cursor' } }),
  event(6, { target: 'search_docs', user: alice, client: cursor, arguments: { query: 'cursor again' } }),
  // bob in VS Code.
  event(3, {
    target: 'search_docs',
    user: { id: 'bob', name: 'Bob Builder' },
    client: vscode,
    arguments: { query: 'build' },
  }),
  event(4, {
    target: 'create_ticket',
    user: { id: 'bob', name: 'Bob Builder' },
    client: vscode,
    arguments: { title: 'Broken build' },
  }),
  // carol over a stateful transport in Zed.
  event(7, { method: 'initialize', sessionId: 'transport-carol-1', user: { id: 'carol' }, client: { name: 'Zed' } }),
  event(8, {
    target: 'get_weather',
    sessionId: 'transport-carol-1',
    user: { id: 'carol' },
    client: { name: 'Zed' },
    arguments: { city: 'Oslo' },
  }),
  // An anonymous request: a session of its own.
  event(9, { target: 'search_docs', client: { name: 'windsurf-client' }, arguments: { query: 'anonymous' } }),
  // Hostile payloads everywhere a person or an LLM can write.
  event(10, {
    target: 'search_docs',
    user: { id: 'mallory', name: XSS_USER },
    client: { name: `evil-client ${XSS_SCRIPT}` },
    arguments: { query: XSS_IMG, note: XSS_SCRIPT },
    result: { content: [{ type: 'text', text: `${XSS_IMG}${XSS_SCRIPT}` }] },
    isError: true,
    error: { type: 'Error', message: `bad input ${XSS_IMG}`, stack: XSS_SCRIPT },
    tags: { note: XSS_IMG },
  }),
];
// olga, 20 days ago: outside the default range, inside "All time".
const OLD_EVENT = {
  id: 'e2e-old',
  timestamp: new Date(Date.now() - 20 * 24 * 3600_000).toISOString(),
  durationMs: 5,
  method: 'tools/list',
  user: { id: 'olga', name: 'Olga Old' },
  client: { name: 'Zed' },
  server: SERVER,
};
// dave in Claude Desktop: 50 minutes apart (two sessions), until a late event bridges them.
const DAVE = { id: 'dave', name: 'Dave' };
const DAVE_EARLY = event(20, { target: 'search_docs', user: DAVE, client: claude, arguments: { query: 'first' } });
const DAVE_LATE = event(70, { target: 'search_docs', user: DAVE, client: claude, arguments: { query: 'third' } });
const DAVE_BRIDGE = event(45, { target: 'create_ticket', user: DAVE, client: claude, arguments: { title: 'bridge' } });
const DROPPED = 3;

describe.skipIf(!haveChromium && !process.env.CI)('dashboard in a real browser', () => {
  let collector: CollectorProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let mergedAwayId: string;
  let survivorId: string;
  const requestUrls: string[] = [];
  const pageErrors: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    collector = await startCollector();

    const accepted = (result: IngestResult) => expect(result.rejected).toEqual([]);
    accepted(await collector.post([...EVENTS, OLD_EVENT], { dropped: DROPPED }));
    accepted(await collector.post([DAVE_EARLY, DAVE_LATE]));
    const daveBefore = await collector.get<SessionListResponse>('/v1/sessions?user=dave');
    expect(daveBefore.sessions).toHaveLength(2);
    // Most recent first: the later session is the one that the bridge merges away.
    mergedAwayId = daveBefore.sessions[0]!.id;
    survivorId = daveBefore.sessions[1]!.id;
    accepted(await collector.post([DAVE_BRIDGE]));
    const merged = await collector.get<SessionDetailResponse>(`/v1/sessions/${mergedAwayId}`);
    expect(merged.session.id).toBe(survivorId);

    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    // Injected by the browser, outside the page's CSP: records any CSP violation the page causes.
    await context.addInitScript(() => {
      const w = globalThis as unknown as InPage;
      w.__cspViolations = [];
      w.document.addEventListener('securitypolicyviolation', (e) => {
        w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
      });
    });
    page = await context.newPage();
    page.on('request', (request) => requestUrls.push(request.url()));
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  });

  afterAll(async () => {
    await browser?.close();
    await collector?.stop();
  });

  async function shot(name: string): Promise<void> {
    await page.mouse.move(0, 0);
    await page.screenshot({ path: `${SCREENSHOTS}dashboard-${name}.png`, fullPage: true });
  }

  // The page's default range is the last 7 days; olga's old session is outside it.
  const weekOfSessions = (query = '') =>
    collector.get<SessionListResponse>(
      `/v1/sessions?from=${Date.now() - 7 * 24 * 3600_000}${query ? `&${query}` : ''}`,
    );
  const text = async (selector: string) => ((await page.locator(selector).first().textContent()) ?? '').trim();
  const rowIds = (attribute: string) =>
    page
      .locator(`[${attribute}]`)
      .evaluateAll((rows, attr) => rows.map((r) => (r as unknown as InPageElement).getAttribute(attr)), attribute);

  it('signs in with a read key and refuses a wrong one', async () => {
    await page.goto(`${collector.url}/sessions`);
    await page.waitForURL('**/sign-in');
    await shot('sign-in');

    await page.fill('[data-testid=read-key]', 'mtr_not-a-real-key');
    await page.click('button[type=submit]');
    await page.locator('[role=alert]').waitFor();
    expect(await text('[role=alert]')).toContain('did not accept this key');

    await page.fill('[data-testid=read-key]', collector.readKey);
    await page.click('button[type=submit]');
    // Back where we were headed, signed in.
    await page.waitForURL('**/sessions');
    await page.locator('[data-testid=sessions-table]').waitFor();
    expect(await text('[data-testid=project-name]')).toBe('test');
    expect(await page.evaluate(() => (globalThis as unknown as InPage).localStorage.getItem('mcptrail.readKey'))).toBe(
      collector.readKey,
    );
  });

  it('shows the overview with the numbers the API gives', async () => {
    const statsResponse = page.waitForResponse((r) => new URL(r.url()).pathname === '/v1/stats');
    await page.click('.nav a:has-text("Overview")');
    const pageStats = (await (await statsResponse).json()) as StatsResponse;
    await page.locator('[data-testid=stat-sessions]').waitFor();

    // The page's own range (last 7 days) holds all the data, so it agrees with an unbounded query.
    const apiStats = await collector.get<StatsResponse>('/v1/stats');
    for (const stats of [pageStats, apiStats]) {
      expect(stats.sessions).toBe(7);
      expect(stats.conversations).toBe(6);
      expect(stats.oneRequestAnonymous).toBe(1);
      expect(stats.events).toBe(14);
      expect(stats.users).toBe(5);
      expect(stats.errors).toBe(2);
      expect(stats.dropped).toBe(DROPPED);
    }
    // One-request anonymous sessions are shown apart, not counted as conversations.
    expect(await text('[data-testid=stat-sessions] .stat-value')).toBe(formatCount(apiStats.conversations));
    expect(await text('[data-testid=stat-sessions] .stat-hint')).toBe(
      `+ ${apiStats.oneRequestAnonymous} one-request anonymous`,
    );
    expect(await text('[data-testid=stat-events] .stat-value')).toBe(formatCount(apiStats.events));
    expect(await text('[data-testid=stat-active-users] .stat-value')).toBe(formatCount(apiStats.users));
    expect(await text('[data-testid=stat-error-rate] .stat-value')).toBe(formatPercent(apiStats.errorRate));
    expect(await text('[data-testid=stat-p95-latency] .stat-value')).toBe(formatDuration(apiStats.p95Ms));
    expect(await text('[data-testid=dropped-notice]')).toContain(`${DROPPED} dropped events`);

    // Clients under their product names, the raw name on hover.
    const claudeRow = page.locator('[data-testid=clients-table] [data-raw-client="claude-ai"]');
    expect(await claudeRow.textContent()).toBe('Claude Desktop');
    expect(await claudeRow.getAttribute('title')).toContain('claude-ai');
    expect(await page.locator('[data-testid=clients-table] [data-raw-client="Visual Studio Code"]').textContent()).toBe(
      'VS Code',
    );
    await page.locator('[data-testid=timeline-chart] svg').first().waitFor();
    await page.locator('[data-testid=top-tools-chart] svg').first().waitFor();
    await shot('overview');

    // "All time" reaches back past the API's default of seven days.
    const allTimeResponse = page.waitForResponse((r) => new URL(r.url()).pathname === '/v1/stats');
    await page.selectOption('[data-testid=range]', 'all');
    const allTime = (await (await allTimeResponse).json()) as StatsResponse;
    expect(allTime.sessions).toBe(8);
    expect(allTime.events).toBe(15);
    const counts = ({ sessions, events, errors, users, dropped, clients }: StatsResponse) => ({
      sessions,
      events,
      errors,
      users,
      dropped,
      clients,
    });
    expect(counts(allTime)).toEqual(counts(await collector.get<StatsResponse>('/v1/stats?from=2000-01-01T00:00:00Z')));
    await expect.poll(() => text('[data-testid=stat-events] .stat-value')).toBe('15');
    expect(await text('[data-testid=stat-active-users] .stat-value')).toBe('6');
    await shot('overview-all-time');
    const weekResponse = page.waitForResponse((r) => new URL(r.url()).pathname === '/v1/stats');
    await page.selectOption('[data-testid=range]', '7d');
    await weekResponse;
    await expect.poll(() => text('[data-testid=stat-events] .stat-value')).toBe('14');
  });

  it('filters sessions by user and by client', async () => {
    await page.click('.nav a:has-text("Sessions")');
    await page.locator('[data-testid=sessions-table]').waitFor();
    const all = await weekOfSessions();
    expect(all.sessions).toHaveLength(7);
    await expect.poll(() => rowIds('data-session-id')).toEqual(all.sessions.map((s) => s.id));
    await shot('sessions');

    await page.fill('[data-testid=filter-user]', 'alice');
    await page.click('form:has([data-testid=filter-user]) button[type=submit]');
    const alices = await weekOfSessions('user=alice');
    expect(alices.sessions).toHaveLength(2);
    await expect.poll(() => rowIds('data-session-id')).toEqual(alices.sessions.map((s) => s.id));
    const clientsShown = await page.locator('[data-session-id] [data-raw-client]').allTextContents();
    expect(clientsShown.sort()).toEqual(['Claude Desktop', 'Cursor']);
    expect(page.url()).toContain('user=alice');

    await page.selectOption('[data-testid=filter-client]', 'claude-ai');
    const aliceClaude = await weekOfSessions('user=alice&client=claude-ai');
    expect(aliceClaude.sessions).toHaveLength(1);
    await expect.poll(() => rowIds('data-session-id')).toEqual(aliceClaude.sessions.map((s) => s.id));
    await shot('sessions-filtered');

    // Client alone, user cleared.
    await page.fill('[data-testid=filter-user]', '');
    await page.click('form:has([data-testid=filter-user]) button[type=submit]');
    const claudeOnly = await weekOfSessions('client=claude-ai');
    expect(claudeOnly.sessions.map((s) => s.userId).sort()).toEqual(['alice', 'dave']);
    await expect.poll(() => rowIds('data-session-id')).toEqual(claudeOnly.sessions.map((s) => s.id));

    // Kind and errors, on top of the client.
    await page.selectOption('[data-testid=filter-errors]', 'yes');
    const claudeFailing = await weekOfSessions('client=claude-ai&hasError=true');
    expect(claudeFailing.sessions.map((s) => s.userId)).toEqual(['alice']);
    await expect.poll(() => rowIds('data-session-id')).toEqual(claudeFailing.sessions.map((s) => s.id));
    await page.selectOption('[data-testid=filter-client]', '');
    await page.selectOption('[data-testid=filter-errors]', '');
    await page.selectOption('[data-testid=filter-kind]', 'stateful');
    const stateful = await weekOfSessions('kind=stateful');
    expect(stateful.sessions.map((s) => s.userId)).toEqual(['carol']);
    await expect.poll(() => rowIds('data-session-id')).toEqual(stateful.sessions.map((s) => s.id));
    await page.click('a:has-text("Clear filters")');
    await expect.poll(() => rowIds('data-session-id')).toEqual(all.sessions.map((s) => s.id));
  });

  it('opens a session and expands an event', async () => {
    const target = (await collector.get<SessionListResponse>('/v1/sessions?user=alice&client=claude-ai')).sessions[0]!;
    await page.selectOption('[data-testid=filter-client]', 'claude-ai');
    await page.fill('[data-testid=filter-user]', 'alice');
    await page.click('form:has([data-testid=filter-user]) button[type=submit]');
    await expect.poll(() => rowIds('data-session-id')).toEqual([target.id]);
    await page.click(`[data-session-id="${target.id}"] a[href^="/sessions/"]`);
    await page.waitForURL(`**/sessions/${target.id}`);
    await page.locator('[data-testid=event-list]').waitFor();

    expect(await text('[data-testid=session-id]')).toBe(target.id);
    expect(await page.title()).toBe(`Session ${target.id} · mcptrail`);
    const summary = await text('[data-testid=session-summary]');
    expect(summary).toContain('Alice Example');
    expect(summary).toContain('Claude Desktop');
    expect(await text('.page-header .badge')).toBe('user + client');

    // In timestamp order: list, search, failing weather call.
    const rows = page.locator('[data-event-id]');
    expect(
      await rows.evaluateAll((els) => els.map((e) => (e as unknown as InPageElement).getAttribute('data-event-id'))),
    ).toEqual(['e2e-1', 'e2e-2', 'e2e-3']);
    expect(await rows.locator('.method').allTextContents()).toEqual(['tools/list', 'tools/call', 'tools/call']);
    expect(await rows.locator('.badge').allTextContents()).toEqual(['ok', 'ok', 'error']);

    // Every request's duration bar is drawn inside its track, the last one included.
    const bars = await rows.evaluateAll((els) =>
      els.map((el) => {
        const e = el as unknown as InPageElement;
        const track = e.querySelector('.bar-track')!.getBoundingClientRect();
        const bar = e.querySelector('.bar')!.getBoundingClientRect();
        return bar.width > 0 && bar.left >= track.left && bar.right <= track.right + 0.5;
      }),
    );
    expect(bars).toEqual([true, true, true]);

    const failing = page.locator('[data-event-id="e2e-3"]');
    expect(await failing.locator('button').getAttribute('aria-expanded')).toBe('false');
    await failing.locator('button').click();
    await failing.locator('[data-testid=event-details]').waitFor();
    expect(await failing.locator('button').getAttribute('aria-expanded')).toBe('true');
    const details = (await failing.locator('[data-testid=event-details]').textContent()) ?? '';
    expect(details).toContain('UpstreamError');
    expect(details).toContain('weather service timed out after 5000 ms');
    expect(JSON.parse((await failing.locator('[data-testid=json-arguments]').textContent()) ?? '')).toEqual({
      city: 'Lisbon',
    });
    await shot('session');
  });

  it('opens an id that disappeared in a merge at the surviving session', async () => {
    await page.goto(`${collector.url}/sessions/${mergedAwayId}`);
    await page.waitForURL(`**/sessions/${survivorId}`);
    await page.locator('[data-testid=merged-notice]').waitFor();
    expect(await text('[data-testid=session-id]')).toBe(survivorId);
    expect(await text('[data-testid=merged-notice]')).toContain(mergedAwayId);
    expect(
      await page
        .locator('[data-event-id]')
        .evaluateAll((els) => els.map((e) => (e as unknown as InPageElement).getAttribute('data-event-id'))),
    ).toEqual([DAVE_EARLY.id, DAVE_BRIDGE.id, DAVE_LATE.id]);
    await shot('session-merged');
  });

  it('lists tools and opens a tool with its recent failures', async () => {
    await page.click('.nav a:has-text("Tools")');
    await page.locator('[data-testid=tools-table]').waitFor();
    const tools = await collector.get<ToolListResponse>('/v1/tools');
    const weather = tools.tools.find((t) => t.name === 'get_weather')!;
    expect(weather.calls).toBe(2);
    expect(weather.errors).toBe(1);
    const row = page.locator('[data-tool="get_weather"] td');
    expect(await row.nth(1).textContent()).toBe(formatCount(weather.calls));
    expect(await row.nth(2).textContent()).toContain(formatPercent(weather.errorRate));
    expect((await rowIds('data-tool')).sort()).toEqual(tools.tools.map((t) => t.name).sort());
    await shot('tools');

    await page.click('[data-tool="get_weather"] a');
    await page.waitForURL('**/tools/get_weather');
    await page.locator('[data-testid=failure-list]').waitFor();
    const detail = await collector.get<ToolDetailResponse>('/v1/tools/get_weather');
    expect(await text('[data-testid=tool-name]')).toBe('get_weather');
    expect(await text('[data-testid=stat-calls] .stat-value')).toBe(formatCount(detail.tool.calls));
    expect(await text('[data-testid=stat-p95-latency] .stat-value')).toBe(formatDuration(detail.tool.p95Ms));
    expect(await rowIds('data-event-id')).toEqual(detail.recentFailures.map((e) => e.id));
    expect(await text('[data-testid=failure-list]')).toContain('weather service timed out after 5000 ms');
    await page.locator('[data-testid=tool-trend-chart] svg').first().waitFor();
    await shot('tool');

    // A failure links to its session, opened at that event.
    await page.click('[data-event-id="e2e-3"] .failure-context a[href^="/sessions/"]');
    await page.locator('[data-event-id="e2e-3"] [data-testid=event-details]').waitFor();
    expect(await text('[data-testid=session-id]')).toBe(detail.recentFailures[0]!.sessionId);
    expect(await page.locator('[data-testid=event-details]').count()).toBe(1);

    // So does an event id.
    await page.goto(`${collector.url}/events/e2e-8`);
    await page.locator('[data-event-id="e2e-8"] [data-testid=event-details]').waitFor();
    expect(await text('.page-header .badge')).toBe('transport session');
  });

  it('lists users and opens one with their sessions across clients', async () => {
    await page.click('.nav a:has-text("Users")');
    await page.locator('[data-testid=users-table]').waitFor();
    const users = await collector.get<UserListResponse>('/v1/users');
    expect((await rowIds('data-user-id')).sort()).toEqual(users.users.map((u) => u.id).sort());
    const aliceRow = page.locator('[data-user-id="alice"]');
    expect((await aliceRow.locator('[data-raw-client]').allTextContents()).sort()).toEqual([
      'Claude Desktop',
      'Cursor',
    ]);
    await shot('users');

    await aliceRow.locator('a').first().click();
    await page.waitForURL('**/users/alice');
    await page.locator('[data-testid=sessions-table]').waitFor();
    expect(await text('[data-testid=user-title]')).toBe('Alice Example');
    expect(await page.locator('[data-session-id]').count()).toBe(2);
    await shot('user');
  });

  it('shows hostile arguments, results, names and errors as text and runs nothing', async () => {
    const mallory = (await collector.get<SessionListResponse>('/v1/sessions?user=mallory')).sessions[0]!;
    await page.goto(`${collector.url}/sessions/${mallory.id}`);
    await page.locator('[data-testid=event-list]').waitFor();
    await page.click('button:has-text("Expand all")');
    const details = page.locator('[data-testid=event-details]');
    await details.waitFor();

    const argumentsText = (await details.locator('[data-testid=json-arguments]').textContent()) ?? '';
    expect(JSON.parse(argumentsText)).toEqual({ query: XSS_IMG, note: XSS_SCRIPT });
    expect(await text('[data-testid=json-result]')).toContain('<img src=x onerror=');
    expect(await details.textContent()).toContain(`bad input ${XSS_IMG}`);
    expect(await text('[data-testid=session-summary]')).toContain(XSS_USER);
    await shot('session-hostile');

    // The same data on the list pages.
    await page.click('.nav a:has-text("Users")');
    await page.locator('[data-user-id="mallory"]').waitFor();
    expect(await page.locator('[data-user-id="mallory"] a').first().textContent()).toBe(XSS_USER);
    await page.click('.nav a:has-text("Overview")');
    await page.locator('[data-testid=clients-table]').waitFor();
    expect(await page.locator('[data-testid=clients-table]').textContent()).toContain(XSS_SCRIPT);
    await page.goto(`${collector.url}/tools/search_docs`);
    await page.locator('[data-testid=failure-list]').waitFor();
    expect(await text('[data-testid=failure-list]')).toContain(XSS_IMG);

    // Nothing ran, nothing was parsed into elements, nothing tripped the CSP.
    expect(await page.evaluate(() => (globalThis as unknown as InPage).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(
      await page.evaluate(
        () => Array.from((globalThis as unknown as InPage).document.scripts).filter((s) => !s.src).length,
      ),
    ).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as InPage).__cspViolations)).toEqual([]);
  });

  it('keeps the read key out of every URL and raised no page errors', async () => {
    expect(requestUrls.length).toBeGreaterThan(10);
    expect(requestUrls.filter((url) => url.includes(collector.readKey))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('signs out and forgets the key', async () => {
    await page.click('button:has-text("Sign out")');
    await page.waitForURL('**/sign-in');
    expect(
      await page.evaluate(() => (globalThis as unknown as InPage).localStorage.getItem('mcptrail.readKey')),
    ).toBeNull();
    await page.goto(`${collector.url}/tools`);
    await page.waitForURL('**/sign-in');
  });
  it('shows how to instrument a server to a project without data, and none of the other project', async () => {
    const empty = await collector.createProject('empty');
    await page.goto(`${collector.url}/`);
    await page.waitForURL('**/sign-in');
    await page.fill('[data-testid=read-key]', empty.readKey);
    await page.click('button[type=submit]');
    await page.locator('[data-testid=empty-state]').waitFor();
    expect(await text('[data-testid=project-name]')).toBe('empty');
    const snippet = await text('[data-testid=empty-state] pre');
    expect(snippet).toContain("import { track } from 'mcptrail';");
    expect(snippet).toContain('track(server, {');
    expect(snippet).toContain('identify:');
    expect(snippet).toContain(`endpoint: '${collector.url}'`);
    expect(await page.locator('[data-testid=empty-state] button:has-text("Copy snippet")').count()).toBe(1);
    await shot('overview-empty');

    await page.click('.nav a:has-text("Sessions")');
    await page.locator('[data-testid=empty-state]').waitFor();
    expect(await page.locator('[data-session-id]').count()).toBe(0);
    await page.click('.nav a:has-text("Users")');
    await page.locator('[data-testid=empty-state]').waitFor();
    await shot('users-empty');
  });
  it('pages through sessions with the cursor', async () => {
    const busy = await collector.createProject('busy');
    const anonymous = Array.from({ length: 57 }, (_, i) => ({
      id: `page-${i}`,
      timestamp: new Date(T0 + i * 60_000).toISOString(),
      durationMs: 3,
      method: 'tools/call',
      target: 'ping',
    }));
    expect((await collector.post(anonymous, { key: busy.writeKey })).accepted).toBe(57);
    await page.click('button:has-text("Sign out")');
    await page.waitForURL('**/sign-in');
    await page.fill('[data-testid=read-key]', busy.readKey);
    await page.click('button[type=submit]');
    await page.locator('[data-testid=project-name]:has-text("busy")').waitFor();
    await page.click('.nav a:has-text("Sessions")');
    await page.locator('[data-testid=sessions-table]').waitFor();

    const first = await collector.get<SessionListResponse>('/v1/sessions?limit=50', busy.readKey);
    await expect.poll(() => rowIds('data-session-id')).toEqual(first.sessions.map((s) => s.id));
    await page.click('[data-testid=next-page]');
    await page.waitForURL(/cursor=/);
    const second = await collector.get<SessionListResponse>(
      `/v1/sessions?limit=50&cursor=${encodeURIComponent(first.nextCursor!)}`,
      busy.readKey,
    );
    expect(second.sessions).toHaveLength(7);
    await expect.poll(() => rowIds('data-session-id')).toEqual(second.sessions.map((s) => s.id));
    expect(await page.locator('[data-testid=next-page]').count()).toBe(0);
    await shot('sessions-page-2');
    await page.goBack();
    await expect.poll(() => rowIds('data-session-id')).toEqual(first.sessions.map((s) => s.id));
  });
});
