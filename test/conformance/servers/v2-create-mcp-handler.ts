/**
 * The conformance fixtures on the v2 SDK (`@modelcontextprotocol/server`)
 * behind `createMcpHandler`: the factory runs per request (2025 clients get
 * its legacy stateless serving), each server track()ed.
 */
import { localhostHostValidation, toNodeHandler } from '@modelcontextprotocol/node';
import {
  completable,
  createMcpHandler,
  McpServer,
  ResourceTemplate,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { track, type TrackOptions } from 'mcptrail';
import { z } from 'zod';
import { registerFixtures, SERVER_OPTIONS, type SdkLine } from './fixtures.js';
import type { ConformanceServer } from './line.js';

const v2: SdkLine<ServerContext> = {
  toolCall: (ctx) => ({
    progressToken: ctx.mcpReq._meta?.progressToken,
    notify: (method, params) => ctx.mcpReq.notify({ method, params }),
    ask: (method, params) => ctx.mcpReq.send({ method, params }) as Promise<Record<string, unknown>>,
  }),
  template: (uriTemplate) => new ResourceTemplate(uriTemplate, { list: undefined }),
  promptArgs: (shape) => z.object(shape),
  completable,
};

function buildServer(): McpServer {
  const server = new McpServer(
    { name: 'mcptrail-conformance-v2-create-mcp-handler', version: '2.0.0' },
    SERVER_OPTIONS,
  );
  registerFixtures(server, v2);
  return server;
}

export function v2CreateMcpHandler(options: TrackOptions): ConformanceServer {
  const mcp = createMcpHandler(() => track(buildServer(), options));
  const serve = toNodeHandler(mcp);
  const validHost = localhostHostValidation();
  return {
    async handle(req, res) {
      if (validHost(req, res)) await serve(req, res);
    },
    close: () => mcp.close(),
  };
}
