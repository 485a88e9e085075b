import type { ToolView } from '@mcptrail/protocol';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useApi } from '../api/use-api';
import { CallsBarChart } from '../charts/calls-bar-chart';
import { ApiState } from '../components/api-state';
import { DataTable, countTone, type Column } from '../components/data-table';
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

/** The columns a click sorts by: numbers most first, text A to Z. */
const COLUMNS: (Column<ToolView> & { key: SortKey; header: string })[] = [
  {
    key: 'name',
    header: 'Tool',
    cell: (t) => (
      <Link className="mono tool-name" to={paths.tool(t.name)} title={revealControls(t.name)}>
        <DataText value={t.name} />
      </Link>
    ),
  },
  { key: 'calls', header: 'Calls', numeric: true, cell: (t) => formatCount(t.calls) },
  {
    key: 'errorRate',
    header: 'Error rate',
    numeric: true,
    cell: (t) => (
      <>
        {formatPercent(t.errorRate)}
        {t.errors > 0 && <span className="muted small"> ({formatCount(t.errors)})</span>}
      </>
    ),
    cellProps: (t) => ({ className: countTone(t.errors) }),
  },
  { key: 'p50Ms', header: 'p50', numeric: true, cell: (t) => formatDuration(t.p50Ms) },
  { key: 'p95Ms', header: 'p95', numeric: true, cell: (t) => formatDuration(t.p95Ms) },
  { key: 'lastCalledAt', header: 'Last called', cell: (t) => <TimeText value={t.lastCalledAt} /> },
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
              <DataTable
                testId="tools-table"
                rows={tools}
                rowKey={(t) => t.name}
                rowProps={(t) => ({ 'data-tool': t.name })}
                columns={[
                  ...COLUMNS.map(
                    (c): Column<ToolView> => ({
                      ...c,
                      header: (
                        <button
                          type="button"
                          className="sort-button"
                          onClick={() =>
                            setSort((s) => ({ key: c.key, desc: s.key === c.key ? !s.desc : Boolean(c.numeric) }))
                          }
                        >
                          {c.header}
                          {sort.key === c.key ? (sort.desc ? ' ↓' : ' ↑') : ''}
                        </button>
                      ),
                      headerProps: {
                        'aria-sort': sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none',
                      },
                    }),
                  ),
                  trend !== null && trendColumn(trend),
                ]}
              />
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

/** Each tool's calls against the same span just before the range. */
function trendColumn(baseline: Baseline): Column<ToolView> {
  const previous = (t: ToolView) => baseline.calls.get(t.name) ?? 0;
  return {
    header: `Calls vs previous ${baseline.span}`,
    numeric: true,
    headerProps: { title: baselineTitle(baseline), 'data-testid': 'trend-header' },
    cell: (t) => formatTrend(t.calls, previous(t)).text,
    cellProps: (t) => ({
      className: `trend-${formatTrend(t.calls, previous(t)).direction}`,
      title: `${formatCount(t.calls)} calls, ${formatCount(previous(t))} in the previous ${baseline.span}`,
    }),
  };
}
