/**
 * Most events an insight that reads events themselves (paths, what-if) reads for one answer, unless told otherwise
 * (`--insights-max-events`).
 */
export const DEFAULT_INSIGHT_EVENT_LIMIT = 2_000_000;

/** An insight would read more events than the collector allows for one answer (docs/api.md, "Insights"). */
export class RangeTooLargeError extends Error {
  override readonly name = 'RangeTooLargeError';

  constructor(readonly limit: number) {
    super(
      `the range holds more than ${limit} events, the most this collector reads for one answer ` +
        '(--insights-max-events); ask for a shorter range',
    );
  }
}
