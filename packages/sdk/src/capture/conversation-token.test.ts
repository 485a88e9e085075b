import { describe, expect, it } from 'vitest';
import { issueConversationToken, readConversationToken } from './conversation-token.js';
import { createKeyedHash } from './keyed-hash.js';

const hash = createKeyedHash('mtw_project-key')!;

describe('conversation tokens', () => {
  it('round-trips the conversation and its client through any process holding the key', () => {
    const { token, conversation } = issueConversationToken({ name: 'claude-ai', version: '0.14.1' }, hash);
    expect(token).toMatch(/^mct1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{16}$/);
    // Another process: its own hash from the same key.
    expect(readConversationToken(token, createKeyedHash('mtw_project-key')!)).toEqual(conversation);
    expect(conversation.client).toEqual({ name: 'claude-ai', version: '0.14.1', source: 'clientInfo' });
  });

  it('is tamper-evident: another key, a changed payload or MAC, or junk read as no token', () => {
    const { token } = issueConversationToken({ name: 'claude-ai' }, hash);
    const [prefix, payload, mac] = token.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify(['x', 'evil-client'])).toString('base64url');
    for (const bad of [
      `${prefix}.${forged}.${mac}`,
      `${prefix}.${payload}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`,
      `${token}.extra`,
      'mct1..',
      'a-uuid-from-a-stateful-server',
      undefined,
    ]) {
      expect(readConversationToken(bad, hash), bad).toBeUndefined();
    }
    expect(readConversationToken(token, createKeyedHash('mtw_other-key')!)).toBeUndefined();
  });

  it('keeps names short and Unicode whole, and works without a client', () => {
    const long = 'ü'.repeat(300);
    const { token, conversation } = issueConversationToken({ name: long, version: null }, hash);
    expect(conversation.client?.name).toBe('ü'.repeat(128));
    expect(readConversationToken(token, hash)?.client?.name).toBe('ü'.repeat(128));
    // Visible ASCII only, as the spec asks of session ids.
    expect(token).toMatch(/^[\x21-\x7e]+$/);
    const anonymous = issueConversationToken(undefined, hash);
    expect(readConversationToken(anonymous.token, hash)).toEqual({ id: anonymous.conversation.id, client: undefined });
  });
});
