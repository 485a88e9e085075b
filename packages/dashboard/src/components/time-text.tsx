import { formatDateTime, formatIso } from '../format/format-time';

/** A timestamp in local time; the exact instant on hover. */
export function TimeText({ value }: { value: string | number | null | undefined }) {
  const iso = formatIso(value);
  return (
    <time dateTime={iso} title={iso}>
      {formatDateTime(value)}
    </time>
  );
}
