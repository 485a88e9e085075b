import { builtin } from '../internal/builtins.js';

interface NodeCrypto {
  createHmac(algorithm: string, key: string): { update(data: string): { digest(): Uint8Array } };
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
}

/** 96 bits of an HMAC-SHA256 as 16 URL-safe characters. */
export type KeyedHash = (purpose: string, text: string) => string;

const HASH_BYTES = 12;

function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

/**
 * HMAC-SHA256 keyed by a secret every process of the server shares (the project
 * key by default), truncated to 96 bits; `purpose` keeps the uses apart. Keyed,
 * so that neither a client address nor a conversation token can be forged or
 * reversed by whoever reads the collector's data. Undefined without node:crypto.
 */
export function createKeyedHash(secret: string): KeyedHash | undefined {
  const crypto = builtin<NodeCrypto>('node:crypto');
  if (!crypto) return undefined;
  return (purpose, text) =>
    base64Url(crypto.createHmac('sha256', secret).update(`${purpose}\u0000${text}`).digest().subarray(0, HASH_BYTES));
}

/** Compares a hash an outsider sent with the expected one in constant time. */
export function sameHash(expected: string, given: string): boolean {
  const crypto = builtin<NodeCrypto>('node:crypto');
  const encoder = new TextEncoder();
  const a = encoder.encode(expected);
  const b = encoder.encode(given);
  return a.length === b.length && crypto !== undefined && crypto.timingSafeEqual(a, b);
}
