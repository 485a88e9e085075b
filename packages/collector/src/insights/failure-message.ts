/**
 * A failure message with its variable parts masked, so that failures that differ
 * only in values (ids, numbers, paths, quoted input…) fall into one cluster
 * (docs/adr/0205-failure-clusters-and-client-matrix.md has the rules and why).
 * Pure; idempotent: a normalised message normalises to itself.
 */

/** Longer patterns are cut here: two messages that agree this far are one cluster. */
export const MAX_PATTERN_LENGTH = 512;

/** In order: each rule sees what the earlier ones left (a URL is masked whole before its path or numbers are). */
const RULES: readonly [RegExp, string][] = [
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'`<>]+/gi, '<url>'],
  [/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, '<email>'],
  // Quoted values: double quotes and backticks anywhere; single quotes only around a value, not the one in "can't".
  [/"[^"\n]{0,256}"/g, '"<value>"'],
  [/`[^`\n]{0,256}`/g, '`<value>`'],
  [/(?<![\w'])'[^'\n]{0,256}'(?![\w'])/g, "'<value>'"],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  // Absolute, home- or dot-relative paths and Windows paths, to the next space or delimiter.
  [/(?<![\w/.~<>])(?:[A-Za-z]:\\|~\/|\.{1,2}\/|\/)[^\s"'`<>()[\]{},;]*[^\s"'`<>()[\]{},;.:!?]/g, '<path>'],
  [/\b0x[0-9a-f]+\b/gi, '<hex>'],
  // Ids: a token of 8+ letters, digits, `_` or `-` holding a letter and two digits or more (hex, base64,
  // `req_8f3k2j9x`; not `search_v2`).
  [/(?<![\w<-])(?=(?:[\w-]*?\d){2})(?=[\w-]*[A-Za-z])[\w-]{8,}(?![\w>])/g, '<id>'],
  // Numbers not glued to a letter before them (`v2` stays, `30000ms` becomes `<n>ms`).
  [/(?<![A-Za-z<_])\d+(?:\.\d+)?/g, '<n>'],
];

export function normaliseMessage(message: string): string {
  let out = message;
  for (const [pattern, mask] of RULES) out = out.replace(pattern, mask);
  out = out.replace(/\s+/g, ' ').trim();
  return out.length > MAX_PATTERN_LENGTH ? `${out.slice(0, MAX_PATTERN_LENGTH - 1)}…` : out;
}
