import type { EventView, ToolDetailResponse } from '@mcptrail/protocol';
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useApi } from '../api/use-api';
import { ToolTrendChart } from '../charts/tool-trend-chart';
import { ClientName } from '../components/client-name';
import { ApiState } from '../components/api-state';
import { DataText } from '../components/data-text';
import { EventDetails } from '../components/event-details';
import { FlushCard } from '../components/flush-card';
import { PageHeader } from '../components/page-header';
import { shortId } from '../format/short-id';
import { ErrorRateCard, StatCard } from '../components/stat-card';
import { TimeText } from '../components/time-text';
import { TimeRangePicker, chartSpan, useTimeRange, type TimeRange } from '../components/time-range';
import { UserLabel } from '../components/user-label';
import { formatDuration } from '../format/format-duration';
import { formatCount } from '../format/format-number';
import { revealControls } from '../format/reveal-controls';
import { paths } from '../routes/paths';
import { useRouteId } from '../routes/use-route-id';

export function ToolDetailPage() {
  const name = useRouteId();
  const { range } = useTimeRange();
  const detail = useApi(
    (api) => api.get('/v1/tools/:name', { params: { name }, query: range }),
    [name, range.from, range.to],
  );

  const header = (
    <PageHeader
      documentTitle={`Tool ${name}`}
      title={
        <>
          Tool{' '}
          <span className="mono title-id" data-testid="tool-name">
            <DataText value={name} />
          </span>
        </>
      }
      subtitle={<Link to="/tools">← All tools</Link>}
      actions={<TimeRangePicker />}
    />
  );
  return (
    <ApiState result={detail} header={header} notFound={<>No calls to this tool in this time range.</>}>
      {(data) => <ToolView header={header} detail={data} range={range} />}
    </ApiState>
  );
}

function ToolView({ header, detail, range }: { header: ReactNode; detail: ToolDetailResponse; range: TimeRange }) {
  const { tool, recentFailures, timeline, bucketMs } = detail;
  return (
    <>
      {header}
      <div className="stat-grid">
        <StatCard label="Calls" value={formatCount(tool.calls)} />
        <ErrorRateCard rate={tool.errorRate} errors={tool.errors} />
        <StatCard label="p50 latency" value={formatDuration(tool.p50Ms)} />
        <StatCard label="p95 latency" value={formatDuration(tool.p95Ms)} />
        <StatCard label="Last called" value={<TimeText value={tool.lastCalledAt} />} />
      </div>
      <section className="card">
        <h2>Trend</h2>
        {timeline.length > 0 ? (
          <ToolTrendChart timeline={timeline} bucketMs={bucketMs} range={chartSpan(range)} />
        ) : (
          <p className="muted">No calls.</p>
        )}
      </section>
      <FlushCard title="Recent failures">
        {recentFailures.length === 0 ? (
          <p className="muted padded" data-testid="no-failures">
            No failed calls in this time range.
          </p>
        ) : (
          <div className="failure-list" data-testid="failure-list">
            {recentFailures.map((event) => (
              <FailureRow key={event.id} event={event} />
            ))}
          </div>
        )}
      </FlushCard>
    </>
  );
}

function FailureRow({ event }: { event: EventView }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="failure" data-event-id={event.id}>
      <button type="button" className="failure-row" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        <span className="chevron" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>
        <TimeText value={event.timestamp} />
        <span
          className="error-text failure-message"
          title={event.error ? revealControls(event.error.message.slice(0, 1000)) : undefined}
        >
          {event.error ? <DataText value={event.error.message} /> : 'Failed (no message)'}
        </span>
        <span className="muted">{formatDuration(event.durationMs)}</span>
      </button>
      <div className="failure-context">
        <UserLabel id={event.user?.id ?? null} name={event.user?.name ?? null} />
        <span className="separator" aria-hidden="true">
          ·
        </span>
        <ClientName raw={event.client?.name} version={event.client?.version} />
        <span className="separator" aria-hidden="true">
          ·
        </span>
        <span>
          session{' '}
          <Link className="mono" to={paths.session(event.sessionId, event.id)} title={event.sessionId}>
            {shortId(event.sessionId)}
          </Link>
        </span>
      </div>
      {open && (
        <div className="waterfall-panel">
          <EventDetails event={event} />
        </div>
      )}
    </div>
  );
}
