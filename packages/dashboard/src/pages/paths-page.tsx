import type { PathNodeView, ToolPathsResponse } from '@mcptrail/protocol';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useApi } from '../api/use-api';
import { PathFlowChart } from '../charts/path-flow-chart';
import { useElementWidth } from '../charts/use-element-width';
import { ApiState } from '../components/api-state';
import { DataText } from '../components/data-text';
import { InstrumentSnippet } from '../components/instrument-snippet';
import { PageHeader } from '../components/page-header';
import { StatCard } from '../components/stat-card';
import { TimeRangePicker, useTimeRange } from '../components/time-range';
import { ToolLink } from '../components/tool-link';
import { formatWholeDuration } from '../format/format-duration';
import { formatCount, formatPercent } from '../format/format-number';
import { revealControls } from '../format/reveal-controls';
import { shortId } from '../format/short-id';
import { paths } from '../routes/paths';

/** Below this width the flow chart shows two steps after the start, so that its labels stay legible. */
const NARROW_CHART = 600;
const TOP_PATHS = 15;

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
  const { range } = useTimeRange();
  const result = useApi(
    (api) => api.get('/v1/insights/paths', { query: { from: range.from, to: range.to } }),
    [range.from, range.to],
  );
  return (
    <>
      <PageHeader
        title="Paths"
        subtitle="The tool calls sessions make, in order, and where they stop"
        actions={<TimeRangePicker />}
      />
      <ApiState result={result}>
        {(data) =>
          data.sessionsWithTools === 0 ? (
            <InstrumentSnippet title="No sessions with tool calls started in this time range" />
          ) : (
            <PathsView data={data} />
          )
        }
      </ApiState>
    </>
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
  const rows = topPaths(data.firstSteps).slice(0, TOP_PATHS);
  return (
    <TableCard title="Most common paths" aside={<span className="muted small">up to {data.depth} tool calls</span>}>
      <div className="table-wrap">
        <table className="table" data-testid="top-paths-table">
          <thead>
            <tr>
              <th>Path</th>
              <th className="num">Sessions</th>
              <th className="num">Ended there</th>
              <th className="num">After an error</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ tools, node }) => (
              <tr key={tools.join('\u0000')}>
                <td title={tools.map(revealControls).join(' → ')}>
                  <div className="path-cell mono">
                    {tools.map((tool, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: a path's steps, in order; a tool may repeat
                      <span key={i}>
                        {i > 0 && <span className="muted"> → </span>}
                        <DataText value={tool} />
                      </span>
                    ))}
                  </div>
                </td>
                <td className="num">{formatCount(node.sessions)}</td>
                <td className="num">{formatCount(node.ended)}</td>
                <td className={node.endedAfterError > 0 ? 'num error-text' : 'num muted'}>
                  {formatCount(node.endedAfterError)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </TableCard>
  );
}

function DropOffTable({ data }: { data: ToolPathsResponse }) {
  return (
    <TableCard title="Last tool before sessions go quiet">
      <div className="table-wrap">
        <table className="table" data-testid="drop-off-table">
          <thead>
            <tr>
              <th>Tool</th>
              <th className="num" title="Ended sessions that called the tool">
                Reached
              </th>
              <th className="num" title="Ended sessions whose last tool call was this one">
                Last call
              </th>
              <th className="num">Drop-off</th>
            </tr>
          </thead>
          <tbody>
            {data.dropOff.map((row) => (
              <tr key={row.tool} data-tool={row.tool}>
                <td>
                  <ToolLink name={row.tool} />
                </td>
                <td className="num">{formatCount(row.reached)}</td>
                <td className="num">{formatCount(row.ended)}</td>
                <td className="num">{formatPercent(row.dropOffRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </TableCard>
  );
}

function EndsAfterErrorTable({ data }: { data: ToolPathsResponse }) {
  return (
    <TableCard title="Sessions that end after an error">
      {data.endsAfterError.length === 0 ? (
        <p className="muted padded-text" data-testid="no-error-endings">
          No ended session's last tool call failed in this range.
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="ends-after-error-table">
            <thead>
              <tr>
                <th>Failing tool</th>
                <th className="num">Sessions</th>
                <th>Recent sessions</th>
              </tr>
            </thead>
            <tbody>
              {data.endsAfterError.map((row) => (
                <tr key={row.tool} data-tool={row.tool}>
                  <td>
                    <ToolLink name={row.tool} />
                  </td>
                  <td className="num error-text">{formatCount(row.sessions)}</td>
                  <td className="example-sessions">
                    {row.exampleSessionIds.map((id) => (
                      <Link key={id} className="mono" to={paths.session(id)} title={id}>
                        {shortId(id)}
                      </Link>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </TableCard>
  );
}

/** A card whose body is a table, edge to edge under its heading. */
function TableCard({ title, aside, children }: { title: string; aside?: ReactNode; children: ReactNode }) {
  return (
    <section className="card flush">
      <div className="card-head padded">
        <h2>{title}</h2>
        {aside}
      </div>
      {children}
    </section>
  );
}
