import { splitControls } from '../format/reveal-controls';

/**
 * Text that came from users, clients or LLMs. Bidi controls are shown as markers and never
 * applied, and the text is isolated (`unicode-bidi: isolate`) so that right-to-left letters
 * in it cannot reorder what stands around it.
 */
export function DataText({ value, className }: { value: string; className?: string | undefined }) {
  const parts = splitControls(value);
  return (
    <span className={className ? `data-text ${className}` : 'data-text'}>
      {parts.map((part) =>
        part.control ? (
          <span
            key={part.at}
            className="control-char"
            title="A bidirectional-text control character, shown instead of applied"
          >
            {part.text}
          </span>
        ) : (
          part.text
        ),
      )}
    </span>
  );
}
