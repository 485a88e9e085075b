import type { PathNodeView, ToolPathsResponse } from '@mcptrail/protocol';
import { Link } from 'react-router-dom';
import { PathFlowChart } from '../charts/path-flow-chart';
import { useElementWidth } from '../charts/use-element-width';
import { DataTable, countTone, type Column } from '../components/data-table';
import { DataText } from '../components/data-text';
import { FlushCard } from '../components/flush-card';
import { InstrumentSnippet } from '../components/instrument-snippet';
import { StatCard } from '../components/stat-card';
import { ToolLink } from '../components/tool-link';
import { RangePage } from '../components/range-page';
import { formatWholeDuration } from '../format/format-duration';
import { formatCount, formatPercent } from '../format/format-number';
import { revealControls } from '../format/reveal-controls';
import { shortId } from '../format/short-id';
import { paths } from '../routes/paths';

/** Below this width the flow chart shows two steps after the start, so that its labels stay legible. */
const NARROW_CHART = 600;
const TOP_PATHS = 15;
const ENDS_AFTER_ERROR = 'Sessions that end after an error';

/** The tree cut after `steps` steps. */
export function firstStepsOf(nodes: readonly PathNodeView[], steps: number): PathNodeView[] {
  return nodes.map((node) => ({ ...node, children: steps > 1 ? firstStepsOf(node.children, steps - 1) : [] }));
}

/** The most specific paths the tree shows (its leaves), most sessions first. */
export function topPaths(
  nodes: readonly PathNodeView[],
  prefix: string[] = [],
): { tools: string[]; node: PathNodeView }[] {
  return nodes
    .flatMap((node) =>
      node.children.length === 0
        ? [{ tools: [...prefix, node.tool], node }]
        : topPaths(node.children, [...prefix, node.tool]),
    )
    .sort((a, b) => b.node.sessions - a.node.sessions);
}

export function PathsPage() {
  return (
    <RangePage
      title="Paths"
      subtitle="The tool calls sessions make, in order, and where they stop"
      load={(api, range) => api.get('/v1/insights/paths', { query: range })}
    >
      {(data) =>
        data.sessionsWithTools === 0 ? (
          <InstrumentSnippet title="No sessions with tool calls started in this time range" />
        ) : (
          <PathsView data={data} />
        )
      }
    </RangePage>
  );
}

function PathsView({ data }: { data: ToolPathsResponse }) {
  const [ref, width] = useElementWidth<HTMLElement>();
  const endedAfterError = data.endsAfterError.reduce((n, row) => n + row.sessions, 0);
  const chartSteps = width > 0 && width < NARROW_CHART ? 2 : data.depth;
  return (
    <>
      <div className="stat-grid">
        <StatCard label="Sessions" value={formatCount(data.sessions)} hint="started in the range" />
        <StatCard label="With tool calls" value={formatCount(data.sessionsWithTools)} />
        <StatCard
          label="Ended"
          value={formatCount(data.quietSessions)}
          hint={`quiet for ${formatWholeDuration(data.quietAfterMs)}`}
        />
        <StatCard
          label="Ended after an error"
          value={formatCount(endedAfterError)}
          hint={data.quietSessions > 0 ? `${formatPercent(endedAfterError / data.quietSessions)} of ended` : undefined}
          tone={endedAfterError > 0 ? 'warn' : undefined}
        />
      </div>
      <section className="card" ref={ref}>
        <h2>Flow of the first {chartSteps} tool calls</h2>
        <PathFlowChart firstSteps={firstStepsOf(data.firstSteps, chartSteps)} testId="paths-chart" />
        <p className="muted small">
          Each column is a step: the first tool a session called, then the next. The {data.breadth} most common next
          tools are shown at each step
          {data.otherFirstSessions > 0
            ? `; ${formatCount(data.otherFirstSessions)} sessions began with another tool`
            : ''}
          .
        </p>
      </section>
      <TopPaths data={data} />
      <div className="two-col">
        <DropOffTable data={data} />
        <EndsAfterErrorTable data={data} />
      </div>
    </>
  );
}

function TopPaths({ data }: { data: ToolPathsResponse }) {
  return (
    <FlushCard title="Most common paths" aside={<span className="muted small">up to {data.depth} tool calls</span>}>
      <DataTable
        testId="top-paths-table"
        rows={topPaths(data.firstSteps).slice(0, TOP_PATHS)}
        rowKey={({ tools }) => tools.join('\u0000')}
        columns={[
          {
            header: 'Path',
            cell: ({ tools }) => (
              <div className="path-cell mono">
                {tools.map((tool, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a path's steps, in order; a tool may repeat
                  <span key={i}>
                    {i > 0 && <span className="muted"> → </span>}
                    <DataText value={tool} />
                  </span>
                ))}
              </div>
            ),
            cellProps: ({ tools }) => ({ title: tools.map(revealControls).join(' → ') }),
          },
          { header: 'Sessions', numeric: true, cell: ({ node }) => formatCount(node.sessions) },
          { header: 'Ended there', numeric: true, cell: ({ node }) => formatCount(node.ended) },
          {
            header: 'After an error',
            numeric: true,
            cell: ({ node }) => formatCount(node.endedAfterError),
            cellProps: ({ node }) => ({ className: countTone(node.endedAfterError) }),
          },
        ]}
      />
    </FlushCard>
  );
}

/** A card listing tools, a row each (the browser tests find it by its tool), the tool's link first. */
function ToolTableCard<Row extends { tool: string }>({
  title,
  testId,
  rows,
  toolHeader,
  columns,
}: {
  title: string;
  testId: string;
  rows: Row[];
  toolHeader: string;
  columns: Column<Row>[];
}) {
  return (
    <FlushCard title={title}>
      <DataTable
        testId={testId}
        rows={rows}
        rowKey={(row) => row.tool}
        rowProps={(row) => ({ 'data-tool': row.tool })}
        columns={[{ header: toolHeader, cell: (row) => <ToolLink name={row.tool} /> }, ...columns]}
      />
    </FlushCard>
  );
}

function DropOffTable({ data }: { data: ToolPathsResponse }) {
  return (
    <ToolTableCard
      title="Last tool before sessions go quiet"
      testId="drop-off-table"
      rows={data.dropOff}
      toolHeader="Tool"
      columns={[
        {
          header: 'Reached',
          numeric: true,
          headerProps: { title: 'Ended sessions that called the tool' },
          cell: (row) => formatCount(row.reached),
        },
        {
          header: 'Last call',
          numeric: true,
          headerProps: { title: 'Ended sessions whose last tool call was this one' },
          cell: (row) => formatCount(row.ended),
        },
        { header: 'Drop-off', numeric: true, cell: (row) => formatPercent(row.dropOffRate) },
      ]}
    />
  );
}

function EndsAfterErrorTable({ data }: { data: ToolPathsResponse }) {
  if (data.endsAfterError.length === 0) {
    return (
      <FlushCard title={ENDS_AFTER_ERROR}>
        <p className="muted padded-text" data-testid="no-error-endings">
          No ended session's last tool call failed in this range.
        </p>
      </FlushCard>
    );
  }
  return (
    <ToolTableCard
      title={ENDS_AFTER_ERROR}
      testId="ends-after-error-table"
      rows={data.endsAfterError}
      toolHeader="Failing tool"
      columns={[
        { header: 'Sessions', numeric: true, cell: (row) => formatCount(row.sessions), cellClass: 'error-text' },
        {
          header: 'Recent sessions',
          cell: (row) =>
            row.exampleSessionIds.map((id) => (
              <Link key={id} className="mono" to={paths.session(id)} title={id}>
                {shortId(id)}
              </Link>
            )),
          cellClass: 'example-sessions',
        },
      ]}
    />
  );
}
