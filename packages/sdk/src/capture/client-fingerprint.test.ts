import { describe, expect, it } from 'vitest';
import { clientAddressOf, networkOf } from './client-address.js';
import { Fingerprints, protocolVersionForFingerprint } from './client-fingerprint.js';
import { createKeyedHash } from './keyed-hash.js';

const facts = { userAgent: 'node', clientHeader: undefined, protocolVersion: '2025-11-25', address: '203.0.113.7' };

describe('client fingerprints', () => {
  it('are the same for every request of one client connection, on any process with the key', () => {
    const a = new Fingerprints(createKeyedHash('key')!);
    const b = new Fingerprints(createKeyedHash('key')!);
    expect(a.of(facts)).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(b.of(facts)).toBe(a.of(facts));
    // Another egress address of the same /24 network: the same client.
    expect(a.of({ ...facts, address: '203.0.113.200' })).toBe(a.of(facts));
  });

  it('tell apart what tells clients apart, and cannot be matched without the key', () => {
    const fingerprints = new Fingerprints(createKeyedHash('key')!);
    const base = fingerprints.of(facts);
    for (const other of [
      { ...facts, userAgent: 'Cursor/1.7.2' },
      { ...facts, clientHeader: 'claude-ai/0.14' },
      { ...facts, protocolVersion: '2025-06-18' },
      { ...facts, address: '198.51.100.7' },
    ]) {
      expect(fingerprints.of(other)).not.toBe(base);
    }
    expect(new Fingerprints(createKeyedHash('another project key')!).of(facts)).not.toBe(base);
  });

  it('take the negotiated revision from initialize and the header (or its 2025-03-26 default) afterwards', () => {
    expect(protocolVersionForFingerprint('initialize', '2025-11-25', undefined)).toBe('2025-11-25');
    expect(protocolVersionForFingerprint('tools/call', undefined, '2025-11-25')).toBe('2025-11-25');
    expect(protocolVersionForFingerprint('tools/call', undefined, undefined)).toBe('2025-03-26');
  });
});

describe('client addresses', () => {
  it('use the first X-Forwarded-For hop only when the proxy is trusted', () => {
    expect(clientAddressOf('198.51.100.7, 10.0.0.2', '10.0.0.2', true)).toBe('198.51.100.7');
    expect(clientAddressOf('198.51.100.7', '10.0.0.2', false)).toBe('10.0.0.2');
    expect(clientAddressOf(undefined, '::ffff:192.0.2.1', false)).toBe('192.0.2.1');
    expect(clientAddressOf(undefined, undefined, true)).toBeUndefined();
  });

  it('are cut to their network: /24 for IPv4, /48 for IPv6', () => {
    expect(networkOf('192.0.2.77')).toBe('192.0.2.0/24');
    expect(networkOf('2001:db8:abcd:12::1')).toBe('2001:db8:abcd::/48');
    expect(networkOf('2001:0db8:abcd:0012:0000:0000:0000:0001')).toBe('2001:db8:abcd::/48');
    expect(networkOf('::1')).toBe('0:0:0::/48');
    expect(networkOf('fe80::1%eth0')).toBe('fe80:0:0::/48');
  });
});
