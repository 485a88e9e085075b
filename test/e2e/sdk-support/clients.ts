/** Real MCP clients from both SDK lines, over Streamable HTTP, with the headers a host would send. */
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as HttpV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Client as ClientV2, StreamableHTTPClientTransport as HttpV2 } from '@modelcontextprotocol/client';
import { createServer } from 'node:net';

export interface HttpClient {
  callTool(name: string, args: Record<string, unknown>): Promise<unknown>;
  listTools(): Promise<unknown>;
  close(): Promise<void>;
}

export interface ClientSpec {
  url: string;
  name: string;
  version?: string;
  /** e.g. authorization. */
  headers?: Record<string, string>;
}

function face(client: {
  callTool(p: object): Promise<unknown>;
  listTools(): Promise<unknown>;
  close(): Promise<void>;
}): HttpClient {
  return {
    callTool: (name, args) => client.callTool({ name, arguments: args }),
    listTools: () => client.listTools(),
    close: () => client.close(),
  };
}

export async function v1Client(spec: ClientSpec): Promise<HttpClient> {
  const client = new ClientV1({ name: spec.name, version: spec.version ?? '1.0.0' });
  await client.connect(new HttpV1(new URL(spec.url), { requestInit: { headers: spec.headers ?? {} } }));
  return face(client);
}

/** `modern`: pinned to 2026-07-28 (per-request envelope); otherwise the 2025 handshake. */
export async function v2Client(spec: ClientSpec & { modern: boolean }): Promise<HttpClient> {
  const client = new ClientV2(
    { name: spec.name, version: spec.version ?? '1.0.0' },
    spec.modern ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
  );
  await client.connect(new HttpV2(new URL(spec.url), { requestInit: { headers: spec.headers ?? {} } }));
  return face(client as never);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
