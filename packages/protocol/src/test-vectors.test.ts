import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FORBIDDEN_KEYS, LIMITS, validateEvent } from './index.js';

/**
 * The shared wire vectors (test-vectors/events.json) are the contract every SDK
 * tests its events against (the Python SDK's pytest reads the same file): the
 * collector's validateEvent must agree with each of them, reason included.
 */
interface Vectors {
  limits: Record<string, number>;
  forbiddenKeys: string[];
  valid: { name: string; event: unknown }[];
  invalid: { name: string; event: unknown; reason: string }[];
}

const vectors = JSON.parse(readFileSync(new URL('../test-vectors/events.json', import.meta.url), 'utf8')) as Vectors;

/** `{"$repeat": [text, n]}` stands for text repeated n times (keeps the file small). */
function expand(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(expand);
  if (value === null || typeof value !== 'object') return value;
  const repeat = (value as { $repeat?: [string, number] }).$repeat;
  if (repeat) return repeat[0].repeat(repeat[1]);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value))
    Object.defineProperty(out, key, { value: expand(item), enumerable: true, writable: true, configurable: true });
  return out;
}

describe('shared wire vectors', () => {
  it('state the limits and forbidden keys the collector enforces', () => {
    expect(vectors.limits).toEqual({ ...LIMITS });
    expect(vectors.forbiddenKeys.sort()).toEqual([...FORBIDDEN_KEYS].sort());
  });

  it.each(vectors.valid.map((v) => [v.name, v.event] as const))('accepts %s', (_name, event) => {
    const result = validateEvent(expand(event));
    expect(result.ok ? 'accepted' : result.reason).toBe('accepted');
  });

  it.each(vectors.invalid.map((v) => [v.name, v.event, v.reason] as const))('refuses %s', (_name, event, reason) => {
    const result = validateEvent(expand(event));
    expect(result.ok ? 'accepted' : result.reason).toBe(reason);
  });
});
