import { validateEvent, type ValidEvent } from '@mcptrail/protocol';
import { describe, expect, it } from 'vitest';
import { StorageUnavailableError } from '../availability.js';
import type { StoreGroup } from '../engine.js';
import { IngestCoalescer } from './ingest-coalescer.js';

const event = (id: string): ValidEvent => {
  const result = validateEvent({ id, timestamp: Date.UTC(2026, 0, 1), method: 'm' });
  if (!result.ok) throw new Error(result.reason);
  return result.event;
};

/** Stores like a database would (first id wins per project), failing any group that holds project "poison". */
function recordingStore() {
  const seen = new Map<string, Set<string>>();
  const groups: string[][] = [];
  const storeGroup: StoreGroup = async (projects) => {
    groups.push([...projects.keys()]);
    if (projects.has('poison')) throw new Error('cannot store');
    const stored = new Map<string, Set<string>>();
    for (const [project, { requests }] of projects) {
      const known = seen.get(project) ?? new Set();
      const fresh = new Set(requests.flatMap((r) => r.events.map((e) => e.id)).filter((id) => !known.has(id)));
      for (const id of fresh) known.add(id);
      seen.set(project, known);
      stored.set(project, fresh);
    }
    return stored;
  };
  return { storeGroup, groups };
}

describe('IngestCoalescer', () => {
  it('stores requests that arrive together in one group and credits each id once', async () => {
    const store = recordingStore();
    const coalescer = new IngestCoalescer(store.storeGroup);
    const submit = (projectId: string, ids: string[]) =>
      coalescer.submit({ projectId, events: ids.map(event), dropped: 0, receivedAt: 0 });
    const outcomes = await Promise.all([submit('p', ['a', 'b']), submit('p', ['b', 'c']), submit('q', ['a'])]);
    expect(outcomes).toEqual([
      { accepted: 2, duplicates: 0 },
      { accepted: 1, duplicates: 1 },
      { accepted: 1, duplicates: 0 },
    ]);
    expect(store.groups).toEqual([['p', 'q']]);
  });

  it('fails only the request that cannot be stored', async () => {
    const store = recordingStore();
    const coalescer = new IngestCoalescer(store.storeGroup);
    const submit = (projectId: string, ids: string[]) =>
      coalescer.submit({ projectId, events: ids.map(event), dropped: 0, receivedAt: 0 });
    const results = await Promise.allSettled([submit('p', ['a']), submit('poison', ['x']), submit('q', ['b'])]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(results[0]).toEqual({ status: 'fulfilled', value: { accepted: 1, duplicates: 0 } });
    expect(store.groups).toEqual([['p', 'poison', 'q'], ['p'], ['poison'], ['q']]);
  });

  it('fails a whole group at once while the database is unavailable, not retrying each request alone', async () => {
    const groups: number[] = [];
    const coalescer = new IngestCoalescer(async (projects) => {
      groups.push(projects.size);
      throw new StorageUnavailableError({ kind: 'unreachable', reason: 'ECONNREFUSED: connect ECONNREFUSED' });
    });
    const submit = (projectId: string) =>
      coalescer.submit({ projectId, events: [event('a')], dropped: 0, receivedAt: 0 });
    const results = await Promise.allSettled([submit('p'), submit('q'), submit('r')]);
    expect(results.map((r) => r.status === 'rejected' && r.reason instanceof StorageUnavailableError)).toEqual([
      true,
      true,
      true,
    ]);
    expect(groups).toEqual([3]);
  });

  it('caps a group by event count', async () => {
    const store = recordingStore();
    const coalescer = new IngestCoalescer(store.storeGroup, 3);
    const submit = (ids: string[]) =>
      coalescer.submit({ projectId: 'p', events: ids.map(event), dropped: 0, receivedAt: 0 });
    await Promise.all([submit(['a', 'b']), submit(['c', 'd']), submit(['e'])]);
    expect(store.groups).toEqual([['p'], ['p']]);
  });
});
