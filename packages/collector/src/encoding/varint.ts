/**
 * Unsigned LEB128 varints, the compact length and count prefix of the stored
 * binary values (latency sketches, event bodies): small numbers take one byte.
 * Arithmetic rather than bit shifts, so values past 2^31 stay exact.
 */
export function writeVarint(out: number[], value: number): void {
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
}

/**
 * Reads the varint at `reader.at` and moves `reader.at` past it; `what` names the value in the error when the bytes end
 * inside it.
 */
export function readVarint(reader: { bytes: Uint8Array; at: number }, what: string): number {
  let value = 0;
  let scale = 1;
  for (;;) {
    const byte = reader.bytes[reader.at++];
    if (byte === undefined) throw new Error(`truncated ${what}`);
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return value;
    scale *= 0x80;
  }
}
