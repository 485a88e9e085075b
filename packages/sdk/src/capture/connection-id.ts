import { randomId } from '../internal/ids.js';

const connectionIds = new WeakMap<object, string>();

/** One random id per connection (the transport object; the server when there is none). */
export function connectionIdOf(key: unknown): string {
  if (typeof key !== 'object' || key === null) return randomId();
  let id = connectionIds.get(key);
  if (!id) {
    id = randomId();
    connectionIds.set(key, id);
  }
  return id;
}
