import { DataText } from './data-text';

/**
 * Shows a value that came from a tool call (arguments, results, errors) as plain text.
 * Everything here was written by an LLM or a user: it is stringified and handed to React
 * as a text child (bidi controls shown as markers), never parsed as HTML (docs/dashboard.md#security).
 */
export function JsonBlock({ value, label }: { value: unknown; label: string }) {
  if (value === undefined || value === null) {
    return (
      <div className="json-block empty">
        <div className="json-label">{label}</div>
        <span className="muted">none</span>
      </div>
    );
  }
  return (
    <div className="json-block">
      <div className="json-label">{label}</div>
      <pre className="code" data-testid={`json-${label.toLowerCase()}`}>
        <DataText value={toText(value)} />
      </pre>
    </div>
  );
}

export function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}
