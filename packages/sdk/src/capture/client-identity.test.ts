import { describe, expect, it } from 'vitest';
import { V1RequestView } from '../adapters/sdk-v1.js';
import { V2RequestView } from '../adapters/sdk-v2.js';
import { productToken, resolveClient } from './client-identity.js';

const v1 = (headers?: Record<string, string>, meta?: Record<string, unknown>) => new V1RequestView({ ...(headers ? { requestInfo: { headers } } : {}), ...(meta ? { _meta: meta } : {}) }, undefined);

describe('resolveClient', () => {
  const envelope = { 'io.modelcontextprotocol/clientInfo': { name: 'claude-ai', version: '1.0' } };
  const headers = { 'x-mcp-client-name': 'HeaderClient', 'x-mcp-client-version': '2', 'user-agent': 'Cursor/1.7.2 (darwin)' };

  it('takes the first of: envelope, initialize clientInfo, x-mcp-client-* headers, User-Agent', () => {
    expect(resolveClient(v1(headers, envelope), { name: 'init', version: '3' })).toEqual({ name: 'claude-ai', version: '1.0' });
    expect(resolveClient(v1(headers), { name: 'init', version: '3' })).toEqual({ name: 'init', version: '3' });
    expect(resolveClient(v1(headers), undefined)).toEqual({ name: 'HeaderClient', version: '2' });
    expect(resolveClient(v1({ 'user-agent': 'Cursor/1.7.2 (darwin)' }), undefined)).toEqual({ name: 'Cursor', version: '1.7.2' });
    expect(resolveClient(v1(), undefined)).toBeUndefined();
  });

  it('reads the v2 envelope and web headers', () => {
    const ctx = { mcpReq: { envelope }, http: { req: new Request('http://x/', { headers: { 'user-agent': 'Zed/0.1' } }) } };
    expect(resolveClient(new V2RequestView(ctx), undefined)).toEqual({ name: 'claude-ai', version: '1.0' });
    expect(resolveClient(new V2RequestView({ mcpReq: {}, http: ctx.http }), undefined)).toEqual({ name: 'Zed', version: '0.1' });
  });

  it('keeps product tokens raw and ignores HTTP libraries', () => {
    expect(productToken('claude-ai/0.1.0')).toEqual({ name: 'claude-ai', version: '0.1.0' });
    expect(productToken('Windsurf')).toEqual({ name: 'Windsurf', version: null });
    expect(productToken('node')).toBeUndefined();
    expect(productToken('python-httpx/0.27')).toBeUndefined();
  });
});
