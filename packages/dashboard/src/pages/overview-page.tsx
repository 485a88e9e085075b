import type { StatsResponse, ToolListResponse } from '@mcptrail/protocol';
import { Link } from 'react-router-dom';
import { useApi } from '../api/use-api';
import { CallsBarChart } from '../charts/calls-bar-chart';
import { SERIES_COLORS } from '../charts/chart-theme';
import { ClientSplitChart } from '../charts/client-split-chart';
import { TimelineChart } from '../charts/timeline-chart';
import { ClientName } from '../components/client-name';
import { DataTable } from '../components/data-table';
import { InstrumentSnippet } from '../components/instrument-snippet';
import { PageHeader } from '../components/page-header';
import { SessionShapeCard } from '../components/session-shape-card';
import { ApiState } from '../components/api-state';
import { ErrorRateCard, StatCard } from '../components/stat-card';
import { TimeRangePicker, chartSpan, rangeLabel, useTimeRange, type TimeRange } from '../components/time-range';
import { formatDuration } from '../format/format-duration';
import { formatCount } from '../format/format-number';
import { paths } from '../routes/paths';

const TOP_TOOLS = 8;

export function OverviewPage() {
  const { range, setRange } = useTimeRange();
  const result = useApi(
    async (api) => {
      const [stats, tools] = await Promise.all([
        api.get('/v1/stats', { query: range }),
        api.get('/v1/tools', { query: range }),
      ]);
      return { stats, tools };
    },
    [range.from, range.to],
  );
  const label = rangeLabel(range);

  return (
    <>
      <PageHeader title="Overview" subtitle={label} actions={<TimeRangePicker />} />
      <ApiState result={result}>
        {(data) =>
          data.stats.events === 0 ? (
            <InstrumentSnippet title={range.id === 'all' ? 'No events yet' : `No events in the ${label.toLowerCase()}`}>
              {range.id !== 'all' && (
                <p>
                  Nothing was recorded in this range.{' '}
                  <button type="button" className="link-button" onClick={() => setRange('all')}>
                    Show all time
                  </button>{' '}
                  or instrument a server:
                </p>
              )}
            </InstrumentSnippet>
          ) : (
            <OverviewBody stats={data.stats} tools={data.tools} range={range} />
          )
        }
      </ApiState>
    </>
  );
}

function OverviewBody({ stats, tools, range }: { stats: StatsResponse; tools: ToolListResponse; range: TimeRange }) {
  const topTools = [...tools.tools].sort((a, b) => b.calls - a.calls).slice(0, TOP_TOOLS);
  return (
    <>
      {stats.dropped > 0 && (
        <div className="notice warn" data-testid="dropped-notice">
          The SDKs reported <strong>{formatCount(stats.dropped)}</strong> dropped{' '}
          {stats.dropped === 1 ? 'event' : 'events'} (queue full or delivery gave up) since this project was created.
          Those requests are missing from every number here.
        </div>
      )}
      <div className="stat-grid">
        <StatCard
          label="Sessions"
          value={formatCount(stats.conversations)}
          hint={
            stats.oneRequestAnonymous > 0
              ? `+ ${formatCount(stats.oneRequestAnonymous)} one-request anonymous`
              : undefined
          }
        />
        <StatCard label="Events" value={formatCount(stats.events)} />
        <StatCard label="Active users" value={formatCount(stats.users)} />
        <ErrorRateCard rate={stats.errorRate} errors={stats.errors} />
        <StatCard label="p95 latency" value={formatDuration(stats.p95Ms)} />
      </div>

      <section className="card">
        <h2>Activity</h2>
        {stats.timeline.length > 0 ? (
          <TimelineChart timeline={stats.timeline} bucketMs={stats.bucketMs} range={chartSpan(range)} />
        ) : (
          <p className="muted">No activity in this range.</p>
        )}
      </section>

      <div className="two-col">
        <section className="card">
          <div className="card-head">
            <h2>Top tools</h2>
            <Link to="/tools">All tools →</Link>
          </div>
          {topTools.length > 0 ? (
            <CallsBarChart
              testId="top-tools-chart"
              okLabel="Calls"
              rows={topTools.map((t) => ({ label: t.name, ok: Math.max(0, t.calls - t.errors), errors: t.errors }))}
            />
          ) : (
            <p className="muted">No tool calls in this range.</p>
          )}
        </section>
        <section className="card">
          <div className="card-head">
            <h2>Clients</h2>
            <Link to="/sessions">Sessions →</Link>
          </div>
          {stats.clients.length > 0 ? (
            <div className="client-split">
              <ClientSplitChart clients={stats.clients} />
              <DataTable
                testId="clients-table"
                className="table compact"
                rows={stats.clients}
                rowKey={(c) => c.name ?? '(none)'}
                columns={[
                  {
                    header: 'Client',
                    cell: (c, i) => (
                      <>
                        <span className="swatch" style={{ background: SERIES_COLORS[i % SERIES_COLORS.length] }} />
                        {c.name ? (
                          <Link to={paths.sessions({ client: c.name })}>
                            <ClientName raw={c.name} />
                          </Link>
                        ) : (
                          <ClientName raw={null} />
                        )}
                      </>
                    ),
                  },
                  { header: 'Sessions', numeric: true, cell: (c) => formatCount(c.conversationCount) },
                  { header: 'Events', numeric: true, cell: (c) => formatCount(c.eventCount) },
                  { header: 'Users', numeric: true, cell: (c) => formatCount(c.userCount) },
                ]}
              />
            </div>
          ) : (
            <p className="muted">No clients in this range.</p>
          )}
        </section>
      </div>
      <SessionShapeCard range={range} />
    </>
  );
}
