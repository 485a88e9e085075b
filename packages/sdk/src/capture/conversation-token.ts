import type { ClientInfo } from '../types.js';
import { randomId } from '../internal/ids.js';
import { sameHash, type KeyedHash } from './keyed-hash.js';

/**
 * The opt-in conversation token (docs/adr/0104): the `Mcp-Session-Id` a
 * stateless server answers `initialize` with, which spec-following Streamable
 * HTTP clients echo on every later request. It carries a random conversation id
 * and the client's name and version, signed, so any process decodes it without
 * shared state and a client cannot pass off another client's name:
 * `mct1.<base64url JSON [id, name, version]>.<base64url 96-bit HMAC>`, visible
 * ASCII only, as the spec asks of session ids.
 */
export interface Conversation {
  id: string;
  client: ClientInfo | undefined;
}

const PREFIX = 'mct1';
const PURPOSE = 'mcptrail-conversation-token-v1';
/** Client names and versions kept in a token: enough for any real one, and the header stays short. */
const MAX_NAME = 128;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function toBase64Url(text: string): string {
  return btoa(String.fromCharCode(...encoder.encode(text)))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

function fromBase64Url(text: string): string | undefined {
  try {
    const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
    return decoder.decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

/** `id` is drawn at random; the shared test vectors pass one to pin the encoding. */
export function issueConversationToken(
  client: ClientInfo | undefined,
  hash: KeyedHash,
  id: string = randomId(),
): { token: string; conversation: Conversation } {
  const name = client?.name.slice(0, MAX_NAME);
  const version = client?.version?.slice(0, MAX_NAME);
  const payload = toBase64Url(JSON.stringify(name ? [id, name, version ?? null] : [id]));
  return {
    token: `${PREFIX}.${payload}.${hash(PURPOSE, payload)}`,
    conversation: { id, client: name ? { name, version: version ?? null, source: 'clientInfo' } : undefined },
  };
}

/** The conversation a request's `Mcp-Session-Id` names, if it is a token this server's key signed. */
export function readConversationToken(value: string | undefined, hash: KeyedHash): Conversation | undefined {
  if (!value?.startsWith(`${PREFIX}.`)) return undefined;
  const [, payload, mac, extra] = value.split('.');
  if (!payload || !mac || extra !== undefined || !sameHash(hash(PURPOSE, payload), mac)) return undefined;
  const json = fromBase64Url(payload);
  let fields: unknown;
  try {
    fields = json === undefined ? undefined : JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!Array.isArray(fields) || typeof fields[0] !== 'string') return undefined;
  const [id, name, version] = fields as [string, unknown, unknown];
  return {
    id,
    client:
      typeof name === 'string' && name
        ? { name, version: typeof version === 'string' ? version : null, source: 'clientInfo' }
        : undefined,
  };
}
