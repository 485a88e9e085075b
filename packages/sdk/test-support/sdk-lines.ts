/**
 * The two MCP SDK lines as the tests drive them: the same scenarios run over
 * both (Kysely's DIALECTS idea). Only test code imports the SDKs.
 */
import { McpServer as McpServerV1 } from '@modelcontextprotocol/sdk/server/mcp.js';
import { Server as ServerV1 } from '@modelcontextprotocol/sdk/server/index.js';
import { InMemoryTransport as InMemoryV1 } from '@modelcontextprotocol/sdk/inMemory.js';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import {
  McpServer as McpServerV2,
  Server as ServerV2,
  InMemoryTransport as InMemoryV2,
} from '@modelcontextprotocol/server';
import { Client as ClientV2 } from '@modelcontextprotocol/client';
import { z } from 'zod';

export type AnyServer = {
  connect(transport: unknown): Promise<void>;
  close(): Promise<void>;
};

export interface AnyClient {
  connect(transport: unknown): Promise<void>;
  close(): Promise<void>;
  callTool(params: { name: string; arguments?: Record<string, unknown> }): Promise<unknown>;
  listTools(): Promise<unknown>;
  getPrompt(params: { name: string; arguments?: Record<string, string> }): Promise<unknown>;
  readResource(params: { uri: string }): Promise<unknown>;
}

export interface SdkLine {
  name: 'v1' | 'v2';
  /** An McpServer with a few tools, a prompt and a resource. */
  highLevel(): AnyServer & { registerTool: (...args: never[]) => unknown };
  /** Adds a tool (to show registration after track()). */
  addTool(server: unknown, name: string, run: (args: { text: string }) => unknown): void;
  /** A low-level Server answering tools/list and tools/call by hand. */
  lowLevel(): AnyServer & { setRequestHandler: (...args: never[]) => unknown };
  setLowLevelHandlers(server: unknown): void;
  client(name?: string, version?: string): AnyClient;
  linkedPair(): [unknown, unknown];
}

const TINY_PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex').toString('base64');

type Registrar = {
  registerTool(name: string, config: object, cb: (...args: never[]) => unknown): unknown;
  registerPrompt(name: string, config: object, cb: (...args: never[]) => unknown): unknown;
  registerResource(name: string, uri: string, config: object, cb: (...args: never[]) => unknown): unknown;
};

function populate(server: Registrar, schema: (shape: Record<string, z.ZodType>) => unknown): void {
  server.registerTool(
    'echo',
    { description: 'echo', inputSchema: schema({ text: z.string(), password: z.string().optional() }) },
    async ({ text }: { text: string }) => ({
      content: [{ type: 'text', text }],
    }),
  );
  server.registerTool('fails', { description: 'throws', inputSchema: schema({ text: z.string() }) }, async () => {
    throw new Error('tool exploded');
  });
  server.registerTool(
    'soft-fail',
    { description: 'isError', inputSchema: schema({ text: z.string() }) },
    async ({ text }: { text: string }) => ({
      content: [{ type: 'text', text: `cannot ${text}` }],
      isError: true,
    }),
  );
  server.registerTool(
    'wait',
    { description: 'takes 25 ms', inputSchema: schema({ text: z.string() }) },
    async ({ text }: { text: string }) => {
      await new Promise((resolve) => setTimeout(resolve, 25));
      return { content: [{ type: 'text', text }] };
    },
  );
  server.registerTool('picture', { description: 'image', inputSchema: schema({ text: z.string() }) }, async () => ({
    content: [{ type: 'image', data: TINY_PNG, mimeType: 'image/png' }],
  }));
  server.registerPrompt(
    'greet',
    { description: 'greet', argsSchema: schema({ who: z.string() }) },
    ({ who }: { who: string }) => ({
      messages: [{ role: 'user', content: { type: 'text', text: `hello ${who}` } }],
    }),
  );
  server.registerResource('readme', 'file:///readme.md', { mimeType: 'text/markdown' }, async (uri: URL) => ({
    contents: [{ uri: uri.href, text: '# readme' }],
  }));
}

const lowLevelTools = { tools: [{ name: 'low', inputSchema: { type: 'object' as const, properties: {} } }] };

type Info = { name: string; version: string };

/**
 * One line's driver from its classes and what the lines spell differently: a tool's input schema (v1 a shape, v2 a
 * zod object) and a low-level handler's request (v1 a schema, v2 the method name).
 */
function sdkLine(line: {
  name: SdkLine['name'];
  McpServer: new (info: Info) => unknown;
  Server: new (info: Info, options: { capabilities: { tools: object } }) => unknown;
  Client: new (info: Info) => unknown;
  InMemoryTransport: { createLinkedPair(): [unknown, unknown] };
  schema(shape: Record<string, z.ZodType>): unknown;
  requests: { list: unknown; call: unknown };
}): SdkLine {
  return {
    name: line.name,
    highLevel() {
      const server = new line.McpServer({ name: 'contract-server', version: '1.2.3' });
      populate(server as Registrar, line.schema);
      return server as never;
    },
    addTool(server, name, run) {
      (server as Registrar).registerTool(
        name,
        { inputSchema: line.schema({ text: z.string() }) },
        async (args: { text: string }) => run(args),
      );
    },
    lowLevel() {
      return new line.Server({ name: 'low-server', version: '0.0.1' }, { capabilities: { tools: {} } }) as never;
    },
    setLowLevelHandlers(server) {
      const s = server as { setRequestHandler(request: unknown, handler: (request: never) => unknown): void };
      s.setRequestHandler(line.requests.list, async () => lowLevelTools);
      s.setRequestHandler(line.requests.call, async (request: { params: { name: string } }) => ({
        content: [{ type: 'text', text: `low ${request.params.name}` }],
      }));
    },
    client(name = 'contract-client', version = '0.1.0') {
      return new line.Client({ name, version }) as AnyClient;
    },
    linkedPair() {
      return line.InMemoryTransport.createLinkedPair();
    },
  };
}

export const SDK_LINES: SdkLine[] = [
  sdkLine({
    name: 'v1',
    McpServer: McpServerV1,
    Server: ServerV1,
    Client: ClientV1,
    InMemoryTransport: InMemoryV1,
    schema: (shape) => shape,
    requests: { list: ListToolsRequestSchema, call: CallToolRequestSchema },
  }),
  sdkLine({
    name: 'v2',
    McpServer: McpServerV2,
    Server: ServerV2,
    Client: ClientV2,
    InMemoryTransport: InMemoryV2,
    schema: (shape) => z.object(shape),
    requests: { list: 'tools/list', call: 'tools/call' },
  }),
];
