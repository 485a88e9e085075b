/**
 * The conformance fixtures on the v1 SDK (`@modelcontextprotocol/sdk`),
 * stateless Streamable HTTP: a fresh server and transport per request, no
 * session id, each server track()ed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { completable } from '@modelcontextprotocol/sdk/server/completable.js';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  CreateMessageResultSchema,
  ElicitResultSchema,
  type ServerNotification,
  type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import { track, type TrackOptions } from 'mcptrail';
import { registerFixtures, SERVER_OPTIONS, type SdkLine } from './fixtures.js';
import type { ConformanceServer } from './line.js';

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

const RESULT_SCHEMAS = {
  'sampling/createMessage': CreateMessageResultSchema,
  'elicitation/create': ElicitResultSchema,
};

const v1: SdkLine<Extra> = {
  toolCall: (extra) => ({
    progressToken: extra._meta?.progressToken,
    notify: (method, params) => extra.sendNotification({ method, params } as ServerNotification),
    ask: (method, params) => extra.sendRequest({ method, params } as ServerRequest, RESULT_SCHEMAS[method]),
  }),
  template: (uriTemplate) => new ResourceTemplate(uriTemplate, { list: undefined }),
  promptArgs: (shape) => shape,
  completable,
};

function buildServer(): McpServer {
  const server = new McpServer({ name: 'mcptrail-conformance-v1-stateless', version: '1.0.0' }, SERVER_OPTIONS);
  registerFixtures(server, v1);
  return server;
}

/** DNS rebinding protection is the transport's here: it compares the Host header with the port included. */
function localHosts(req: IncomingMessage): string[] {
  const port = req.socket.localPort;
  return ['127.0.0.1', 'localhost', '[::1]'].map((host) => `${host}:${port}`);
}

export function v1Stateless(options: TrackOptions): ConformanceServer {
  return {
    async handle(req: IncomingMessage, res: ServerResponse) {
      const server = track(buildServer(), options);
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableDnsRebindingProtection: true,
        allowedHosts: localHosts(req),
      });
      res.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(req, res);
    },
    close: async () => undefined,
  };
}
