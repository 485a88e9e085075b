import { describeInstant, formatDateTime, formatIso } from '../format/format-time';

/** A timestamp in local time; on hover the weekday, year and time zone, and the instant in UTC. */
export function TimeText({ value }: { value: string | number | null | undefined }) {
  return (
    <time dateTime={formatIso(value)} title={describeInstant(value)}>
      {formatDateTime(value)}
    </time>
  );
}
