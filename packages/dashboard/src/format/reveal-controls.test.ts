import { describe, expect, it } from 'vitest';
import { revealControls, splitControls } from './reveal-controls';

describe('revealControls', () => {
  it('shows every bidi control as a marker and leaves other text alone', () => {
    expect(revealControls('invoice\u202Efdp.exe')).toBe('invoice⟨U+202E⟩fdp.exe');
    expect(revealControls('\u2066a\u2067b\u2068c\u2069\u200E\u200F\u061C')).toBe(
      '⟨U+2066⟩a⟨U+2067⟩b⟨U+2068⟩c⟨U+2069⟩⟨U+200E⟩⟨U+200F⟩⟨U+061C⟩',
    );
    expect(revealControls('\u202A\u202B\u202C\u202D')).toBe('⟨U+202A⟩⟨U+202B⟩⟨U+202C⟩⟨U+202D⟩');
    // Right-to-left letters are text, not controls.
    expect(revealControls('שלום alice')).toBe('שלום alice');
    expect(revealControls('')).toBe('');
  });

  it('splits text into runs and markers that join back to the revealed text', () => {
    const text = '\u202Eabc\u2066\u2069def';
    const parts = splitControls(text);
    expect(parts.map((p) => p.control)).toEqual([true, false, true, true, false]);
    expect(parts.map((p) => p.text).join('')).toBe(revealControls(text));
    expect(splitControls('plain')).toEqual([{ text: 'plain', control: false }]);
    expect(splitControls('')).toEqual([]);
  });
});
