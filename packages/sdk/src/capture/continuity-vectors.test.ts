import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clientAddressOf, networkOf } from './client-address.js';
import { Fingerprints, protocolVersionForFingerprint } from './client-fingerprint.js';
import { productToken } from './client-identity.js';
import { issueConversationToken, readConversationToken } from './conversation-token.js';
import { createKeyedHash } from './keyed-hash.js';

/**
 * Client continuity byte for byte (docs/adr/0104): the Python SDK's pytest
 * checks the same file, so servers in both languages of one fleet make the same
 * fingerprints and read each other's conversation tokens. null means absent.
 */
const vectors = JSON.parse(
  readFileSync(new URL('../../../protocol/test-vectors/continuity.json', import.meta.url), 'utf8'),
);
const opt = <T>(value: T | null): T | undefined => value ?? undefined;
const hashOf = (key: string) => createKeyedHash(key)!;
type Client = { name: string; version: string | null; source?: string } | null;
const withSource = (client: Client) => (client ? { ...client, source: client.source ?? 'clientInfo' } : undefined);

describe('shared continuity vectors', () => {
  it('keyed hashes', () => {
    for (const v of vectors.keyedHashes) expect(hashOf(v.key)(v.purpose, v.text)).toBe(v.hash);
  });

  it('networks and client addresses', () => {
    for (const v of vectors.networks) expect(networkOf(v.address)).toBe(v.network);
    for (const v of vectors.clientAddresses)
      expect(clientAddressOf(opt(v.forwardedFor), opt(v.peer), v.trustProxy) ?? null).toBe(v.address);
    for (const v of vectors.protocolVersions)
      expect(protocolVersionForFingerprint(v.method, opt(v.negotiated), opt(v.header)) ?? null).toBe(v.protocolVersion);
  });

  it('fingerprints', () => {
    for (const v of vectors.fingerprints) {
      const facts = {
        userAgent: opt(v.facts.userAgent),
        clientHeader: opt(v.facts.clientHeader),
        protocolVersion: opt(v.facts.protocolVersion),
        address: opt(v.facts.address),
      };
      expect(new Fingerprints(hashOf(v.key)).of(facts as never)).toBe(v.fingerprint);
    }
  });

  it('conversation tokens, issued and read', () => {
    for (const v of vectors.issuedTokens) {
      const { token, conversation } = issueConversationToken(opt(v.client), hashOf(v.key), v.id);
      expect(token).toBe(v.token);
      expect(conversation).toEqual({ id: v.conversation.id, client: withSource(v.conversation.client) });
    }
    for (const v of vectors.readTokens) {
      const read = readConversationToken(v.token, hashOf(v.key));
      expect(read ?? null).toEqual(
        v.conversation ? { id: v.conversation.id, client: withSource(v.conversation.client) } : null,
      );
    }
  });

  it('User-Agent product tokens', () => {
    for (const v of vectors.userAgents) expect(productToken(v.userAgent) ?? null).toEqual(v.client);
  });
});
