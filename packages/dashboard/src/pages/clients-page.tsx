import type { ClientsResponse, ClientToolCellView } from '@mcptrail/protocol';
import { Link } from 'react-router-dom';
import { ClientName } from '../components/client-name';
import { DataTable, countTone } from '../components/data-table';
import { DataText } from '../components/data-text';
import { FlushCard } from '../components/flush-card';
import { EmptyState } from '../components/empty-state';
import { RangePage } from '../components/range-page';
import { clientDisplayName } from '../clients/client-names';
import { formatDuration } from '../format/format-duration';
import { formatCount, formatPercent } from '../format/format-number';
import { revealControls } from '../format/reveal-controls';
import { paths } from '../routes/paths';

/**
 * The matrix shows the clients and tools with the most calls; flagged cells are listed above it whatever their rank.
 */
const MATRIX_CLIENTS = 8;
const MATRIX_TOOLS = 10;

/**
 * Which client breaks which tool: calls by client, version and protocol, and client × tool against each tool's average.
 */
export function ClientsPage() {
  return (
    <RangePage
      title="Clients"
      subtitle="Tool calls by client (the session's client), version and protocol"
      load={(api, range) => api.get('/v1/insights/clients', { query: range })}
    >
      {(data) =>
        data.rows.length === 0 ? (
          <EmptyState title="No tool calls in this time range" />
        ) : (
          <>
            <FlaggedCells data={data} />
            <ToolMatrix data={data} />
            <VersionTable data={data} />
          </>
        )
      }
    </RangePage>
  );
}

const ruleText = ({ flagRule }: ClientsResponse) =>
  `A cell is flagged when it has at least ${flagRule.minCalls} calls and its error rate is at least ` +
  `${flagRule.ratio}× the tool's and at least ${Math.round(flagRule.marginPoints * 100)} percentage points above it.`;

function cellTitle(cell: ClientToolCellView, toolRate: number): string {
  return revealControls(
    `${clientDisplayName(cell.clientName)} · ${cell.tool}: ` +
      `${formatPercent(cell.errorRate)} of ${formatCount(cell.calls)} calls failed ` +
      `(${formatCount(cell.invalidArguments)} with invalid arguments); ` +
      `the tool's average is ${formatPercent(toolRate)}`,
  );
}

const invalidNote = (cell: ClientToolCellView) =>
  cell.invalidArguments > 0 ? ` (${formatCount(cell.invalidArguments)} invalid arguments)` : '';

function FlaggedCells({ data }: { data: ClientsResponse }) {
  const flagged = data.cells.filter((c) => c.flagged);
  const toolRate = new Map(data.tools.map((t) => [t.tool, t.errorRate]));
  return (
    <section className={flagged.length > 0 ? 'notice warn' : 'notice'} data-testid="flagged-cells">
      {flagged.length === 0 ? (
        <p>No client does much worse with a tool than the tool's average. {ruleText(data)}</p>
      ) : (
        <>
          <p>
            <strong>
              {flagged.length} client{flagged.length === 1 ? '' : 's'} × tool much worse than the tool's average.
            </strong>{' '}
            {ruleText(data)}
          </p>
          <ul className="flagged-list">
            {flagged.map((cell) => (
              <li key={`${cell.clientName}\u0000${cell.tool}`} data-flagged={`${cell.clientName ?? ''} ${cell.tool}`}>
                <ClientName raw={cell.clientName} /> with{' '}
                <Link className="mono tool-name" to={paths.tool(cell.tool)} title={revealControls(cell.tool)}>
                  <DataText value={cell.tool} />
                </Link>
                : {formatPercent(cell.errorRate)} of {formatCount(cell.calls)} calls failed
                {invalidNote(cell)}, against {formatPercent(toolRate.get(cell.tool) ?? 0)} for the tool.
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function ToolMatrix({ data }: { data: ClientsResponse }) {
  const clients = [...new Set(data.rows.map((r) => r.clientName))].slice(0, MATRIX_CLIENTS);
  const tools = data.tools.slice(0, MATRIX_TOOLS);
  const cellOf = new Map(data.cells.map((c) => [`${c.clientName ?? ''}\u0000${c.tool}`, c]));
  return (
    <FlushCard
      title="Error rate by client and tool"
      aside={
        <span className="muted small">
          {clients.length < new Set(data.rows.map((r) => r.clientName)).size || tools.length < data.tools.length
            ? `The ${clients.length} clients and ${tools.length} tools with the most calls`
            : 'Every client and tool'}
        </span>
      }
    >
      <div className="table-wrap">
        <table className="table compact client-matrix" data-testid="client-matrix">
          <thead>
            <tr>
              <th>Client</th>
              {tools.map((t) => (
                <th
                  key={t.tool}
                  className="num"
                  title={revealControls(
                    `${t.tool}: ${formatPercent(t.errorRate)} of ${formatCount(t.calls)} calls failed ` +
                      'over every client',
                  )}
                >
                  <span className="matrix-tool">
                    <DataText value={t.tool} />
                  </span>
                </th>
              ))}
            </tr>
            <tr className="matrix-average">
              <th>All clients</th>
              {tools.map((t) => (
                <th key={t.tool} className="num">
                  {formatPercent(t.errorRate)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {clients.map((client) => (
              <tr key={client ?? ''}>
                <td>
                  <ClientName raw={client} />
                </td>
                {tools.map((t) => {
                  const cell = cellOf.get(`${client ?? ''}\u0000${t.tool}`);
                  if (!cell)
                    return (
                      <td key={t.tool} className="num muted">
                        ·
                      </td>
                    );
                  return (
                    <td
                      key={t.tool}
                      className={cell.flagged ? 'num cell-flagged' : 'num'}
                      title={cellTitle(cell, t.errorRate)}
                      data-cell={`${client ?? ''} ${t.tool}`}
                    >
                      {cell.flagged && (
                        <span role="img" aria-label="flagged">
                          ⚠{' '}
                        </span>
                      )}
                      {formatPercent(cell.errorRate)}
                      <span className="muted small"> ({formatCount(cell.calls)})</span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </FlushCard>
  );
}

function VersionTable({ data }: { data: ClientsResponse }) {
  return (
    <FlushCard title="By client version and protocol">
      <DataTable
        testId="client-versions"
        rows={data.rows}
        rowKey={(row) => `${row.clientName}\u0000${row.clientVersion}\u0000${row.protocolVersion}`}
        columns={[
          { header: 'Client', cell: (row) => <ClientName raw={row.clientName} version={row.clientVersion} /> },
          {
            header: 'Version',
            cell: (row) => <DataText value={row.clientVersion ?? '—'} />,
            cellClass: 'mono',
          },
          { header: 'Protocol', cell: (row) => row.protocolVersion ?? '—', cellClass: 'mono' },
          { header: 'Calls', numeric: true, cell: (row) => formatCount(row.calls) },
          {
            header: 'Error rate',
            numeric: true,
            cell: (row) => formatPercent(row.errorRate),
            cellProps: (row) => ({ className: countTone(row.errors) }),
          },
          {
            header: 'Invalid arguments',
            numeric: true,
            headerProps: { title: "Failures of class invalid arguments: the arguments failed the tool's input schema" },
            cell: (row) => formatPercent(row.invalidArgumentsRate),
            cellProps: (row) => ({ className: countTone(row.invalidArguments) }),
          },
          { header: 'p95', numeric: true, cell: (row) => formatDuration(row.p95Ms) },
        ]}
      />
    </FlushCard>
  );
}
