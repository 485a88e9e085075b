/** Wire events for the browser tests, and the people and clients they share. */
export type Wire = Record<string, unknown>;

export type EventMaker = (minutes: number, fields: Wire) => Wire;

/**
 * A maker of `tools/call` events with ids `<prefix>-1`, `<prefix>-2`, … in the order they are
 * made, `minutes` after `start`, each a little slower than the one before; `fields` override.
 */
export function eventMaker(prefix: string, start: number, server: { name: string; version?: string }): EventMaker {
  let seq = 0;
  return (minutes, fields) => {
    seq += 1;
    const timestamp = new Date(start + minutes * 60_000).toISOString();
    return { id: `${prefix}-${seq}`, timestamp, durationMs: 40 + seq * 7, method: 'tools/call', server, ...fields };
  };
}

export const alice = { id: 'alice', name: 'Alice Example' };
export const claude = { name: 'claude-ai', version: '0.12.0' };
export const vscode = { name: 'Visual Studio Code', version: '1.106.0' };

/** alice in Claude Desktop: one grouped session of three requests (the first three made), the last one failing. */
export function aliceSession(event: EventMaker): Wire[] {
  return [
    event(0, { method: 'tools/list', user: alice, client: claude }),
    event(1, {
      target: 'search_docs',
      user: alice,
      client: claude,
      arguments: { query: 'refund policy' },
      result: { content: [{ type: 'text', text: 'Refunds within 30 days' }] },
    }),
    event(2, {
      target: 'get_weather',
      user: alice,
      client: claude,
      arguments: { city: 'Lisbon' },
      isError: true,
      error: { type: 'UpstreamError', message: 'weather service timed out after 5000 ms', code: -32000 },
    }),
  ];
}

/** The error of an MCP SDK v1 server whose tool's input schema refused an argument (`value` for "priority"). */
export const invalidPriority = (value: string) => ({
  type: 'ToolError',
  message:
    'MCP error -32602: Input validation error: Invalid arguments for tool create_ticket: ' +
    `expected number at "priority", got "${value}"`,
});
