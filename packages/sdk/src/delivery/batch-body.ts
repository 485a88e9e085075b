const encoder = new TextEncoder();

/**
 * A batch body as UTF-8 bytes, written once into one array: `head`, the
 * serialized events joined by commas, `tail`. Joining into a string first made
 * a ~200 KB string per batch that the HTTP client then converted to bytes again.
 * `chars` is the events' total length (UTF-16 units).
 */
export function encodeBatch(head: string, items: readonly string[], tail: string, chars: number): Uint8Array {
  // Sized for ASCII, the usual case; grown to the UTF-8 worst case (3 bytes per unit) at the first wider character.
  const ascii = head.length + chars + items.length + tail.length;
  let out = new Uint8Array(ascii);
  let at = 0;
  const put = (text: string) => {
    const { read, written } = encoder.encodeInto(text, out.subarray(at));
    at += written;
    if (read === text.length) return;
    const wider = new Uint8Array(3 * ascii);
    wider.set(out.subarray(0, at));
    out = wider;
    at += encoder.encodeInto(text.slice(read), out.subarray(at)).written;
  };
  put(head);
  for (let i = 0; i < items.length; i++) {
    if (i > 0) put(',');
    put(items[i]!);
  }
  put(tail);
  return out.subarray(0, at);
}
