import { isProtocolLike, type ProtocolLike } from './handler-map.js';
import { hasMethods } from './request-view.js';

/**
 * What was passed to track(), told by shape, never by version (docs/adr/0101):
 * - `protocol`: a low-level `Server` (v1 or v2): has the `_requestHandlers` map;
 * - `high-level`: an `McpServer` (v1 or v2): its `.server` is a low-level one;
 * - `fastmcp`: a FastMCP instance: `addTool`, `start` and a `sessions` list.
 */
export type Shape =
  | { kind: 'protocol'; server: ProtocolLike }
  | { kind: 'high-level'; server: ProtocolLike }
  | { kind: 'fastmcp'; instance: FastMcpLike }
  | { kind: 'unknown' };

export interface FastMcpLike {
  addTool: (...args: unknown[]) => unknown;
  start: (options?: unknown) => Promise<unknown>;
  connect?: (...args: unknown[]) => Promise<unknown>;
  sessions: Array<{ server?: unknown }>;
  options?: { name?: unknown; version?: unknown };
}

function isFastMcp(value: unknown): value is FastMcpLike {
  return hasMethods(value, 'addTool', 'start') && Array.isArray((value as Partial<FastMcpLike>).sessions);
}

export function detectShape(target: unknown): Shape {
  if (isProtocolLike(target)) return { kind: 'protocol', server: target };
  const inner = (target as { server?: unknown } | null)?.server;
  if (isProtocolLike(inner)) return { kind: 'high-level', server: inner };
  if (isFastMcp(target)) return { kind: 'fastmcp', instance: target };
  return { kind: 'unknown' };
}
