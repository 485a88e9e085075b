import type { HistogramBucketView, SessionShapeView, WhatIfResponse } from '@mcptrail/protocol';
import { useState } from 'react';
import { useApi } from '../api/use-api';
import { HistogramChart } from '../charts/histogram-chart';
import { ApiState } from '../components/api-state';
import { InstrumentSnippet } from '../components/instrument-snippet';
import { PageHeader } from '../components/page-header';
import { TimeRangePicker, useTimeRange } from '../components/time-range';
import { formatDuration, formatWholeDuration } from '../format/format-duration';
import { formatCount } from '../format/format-number';
import { formatTrend } from '../format/format-trend';

/** Sets of timeouts to compare, shortest first. */
const CHOICES = [
  { label: '5–60 min', timeout: '5m,15m,30m,60m' },
  { label: '1–10 min', timeout: '1m,2m,5m,10m' },
  { label: '30 min–4 h', timeout: '30m,1h,2h,4h' },
] as const;

interface Grouping extends SessionShapeView {
  name: string;
  stored: boolean;
}

/**
 * `3–5` requests, `5m–15m` of duration; `101+` for the open last bucket; durations under a millisecond are single
 * requests.
 */
export function bucketLabel(bucket: HistogramBucketView, unit: 'calls' | 'ms'): string {
  if (unit === 'calls') {
    if (bucket.to === null) return `${bucket.from}+`;
    return bucket.to === bucket.from + 1 ? String(bucket.from) : `${bucket.from}–${bucket.to - 1}`;
  }
  if (bucket.to === null) return `${formatWholeDuration(bucket.from)}+`;
  if (bucket.to <= 1) return 'instant';
  if (bucket.from <= 1) return `< ${formatWholeDuration(bucket.to)}`;
  return `${formatWholeDuration(bucket.from)}–${formatWholeDuration(bucket.to)}`;
}

export function WhatIfPage() {
  const { range } = useTimeRange();
  const [choice, setChoice] = useState<string>(CHOICES[0].timeout);
  const result = useApi(
    (api) => api.get('/v1/insights/what-if', { query: { from: range.from, to: range.to, timeout: choice } }),
    [range.from, range.to, choice],
  );
  return (
    <>
      <PageHeader
        title="What-if sessions"
        subtitle="The same requests grouped with other inactivity timeouts"
        actions={<TimeRangePicker />}
      />
      <fieldset className="timeout-choice">
        <legend className="visually-hidden">Timeouts to compare</legend>
        <span className="muted small" aria-hidden="true">
          Timeouts:
        </span>
        {CHOICES.map((c) => (
          <button
            key={c.timeout}
            type="button"
            className={c.timeout === choice ? 'button small' : 'button secondary small'}
            aria-pressed={c.timeout === choice}
            onClick={() => setChoice(c.timeout)}
          >
            {c.label}
          </button>
        ))}
      </fieldset>
      <ApiState result={result}>
        {(data) =>
          data.events === 0 ? <InstrumentSnippet title="No requests in this time range" /> : <WhatIfView data={data} />
        }
      </ApiState>
    </>
  );
}

function WhatIfView({ data }: { data: WhatIfResponse }) {
  const groupings: Grouping[] = [
    { ...data.stored, name: 'Stored', stored: true },
    ...data.timeouts.map((t) => ({ ...t, name: formatWholeDuration(t.timeoutMs), stored: false })),
  ];
  const storedTimeout = formatWholeDuration(data.storedTimeoutMs);
  return (
    <>
      <p className="notice" data-testid="what-if-explainer">
        The {formatCount(data.events)} requests of this range, grouped again as if the collector's inactivity timeout
        had been each of these: a user's requests from one client stay one session while the gaps between them are at
        most the timeout. Transport sessions and anonymous requests stay as they are. This is a preview only: stored
        sessions are not changed, and new requests keep being grouped with the collector's{' '}
        <code>--session-timeout</code> ({storedTimeout}). Sessions crossing the range's ends count with their part
        inside it.
      </p>
      <section className="card flush">
        <div className="table-wrap">
          <table className="table" data-testid="what-if-table">
            <thead>
              <tr>
                <th>Timeout</th>
                <th className="num">Sessions</th>
                <th className="num">vs stored</th>
                <th
                  className="num"
                  title="Sessions a timeout ends: grouped by user and client, or by a conversation token"
                >
                  Grouped
                </th>
                <th className="num">Requests p50 / p90</th>
                <th className="num">Duration p50 / p90</th>
                <th className="num">Longest</th>
              </tr>
            </thead>
            <tbody>
              {groupings.map((g) => (
                <tr key={g.name} data-grouping={g.stored ? 'stored' : g.name}>
                  <td>{g.stored ? `Stored (${storedTimeout})` : g.name}</td>
                  <td className="num">{formatCount(g.sessions)}</td>
                  <td className="num">{g.stored ? '—' : formatTrend(g.sessions, data.stored.sessions).text}</td>
                  <td className="num">{formatCount(g.byKind.grouped + g.byKind.conversation)}</td>
                  <td className="num">
                    {formatCount(g.calls.p50)} / {formatCount(g.calls.p90)}
                  </td>
                  <td className="num">
                    {formatDuration(g.durationMs.p50)} / {formatDuration(g.durationMs.p90)}
                  </td>
                  <td className="num">{formatDuration(g.durationMs.max)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <div className="two-col">
        <section className="card">
          <h2>Requests per session</h2>
          <HistogramChart
            buckets={data.stored.calls.histogram.map((b) => bucketLabel(b, 'calls'))}
            series={groupings.map((g) => ({ name: g.name, counts: g.calls.histogram.map((b) => b.sessions) }))}
            testId="what-if-calls-chart"
          />
        </section>
        <section className="card">
          <h2>Session duration</h2>
          <HistogramChart
            buckets={data.stored.durationMs.histogram.map((b) => bucketLabel(b, 'ms'))}
            series={groupings.map((g) => ({ name: g.name, counts: g.durationMs.histogram.map((b) => b.sessions) }))}
            testId="what-if-duration-chart"
          />
        </section>
      </div>
      <p className="muted small">
        Distributions leave out anonymous requests (a session each under any timeout). Percentiles are nearest-rank.
      </p>
    </>
  );
}
