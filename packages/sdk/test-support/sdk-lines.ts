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

const v1Shape = (shape: Record<string, z.ZodType>) => shape;
const v2Shape = (shape: Record<string, z.ZodType>) => z.object(shape);

const lowLevelTools = { tools: [{ name: 'low', inputSchema: { type: 'object' as const, properties: {} } }] };

export const SDK_LINES: SdkLine[] = [
  {
    name: 'v1',
    highLevel() {
      const server = new McpServerV1({ name: 'contract-server', version: '1.2.3' });
      populate(server as unknown as Registrar, v1Shape);
      return server as never;
    },
    addTool(server, name, run) {
      (server as Registrar).registerTool(name, { inputSchema: { text: z.string() } }, async (args: { text: string }) =>
        run(args),
      );
    },
    lowLevel() {
      return new ServerV1({ name: 'low-server', version: '0.0.1' }, { capabilities: { tools: {} } }) as never;
    },
    setLowLevelHandlers(server) {
      const s = server as InstanceType<typeof ServerV1>;
      s.setRequestHandler(ListToolsRequestSchema, async () => lowLevelTools);
      s.setRequestHandler(CallToolRequestSchema, async (request) => ({
        content: [{ type: 'text', text: `low ${request.params.name}` }],
      }));
    },
    client(name = 'contract-client', version = '0.1.0') {
      return new ClientV1({ name, version }) as unknown as AnyClient;
    },
    linkedPair() {
      return InMemoryV1.createLinkedPair();
    },
  },
  {
    name: 'v2',
    highLevel() {
      const server = new McpServerV2({ name: 'contract-server', version: '1.2.3' });
      populate(server as unknown as Registrar, v2Shape);
      return server as never;
    },
    addTool(server, name, run) {
      (server as Registrar).registerTool(
        name,
        { inputSchema: z.object({ text: z.string() }) },
        async (args: { text: string }) => run(args),
      );
    },
    lowLevel() {
      return new ServerV2({ name: 'low-server', version: '0.0.1' }, { capabilities: { tools: {} } }) as never;
    },
    setLowLevelHandlers(server) {
      const s = server as InstanceType<typeof ServerV2>;
      s.setRequestHandler('tools/list', async () => lowLevelTools);
      s.setRequestHandler('tools/call', async (request) => ({
        content: [{ type: 'text', text: `low ${request.params.name}` }],
      }));
    },
    client(name = 'contract-client', version = '0.1.0') {
      return new ClientV2({ name, version }) as unknown as AnyClient;
    },
    linkedPair() {
      return InMemoryV2.createLinkedPair();
    },
  },
];
