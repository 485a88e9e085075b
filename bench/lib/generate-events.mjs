// The benchmark load of issue 2: users × clients, a share of anonymous and stateful events,
// timestamps in order with jitter (late events within a few seconds), tool calls with small payloads.
const CLIENTS = [
  { name: 'claude-ai', version: '0.14.1' },
  { name: 'cursor-vscode', version: '1.7.2' },
  { name: 'Visual Studio Code', version: '1.105.0' },
];
const TOOLS = ['search_docs', 'get_issue', 'create_ticket', 'run_query', 'fetch_url'];

/** Deterministic pseudo-random numbers, so every run sends the same events. */
export function random(seed = 42) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateEvents({
  count = 200_000,
  users = 2_000,
  anonymousShare = 0.2,
  statefulShare = 0.05,
  spanMs = 6 * 3600_000,
  seed = 42,
  idPrefix = 'bench',
} = {}) {
  const rand = random(seed);
  const start = Date.now() - spanMs - 60_000;
  const events = new Array(count);
  for (let i = 0; i < count; i++) {
    const roll = rand();
    const timestamp = Math.round(start + (i / count) * spanMs + (rand() - 0.5) * 5_000);
    const user = `user-${Math.floor(rand() * users)}`;
    const client = CLIENTS[Math.floor(rand() * CLIENTS.length)];
    const tool = TOOLS[Math.floor(rand() * TOOLS.length)];
    const isError = rand() < 0.03;
    const event = {
      id: `${idPrefix}-${i}`,
      timestamp,
      durationMs: Math.round(rand() * 400 * 10) / 10,
      method: 'tools/call',
      target: tool,
      client,
      server: { name: 'bench-server', version: '1.0.0' },
      protocolVersion: '2025-11-25',
      transport: 'streamable-http',
      isError,
      arguments: { query: `find ${tool} ${i % 97}`, limit: 10 },
      result: { content: [{ type: 'text', text: `result ${i}` }], isError },
    };
    if (isError) event.error = { type: 'ToolError', message: 'upstream timed out' };
    if (roll < statefulShare) {
      event.sessionId = `tx-${Math.floor(rand() * 500)}`;
      event.user = { id: user };
    } else if (roll >= statefulShare + anonymousShare) {
      event.user = { id: user, name: `User ${user.slice(5)}` };
    }
    events[i] = event;
  }
  return events;
}

export function batches(events, size = 500) {
  const out = [];
  for (let i = 0; i < events.length; i += size) out.push(events.slice(i, i + size));
  return out;
}
