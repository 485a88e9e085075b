import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BoundedQueue } from './queue.js';

describe('BoundedQueue', () => {
  it('drops the oldest on overflow by count, and reports the count once', () => {
    const q = new BoundedQueue<string>({ maxEvents: 3, maxBytes: 1000 });
    for (const item of ['a', 'b', 'c', 'd', 'e']) q.push(item);
    expect(q.length).toBe(3);
    expect(q.take(10, 1000)).toEqual({ items: ['c', 'd', 'e'], bytes: 3, dropped: 2 });
    expect(q.take(10, 1000).dropped).toBe(0);
  });

  it('drops the oldest on overflow by size; an item larger than the bound is dropped itself', () => {
    const q = new BoundedQueue<string>({ maxEvents: 100, maxBytes: 10 });
    q.push('aaaa');
    q.push('bbbb');
    q.push('cccc');
    expect(q.size).toBe(8);
    q.push('x'.repeat(11));
    expect(q.take(10, 100)).toEqual({ items: ['bbbb', 'cccc'], bytes: 8, dropped: 2 });
  });

  it('counts a per-item overhead against the size bound', () => {
    const q = new BoundedQueue<string>({ maxEvents: 100, maxBytes: 30, itemOverhead: 10 });
    q.push('aaaa');
    q.push('bbbb');
    expect(q.size).toBe(28);
    q.push('cccc');
    expect(q.take(10, 100)).toEqual({ items: ['bbbb', 'cccc'], bytes: 8, dropped: 1 });
    expect(q.size).toBe(0);
  });

  it('takes at most the count and size asked, but at least one item', () => {
    const q = new BoundedQueue<string>({ maxEvents: 100, maxBytes: 1000 });
    for (let i = 0; i < 10; i++) q.push(`item${i}`);
    expect(q.take(3, 1000).items).toEqual(['item0', 'item1', 'item2']);
    expect(q.take(10, 11).items).toEqual(['item3', 'item4']);
    expect(q.take(10, 1).items).toEqual(['item5']);
    q.addDropped(4);
    expect(q.take(10, 1000)).toMatchObject({ items: ['item6', 'item7', 'item8', 'item9'], dropped: 4 });
  });

  it('puts an unsent batch back at the head, in order, with the drop count it carried', () => {
    const q = new BoundedQueue<string>({ maxEvents: 100, maxBytes: 1000, itemOverhead: 10 });
    q.addDropped(2);
    for (const item of ['a', 'b', 'c']) q.push(item);
    const batch = q.take(2, 1000);
    expect(batch).toEqual({ items: ['a', 'b'], bytes: 2, dropped: 2 });
    q.push('d');
    expect(q.putBack(batch)).toBe(0);
    expect(q.size).toBe(44);
    expect(q.take(10, 1000)).toEqual({ items: ['a', 'b', 'c', 'd'], bytes: 4, dropped: 2 });
    expect(q.size).toBe(0);
  });

  it('applies the bounds to a batch put back: the oldest are dropped and counted', () => {
    const q = new BoundedQueue<string>({ maxEvents: 4, maxBytes: 1000 });
    for (const item of ['a', 'b', 'c']) q.push(item);
    const batch = q.take(3, 1000);
    for (const item of ['d', 'e', 'f']) q.push(item);
    expect(q.putBack(batch)).toBe(2);
    expect(q.take(10, 1000)).toEqual({ items: ['c', 'd', 'e', 'f'], bytes: 4, dropped: 2 });
  });

  it('keeps the newest and counts every loss (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 20 }), { maxLength: 3000 }),
        fc.integer({ min: 1, max: 500 }),
        (items, max) => {
          const q = new BoundedQueue<string>({ maxEvents: max, maxBytes: 1e9 });
          for (const item of items) q.push(item);
          const taken: string[] = [];
          let dropped = 0;
          while (q.length > 0) {
            const batch = q.take(7, 1e9);
            taken.push(...batch.items);
            dropped += batch.dropped;
          }
          expect(taken).toEqual(items.slice(Math.max(0, items.length - max)));
          expect(dropped).toBe(Math.max(0, items.length - max));
        },
      ),
      { numRuns: 100 },
    );
  });
});
