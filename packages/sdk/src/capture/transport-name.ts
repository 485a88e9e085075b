import { isRecord, type RequestView } from '../adapters/request-view.js';

/** Transport names by class name, then by shape. */
const TRANSPORT_NAMES: Array<[RegExp, string]> = [
  [/stdio/i, 'stdio'],
  [/inmemory/i, 'in-memory'],
  [/^sse/i, 'sse'],
  [/streamable|perrequest|http/i, 'streamable-http'],
];

const transportNames = new WeakMap<object, string | undefined>();

/** Per transport object, worked out once. */
export function transportNameOf(view: RequestView, transport: unknown): string | undefined {
  if (typeof transport !== 'object' || transport === null) return transportName(view, transport);
  if (!transportNames.has(transport)) transportNames.set(transport, transportName(view, transport));
  return transportNames.get(transport);
}

function transportName(view: RequestView, transport: unknown): string | undefined {
  const name = (transport as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  if (typeof name === 'string') for (const [pattern, label] of TRANSPORT_NAMES) if (pattern.test(name)) return label;
  if (view.http) return 'streamable-http';
  if (isRecord(transport) && ('_stdin' in transport || '_stdout' in transport)) return 'stdio';
  if (isRecord(transport) && '_otherTransport' in transport) return 'in-memory';
  return typeof name === 'string' && name !== 'Object' ? name : undefined;
}
