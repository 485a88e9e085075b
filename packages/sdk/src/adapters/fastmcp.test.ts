import { afterEach, describe, expect, it } from 'vitest';
import { fastMcpStartsStateless } from './fastmcp.js';

const argv = process.argv;
const env = { ...process.env };
afterEach(() => {
  process.argv = argv;
  process.env = { ...env };
});

describe('fastmcp stateless detection (its own start rules)', () => {
  it('reads httpStream.stateless from the start options', () => {
    expect(fastMcpStartsStateless({ transportType: 'httpStream', httpStream: { port: 1, stateless: true } })).toBe(
      true,
    );
    expect(fastMcpStartsStateless({ transportType: 'httpStream', httpStream: { port: 1 } })).toBe(false);
  });

  it('reads FASTMCP_STATELESS=true and --stateless true', () => {
    process.env.FASTMCP_STATELESS = 'true';
    expect(fastMcpStartsStateless({ transportType: 'httpStream' })).toBe(true);
    delete process.env.FASTMCP_STATELESS;
    process.argv = [...argv.slice(0, 2), '--transport', 'http-stream', '--stateless', 'true'];
    expect(fastMcpStartsStateless(undefined)).toBe(true);
  });

  it('is never stateless over stdio', () => {
    process.env.FASTMCP_STATELESS = 'true';
    expect(fastMcpStartsStateless({ transportType: 'stdio' })).toBe(false);
    expect(fastMcpStartsStateless(undefined)).toBe(false);
  });
});
