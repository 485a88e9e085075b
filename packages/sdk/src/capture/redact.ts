/**
 * Values under sensitive keys are replaced by `[redacted]`. Keys are compared
 * lower-cased with `-`, `_` and spaces removed; a key is sensitive when it
 * equals or ends with one of the patterns (`accessToken`, `DB_PASSWORD`,
 * `x-api-key`), so `maxTokens` or `tokenCount` stay readable.
 */
export const REDACTED = '[redacted]';

export const DEFAULT_SENSITIVE_KEYS: readonly string[] = [
  'password',
  'passwd',
  'pwd',
  'secret',
  'token',
  'authorization',
  'auth',
  'apikey',
  'cookie',
  'setcookie',
  'privatekey',
  'credential',
  'credentials',
  'sessionid',
  'ssn',
];

const normalize = (key: string): string => key.toLowerCase().replace(/[-_\s]/g, '');

export type SensitiveKeyTest = (key: string) => boolean;

export function sensitiveKeyTest(extra: readonly string[] = []): SensitiveKeyTest {
  const patterns = [...DEFAULT_SENSITIVE_KEYS, ...extra.map(normalize)].filter((p) => p.length > 0);
  const cache = new Map<string, boolean>();
  return (key) => {
    let hit = cache.get(key);
    if (hit === undefined) {
      const k = normalize(key);
      hit = patterns.some((p) => k === p || k.endsWith(p));
      if (cache.size < 10_000) cache.set(key, hit);
    }
    return hit;
  };
}
