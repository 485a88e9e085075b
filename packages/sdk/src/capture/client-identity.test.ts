import { describe, expect, it } from 'vitest';
import { V1RequestView } from '../adapters/sdk-v1.js';
import { V2RequestView } from '../adapters/sdk-v2.js';
import { productToken, resolveClient } from './client-identity.js';

const v1 = (headers?: Record<string, string>, meta?: Record<string, unknown>) =>
  new V1RequestView({ ...(headers ? { requestInfo: { headers } } : {}), ...(meta ? { _meta: meta } : {}) }, undefined);

describe('resolveClient', () => {
  const envelope = { 'io.modelcontextprotocol/clientInfo': { name: 'claude-ai', version: '1.0' } };
  const headers = {
    'x-mcp-client-name': 'HeaderClient',
    'x-mcp-client-version': '2',
    'user-agent': 'Cursor/1.7.2 (darwin)',
  };

  it('takes the first of: envelope, initialize clientInfo, x-mcp-client-* headers, User-Agent', () => {
    const token = { name: 'from-token', version: '4', source: 'clientInfo' } as const;
    expect(resolveClient(v1(headers, envelope), { name: 'init', version: '3' }, token)).toEqual({
      name: 'claude-ai',
      version: '1.0',
      source: 'clientInfo',
    });
    expect(resolveClient(v1(headers), { name: 'init', version: '3' }, token)).toEqual({
      name: 'init',
      version: '3',
      source: 'clientInfo',
    });
    expect(resolveClient(v1(headers), undefined, token)).toEqual(token);
    expect(resolveClient(v1(headers), undefined, undefined)).toEqual({
      name: 'HeaderClient',
      version: '2',
      source: 'header',
    });
    expect(resolveClient(v1({ 'user-agent': 'Cursor/1.7.2 (darwin)' }), undefined, undefined)).toEqual({
      name: 'Cursor',
      version: '1.7.2',
      source: 'userAgent',
    });
    expect(resolveClient(v1(), undefined, undefined)).toBeUndefined();
  });

  it('reads the v2 envelope and web headers', () => {
    const ctx = {
      mcpReq: { envelope },
      http: { req: new Request('http://x/', { headers: { 'user-agent': 'Zed/0.1' } }) },
    };
    expect(resolveClient(new V2RequestView(ctx), undefined, undefined)).toEqual({
      name: 'claude-ai',
      version: '1.0',
      source: 'clientInfo',
    });
    expect(resolveClient(new V2RequestView({ mcpReq: {}, http: ctx.http }), undefined, undefined)).toEqual({
      name: 'Zed',
      version: '0.1',
      source: 'userAgent',
    });
  });

  it('keeps product tokens raw and ignores HTTP libraries by family', () => {
    expect(productToken('claude-ai/0.1.0')).toEqual({ name: 'claude-ai', version: '0.1.0', source: 'userAgent' });
    expect(productToken('Windsurf')).toEqual({ name: 'Windsurf', version: null, source: 'userAgent' });
    expect(productToken('Cursor/1.7.2 (darwin arm64)')).toMatchObject({ name: 'Cursor' });
    // Seen from real clients: the official TypeScript SDK (Node's fetch), the Python SDK (httpx, httpx2), the
    // Inspector's browser UI.
    for (const library of [
      'node',
      'undici',
      'python-httpx/0.27',
      'python-httpx2/2.13.1',
      'Python-urllib/3.11',
      'python-requests/2.32',
      'aiohttp/3.9',
      'Go-http-client/1.1',
      'okhttp/4.12.0',
      'Java-http-client/21',
      'Apache-HttpClient/5.2',
      'curl/8.4.0',
      'axios/1.7.2',
      'reqwest/0.12',
      'Dart/3.4 (dart:io)',
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15',
      'Bun/1.1.0',
      'Deno/1.44',
    ]) {
      expect(productToken(library), library).toBeUndefined();
    }
  });
});
