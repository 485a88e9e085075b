/**
 * Failure classes as real servers produce them: McpServer of MCP SDK v1 and v2, tracked by the
 * built SDK, called by the SDKs' own clients over the in-memory transport: a tool that does not
 * exist, arguments that fail the schema, a tool that answers isError and one that throws; the
 * collector's /v1/insights/failures must put each in its class (docs/adr/0205).
 */
import type { FailuresResponse } from '@mcptrail/protocol';
import { flush, shutdown, track } from 'mcptrail';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SDK_LINES } from '../../packages/sdk/test-support/sdk-lines.js';
import { startCollector, type CollectorProcess } from '../support/collector.js';

let collector: CollectorProcess;
beforeAll(async () => {
  collector = await startCollector();
});
afterAll(async () => {
  await shutdown();
  await collector?.stop();
});

describe.each(SDK_LINES)('failures of an MCP SDK $name McpServer', (line) => {
  it('are classed as the model or the tool caused them', async () => {
    const project = await collector.createProject(`real ${line.name}`);
    const server = track(line.highLevel(), {
      endpoint: collector.url,
      projectKey: project.writeKey,
      identify: () => ({ userId: 'ada' }),
    });
    const [clientTransport, serverTransport] = line.linkedPair();
    await server.connect(serverTransport);
    const client = line.client('claude-ai', '0.15.0');
    await client.connect(clientTransport);
    // v1 answers some of these with isError results, v2 throws some: either way they are failures.
    const calls: { name: string; arguments?: Record<string, unknown> }[] = [
      { name: 'invent_thing', arguments: {} },
      { name: 'invent_thing', arguments: { q: 1 } },
      { name: 'echo', arguments: { text: 42 } },
      { name: 'soft-fail', arguments: { text: 'fly' } },
      { name: 'fails', arguments: { text: 'x' } },
    ];
    for (const call of calls) await client.callTool(call).catch(() => undefined);
    await client.close();
    await flush();

    const answer = await collector.get<FailuresResponse>('/v1/insights/failures', project.readKey);
    const summary = answer.clusters.map((c) => `${c.class} ${c.tool} ${c.code ?? '-'} ${c.count}`).sort();
    expect(summary).toEqual([
      `invalid_arguments echo ${line.name === 'v1' ? '-32602' : '-'} 1`,
      'tool_error fails - 1',
      'tool_error soft-fail - 1',
      'unknown_tool invent_thing -32602 2',
    ]);
    expect(answer.clusters.find((c) => c.class === 'unknown_tool')).toMatchObject({
      pattern: 'Tool invent_thing not found',
      users: 1,
      clients: [{ name: 'claude-ai', count: 2 }],
    });
    expect(answer.byClass).toEqual({ unknown_tool: 2, invalid_arguments: 1, tool_error: 2, protocol_error: 0 });
  });
});
