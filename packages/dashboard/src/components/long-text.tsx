import { useState } from 'react';
import { formatCount } from '../format/format-number';
import { DataText } from './data-text';

const PREVIEW_CHARS = 600;

/**
 * Text that may be very long (an error message: up to 16 KB): wrapped, cut until asked for, then whole in a scrolling
 * box.
 */
export function LongText({ value }: { value: string }) {
  const [whole, setWhole] = useState(false);
  const cut = !whole && value.length > PREVIEW_CHARS;
  return (
    <>
      <DataText
        className={whole ? 'long-text whole' : 'long-text'}
        value={cut ? `${value.slice(0, PREVIEW_CHARS)}…` : value}
      />
      {value.length > PREVIEW_CHARS && (
        <button
          type="button"
          className="link-button small"
          onClick={() => setWhole((w) => !w)}
          data-testid="long-text-toggle"
        >
          {whole ? ' Show less' : ` Show all ${formatCount(value.length)} characters`}
        </button>
      )}
    </>
  );
}
