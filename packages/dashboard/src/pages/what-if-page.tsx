import type { HistogramBucketView, SessionShapeView, WhatIfResponse } from '@mcptrail/protocol';
import { useState } from 'react';
import { HistogramChart } from '../charts/histogram-chart';
import { DataTable } from '../components/data-table';
import { FlushCard } from '../components/flush-card';
import { InstrumentSnippet } from '../components/instrument-snippet';
import { RangePage } from '../components/range-page';
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
  const [choice, setChoice] = useState<string>(CHOICES[0].timeout);
  return (
    <RangePage
      title="What-if sessions"
      subtitle="The same requests grouped with other inactivity timeouts"
      load={(api, range) => api.get('/v1/insights/what-if', { query: { ...range, timeout: choice } })}
      deps={[choice]}
      controls={
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
      }
    >
      {(data) =>
        data.events === 0 ? <InstrumentSnippet title="No requests in this time range" /> : <WhatIfView data={data} />
      }
    </RangePage>
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
      <FlushCard>
        <DataTable
          testId="what-if-table"
          rows={groupings}
          rowKey={(g) => g.name}
          rowProps={(g) => ({ 'data-grouping': g.stored ? 'stored' : g.name })}
          columns={[
            { header: 'Timeout', cell: (g) => (g.stored ? `Stored (${storedTimeout})` : g.name) },
            { header: 'Sessions', numeric: true, cell: (g) => formatCount(g.sessions) },
            {
              header: 'vs stored',
              numeric: true,
              cell: (g) => (g.stored ? '—' : formatTrend(g.sessions, data.stored.sessions).text),
            },
            {
              header: 'Grouped',
              numeric: true,
              headerProps: { title: 'Sessions a timeout ends: grouped by user and client, or by a conversation token' },
              cell: (g) => formatCount(g.byKind.grouped + g.byKind.conversation),
            },
            {
              header: 'Requests p50 / p90',
              numeric: true,
              cell: (g) => `${formatCount(g.calls.p50)} / ${formatCount(g.calls.p90)}`,
            },
            {
              header: 'Duration p50 / p90',
              numeric: true,
              cell: (g) => `${formatDuration(g.durationMs.p50)} / ${formatDuration(g.durationMs.p90)}`,
            },
            { header: 'Longest', numeric: true, cell: (g) => formatDuration(g.durationMs.max) },
          ]}
        />
      </FlushCard>
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
