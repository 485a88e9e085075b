import type { ToolView } from '@mcptrail/protocol';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useApi } from '../api/use-api';
import { CallsBarChart } from '../charts/calls-bar-chart';
import { ApiState } from '../components/api-state';
import { DataText } from '../components/data-text';
import { InstrumentSnippet } from '../components/instrument-snippet';
import { PageHeader } from '../components/page-header';
import { TimeText } from '../components/time-text';
import { TimeRangePicker, previousRange, useTimeRange } from '../components/time-range';
import { formatDuration } from '../format/format-duration';
import { formatCount, formatPercent } from '../format/format-number';
import { formatDateTime } from '../format/format-time';
import { formatTrend } from '../format/format-trend';
import { revealControls } from '../format/reveal-controls';
import { paths } from '../routes/paths';

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

/** What the trend column compares with: the same span just before the range, when it had any calls. */
interface Baseline {
  span: string;
  from: number;
  to: number;
  calls: Map<string, number>;
}

export function ToolsPage() {
  const { range } = useTimeRange();
  const list = useApi(
    async (api) => {
      const before = previousRange(range);
      const [current, previous] = await Promise.all([
        api.get('/v1/tools', { query: range }),
        before ? api.get('/v1/tools', { query: { from: before.from, to: before.to } }) : null,
      ]);
      const baseline: Baseline | null =
        before && previous ? { ...before, calls: new Map(previous.tools.map((t) => [t.name, t.calls])) } : null;
      return { tools: current.tools, baseline };
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
        {({ baseline }) => {
          if (tools.length === 0) return <InstrumentSnippet title="No tool calls in this time range" />;
          // A span before the project's first calls has nothing to compare with: no trend rather than "new" everywhere.
          const trend = baseline && baseline.calls.size > 0 ? baseline : null;
          return (
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
                        <th
                          key={c.key}
                          className={c.numeric ? 'num' : undefined}
                          aria-sort={sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}
                        >
                          <button
                            type="button"
                            className="sort-button"
                            onClick={() =>
                              setSort((s) => ({ key: c.key, desc: s.key === c.key ? !s.desc : c.numeric }))
                            }
                          >
                            {c.label}
                            {sort.key === c.key ? (sort.desc ? ' ↓' : ' ↑') : ''}
                          </button>
                        </th>
                      ))}
                      {trend && (
                        <th className="num" title={baselineTitle(trend)} data-testid="trend-header">
                          Calls vs previous {trend.span}
                        </th>
                      )}
                    </tr>
                  </thead>
                  <tbody>
                    {tools.map((t) => (
                      <tr key={t.name} data-tool={t.name}>
                        <td>
                          <Link className="mono tool-name" to={paths.tool(t.name)} title={revealControls(t.name)}>
                            <DataText value={t.name} />
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
                        {trend && (
                          <TrendCell current={t.calls} previous={trend.calls.get(t.name) ?? 0} span={trend.span} />
                        )}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {baseline && !trend && (
                <p className="muted small" data-testid="no-trend">
                  No trend: there were no tool calls in the {baseline.span} before this range ({baselineDates(baseline)}
                  ) to compare with.
                </p>
              )}
            </>
          );
        }}
      </ApiState>
    </>
  );
}

function baselineDates({ from, to }: Baseline): string {
  return `${formatDateTime(from)} – ${formatDateTime(to)}`;
}

function baselineTitle(baseline: Baseline): string {
  return `Calls in this range compared with the ${baseline.span} just before it (${baselineDates(baseline)})`;
}

function TrendCell({ current, previous, span }: { current: number; previous: number; span: string }) {
  const trend = formatTrend(current, previous);
  return (
    <td
      className={`num trend-${trend.direction}`}
      title={`${formatCount(current)} calls, ${formatCount(previous)} in the previous ${span}`}
    >
      {trend.text}
    </td>
  );
}
