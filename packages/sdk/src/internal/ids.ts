/** Random v4 UUIDs from the platform (Node 20 has `crypto.randomUUID` globally). */
export function newId(): string {
  return globalThis.crypto.randomUUID();
}
