/**
 * Bidirectional-text controls (ALM, LRM, RLM, LRE…RLO, LRI…PDI). In user or LLM text they can
 * make a name or a message read differently from what it is ("Trojan Source"), so the
 * dashboard never lets them act: each is shown as a visible marker such as `⟨U+202E⟩`.
 */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** A control's `at` is its offset in the text: what tells two markers apart (as a React key). */
export type TextPart =
  | { text: string; control: false }
  | { text: string; control: true; codePoint: string; at: number };

function marker(char: string): string {
  return `⟨U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`;
}

/** The text cut into plain runs and markers for the controls it holds (for rendering markers apart). */
export function splitControls(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(BIDI_CONTROLS)) {
    if (match.index > last) parts.push({ text: text.slice(last, match.index), control: false });
    parts.push({ text: marker(match[0]), control: true, codePoint: match[0], at: match.index });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), control: false });
  return parts;
}

/** The text with every bidi control replaced by its marker: for attributes, options and chart labels. */
export function revealControls(text: string): string {
  return text.replace(BIDI_CONTROLS, marker);
}
