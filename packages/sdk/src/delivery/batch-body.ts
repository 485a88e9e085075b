const encoder = new TextEncoder();

/** Events are encoded into shared slabs of this size; larger ones get bytes of their own. */
const SLAB_BYTES = 64 * 1024;

/**
 * Serializes queued events to UTF-8 as they are queued, into shared slabs: a
 * waiting event is a small view onto bytes outside the JS heap, not a string
 * the garbage collector copies and promotes while it waits, and a batch body
 * is a copy of those bytes, not a string joined and then encoded again.
 */
export class EventEncoder {
  private slab = new Uint8Array(SLAB_BYTES);
  private used = 0;

  encode(json: string): Uint8Array {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    const worst = 3 * json.length;
    if (worst > SLAB_BYTES / 4) return encoder.encode(json);
    if (this.used + worst > SLAB_BYTES) {
      this.slab = new Uint8Array(SLAB_BYTES);
      this.used = 0;
    }
    const start = this.used;
    this.used += encoder.encodeInto(json, this.slab.subarray(start)).written;
    return this.slab.subarray(start, this.used);
  }
}

/** A batch body: `head`, the events' bytes joined by commas, `tail`. `bytes` is the events' total size. */
export function encodeBatch(head: string, items: readonly Uint8Array[], tail: string, bytes: number): Uint8Array {
  const headBytes = encoder.encode(head);
  const tailBytes = encoder.encode(tail);
  const out = new Uint8Array(headBytes.length + bytes + Math.max(0, items.length - 1) + tailBytes.length);
  out.set(headBytes, 0);
  let at = headBytes.length;
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out[at++] = 0x2c;
    out.set(items[i]!, at);
    at += items[i]!.length;
  }
  out.set(tailBytes, at);
  return out;
}
