/** A page cursor: the sort position (a time and an id) of the last row, opaque to clients. */
export type CursorPosition = [time: number, id: string];

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** The position in a cursor this API returned; null for anything else. */
export function decodeCursor(text: string): CursorPosition | null {
  try {
    const parts: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(parts) && parts.length === 2 && Number.isFinite(parts[0]) && typeof parts[1] === 'string') {
      return [parts[0] as number, parts[1] as string];
    }
  } catch {
    // not JSON: not ours
  }
  return null;
}
