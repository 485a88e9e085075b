import type { ToolView } from '@mcptrail/protocol';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useApi } from '../api/use-api';
import { CallsBarChart } from '../charts/calls-bar-chart';
import { ApiState } from '../components/api-state';
import { InstrumentSnippet } from '../components/instrument-snippet';
import { PageHeader } from '../components/page-header';
import { TimeText } from '../components/time-text';
import { TimeRangePicker, useTimeRange } from '../components/time-range';
import { formatDuration } from '../format/format-duration';
import { formatCount, formatPercent } from '../format/format-number';
import { formatTrend } from '../format/format-trend';

type SortKey = 'name' | 'calls' | 'errorRate' | 'p50Ms' | 'p95Ms' | 'lastCalledAt';

const COLUMNS: { key: SortKey; label: string; numeric: boolean }[] = [
  { key: 'name', label: 'Tool', numeric: false },
  { key: 'calls', label: 'Calls', numeric: true },
  { key: 'errorRate', label: 'Error rate', numeric: true },
  { key: 'p50Ms', label: 'p50', numeric: true },
  { key: 'p95Ms', label: 'p95', numeric: true },
  { key: 'lastCalledAt', label: 'Last called', numeric: false },
];

function compare(a: ToolView, b: ToolView, key: SortKey): number {
  const x = a[key];
  const y = b[key];
  if (x === y) return 0;
  if (x === null) return 1;
  if (y === null) return -1;
  return x < y ? -1 : 1;
}

export function ToolsPage() {
  const { range } = useTimeRange();
  // The same span just before the range, for the trend column (not for "All time").
  const list = useApi(
    async (api) => {
      const previousRange = range.id === 'all' ? null : { from: range.from - (range.to - range.from), to: range.from };
      const [current, previous] = await Promise.all([api.get('/v1/tools', { query: range }), previousRange ? api.get('/v1/tools', { query: previousRange }) : null]);
      return {
        tools: current.tools,
        previousCalls: previous ? new Map(previous.tools.map((t) => [t.name, t.calls])) : null,
      };
    },
    [range.from, range.to],
  );
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'calls', desc: true });

  const tools = [...(list.data?.tools ?? [])].sort((a, b) => (sort.desc ? -1 : 1) * compare(a, b, sort.key));
  const chartRows = [...(list.data?.tools ?? [])]
    .sort((a, b) => b.calls - a.calls)
    .slice(0, 12)
    .map((t) => ({ label: t.name, ok: Math.max(0, t.calls - t.errors), errors: t.errors }));

  return (
    <>
      <PageHeader title="Tools" subtitle="tools/call requests by tool name" actions={<TimeRangePicker />} />
      <ApiState result={list}>
        {(data) => tools.length === 0 ? (
        <InstrumentSnippet title="No tool calls in this time range" />
      ) : (
        <>
          <section className="card">
            <h2>Calls by tool</h2>
            <CallsBarChart rows={chartRows} okLabel="Calls" testId="tools-chart" />
          </section>
          <div className="table-wrap">
            <table className="table" data-testid="tools-table">
              <thead>
                <tr>
                  {COLUMNS.map((c) => (
                    <th key={c.key} className={c.numeric ? 'num' : undefined} aria-sort={sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
                      <button
                        type="button"
                        className="sort-button"
                        onClick={() => setSort((s) => ({ key: c.key, desc: s.key === c.key ? !s.desc : c.numeric }))}
                      >
                        {c.label}
                        {sort.key === c.key ? (sort.desc ? ' ↓' : ' ↑') : ''}
                      </button>
                    </th>
                  ))}
                  {data.previousCalls && (
                    <th className="num" title="Calls compared with the same span just before this range">
                      Trend
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {tools.map((t) => (
                  <tr key={t.name} data-tool={t.name}>
                    <td>
                      <Link className="mono" to={`/tools/${encodeURIComponent(t.name)}`}>
                        {t.name}
                      </Link>
                    </td>
                    <td className="num">{formatCount(t.calls)}</td>
                    <td className={t.errors > 0 ? 'num error-text' : 'num muted'}>
                      {formatPercent(t.errorRate)}
                      {t.errors > 0 && <span className="muted small"> ({formatCount(t.errors)})</span>}
                    </td>
                    <td className="num">{formatDuration(t.p50Ms)}</td>
                    <td className="num">{formatDuration(t.p95Ms)}</td>
                    <td>
                      <TimeText value={t.lastCalledAt} />
                    </td>
                    {data.previousCalls && <TrendCell current={t.calls} previous={data.previousCalls.get(t.name) ?? 0} />}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      </ApiState>
    </>
  );
}

function TrendCell({ current, previous }: { current: number; previous: number }) {
  const trend = formatTrend(current, previous);
  if (!trend) return <td className="num muted">—</td>;
  return (
    <td className={`num trend-${trend.direction}`} title={`${formatCount(previous)} calls in the previous period`}>
      {trend.text}
    </td>
  );
}
