import { describe, expect, it } from 'vitest';
import { fitLabel } from './fit-label';

// A monospace stand-in: 7 px a character.
const measure = (s: string) => Array.from(s).length * 7;

describe('fitLabel', () => {
  it('keeps a label that fits', () => {
    expect(fitLabel('search_docs', 100, measure)).toBe('search_docs');
  });
  it('cuts a long label to the width, ending with an ellipsis', () => {
    const long = 'x'.repeat(256);
    const fitted = fitLabel(long, 70, measure);
    expect(fitted).toBe(`${'x'.repeat(9)}…`);
    expect(measure(fitted)).toBeLessThanOrEqual(70);
  });
  it('never splits a character made of two UTF-16 units', () => {
    expect(fitLabel('😀😀😀😀', 21, measure)).toBe('😀😀…');
  });
  it('leaves only the ellipsis when nothing else fits', () => {
    expect(fitLabel('abcdef', 3, measure)).toBe('…');
  });
});
