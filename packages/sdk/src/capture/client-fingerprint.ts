import { networkOf } from './client-address.js';
import type { KeyedHash } from './keyed-hash.js';

/**
 * What every request of one client connection carries, read off a stateless
 * request: its HTTP stack and product, a gateway's naming of the client, the
 * protocol revision, the network it comes from.
 */
export interface FingerprintFacts {
  userAgent: string | undefined;
  /** `x-mcp-client-name` and `x-mcp-client-version`, as a gateway sets them on every request. */
  clientHeader: string | undefined;
  /** The negotiated protocol revision (see `protocolVersionForFingerprint`). */
  protocolVersion: string | undefined;
  address: string | undefined;
}

/** The revision a 2025 client negotiated, the same on `initialize` and on every later request of its conversation. */
export function protocolVersionForFingerprint(
  method: string,
  negotiated: string | undefined,
  header: string | undefined,
): string | undefined {
  // Before 2025-06-18 clients did not send the header; the spec says to assume 2025-03-26 then.
  return method === 'initialize' ? negotiated : (header ?? '2025-03-26');
}

const MAX_CACHED = 1024;

/**
 * The client fingerprint (docs/adr/0104): a keyed hash of User-Agent, client
 * headers, protocol revision and the client's network. Few distinct inputs recur, so the hashes are
 * kept (bounded) instead of computed per request.
 */
export class Fingerprints {
  private readonly cache = new Map<string, string>();

  constructor(private readonly hash: KeyedHash) {}

  of(facts: FingerprintFacts): string {
    const input = [
      facts.userAgent,
      facts.clientHeader,
      facts.protocolVersion,
      facts.address && networkOf(facts.address),
    ]
      .map((part) => part ?? '')
      .join('\u0000');
    let fingerprint = this.cache.get(input);
    if (fingerprint === undefined) {
      fingerprint = this.hash('mcptrail-client-fingerprint-v1', input);
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      this.cache.set(input, fingerprint);
    }
    return fingerprint;
  }
}
