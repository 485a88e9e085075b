import type { FailureClass, FailureClusterView, FailuresResponse } from '@mcptrail/protocol';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Sparkline } from '../charts/sparkline';
import { ClientName } from '../components/client-name';
import { DataTable } from '../components/data-table';
import { DataText } from '../components/data-text';
import { FAILURE_CLASSES, FAILURE_CLASS_INFO, FailureClassBadge } from '../components/failure-class-badge';
import { LongText } from '../components/long-text';
import { TimeText } from '../components/time-text';
import { EmptyState } from '../components/empty-state';
import { RangePage } from '../components/range-page';
import { formatCount } from '../format/format-number';
import { revealControls } from '../format/reveal-controls';
import { shortId } from '../format/short-id';
import { paths } from '../routes/paths';

/** Failed requests in clusters, worst first: what broke, for whom, since when, and where to look. */
export function FailuresPage() {
  const [only, setOnly] = useState<FailureClass | null>(null);
  return (
    <RangePage
      title="Failures"
      subtitle="Failed requests grouped by class, tool and message (values masked)"
      load={(api, range) => api.get('/v1/insights/failures', { query: { ...range, limit: 50 } })}
    >
      {(data) =>
        data.failures === 0 ? (
          <EmptyState title="No failures in this time range" />
        ) : (
          <>
            <ClassFilter data={data} only={only} onChange={setOnly} />
            <ClusterTable data={data} clusters={data.clusters.filter((c) => only === null || c.class === only)} />
            {data.clusterCount > data.clusters.length && (
              <p className="muted small" data-testid="clusters-cut">
                The {formatCount(data.clusters.length)} largest of {formatCount(data.clusterCount)} clusters.
              </p>
            )}
          </>
        )
      }
    </RangePage>
  );
}

/** The failures per class, each a button that shows only its clusters. */
function ClassFilter({
  data,
  only,
  onChange,
}: {
  data: FailuresResponse;
  only: FailureClass | null;
  onChange(value: FailureClass | null): void;
}) {
  return (
    <div className="stat-grid failure-classes" data-testid="failure-classes">
      {FAILURE_CLASSES.map((value) => (
        <button
          key={value}
          type="button"
          className={`stat-card failure-class-card${only === value ? ' selected' : ''}`}
          aria-pressed={only === value}
          title={FAILURE_CLASS_INFO[value].help}
          onClick={() => onChange(only === value ? null : value)}
          data-testid={`class-${value}`}
        >
          <span className="stat-label">
            <FailureClassBadge value={value} />
          </span>
          <span className="stat-value">{formatCount(data.byClass[value])}</span>
          <span className="stat-hint">
            {only === value ? 'shown alone · click for all' : `of ${formatCount(data.failures)} failed`}
          </span>
        </button>
      ))}
    </div>
  );
}

function ClusterTable({ data, clusters }: { data: FailuresResponse; clusters: FailureClusterView[] }) {
  const [open, setOpen] = useState<Set<number>>(new Set());
  const toggle = (index: number) =>
    setOpen((was) => {
      const next = new Set(was);
      if (!next.delete(index)) next.add(index);
      return next;
    });
  return (
    <DataTable
      testId="failures-table"
      className="table failure-table"
      rows={clusters}
      rowKey={(cluster) => `${cluster.class}:${cluster.method}:${cluster.tool}:${cluster.code}:${cluster.pattern}`}
      rowProps={(_, index) => ({ className: 'cluster-row', 'data-cluster': index })}
      details={(cluster, index) => open.has(index) && <ClusterDetails cluster={cluster} />}
      columns={[
        {
          header: 'Class',
          cell: (cluster, index) => {
            const expanded = open.has(index);
            return (
              <>
                <button
                  type="button"
                  className="expand-button"
                  aria-expanded={expanded}
                  onClick={() => toggle(index)}
                  title={expanded ? 'Hide details' : 'Show details and example sessions'}
                >
                  <span aria-hidden="true">{expanded ? '▾' : '▸'}</span>
                </button>{' '}
                <FailureClassBadge value={cluster.class} />
              </>
            );
          },
        },
        {
          header: 'Tool',
          cell: (cluster) =>
            cluster.tool !== null ? (
              <Link className="mono tool-name" to={paths.tool(cluster.tool)} title={revealControls(cluster.tool)}>
                <DataText value={cluster.tool} />
              </Link>
            ) : (
              <span className="mono muted">{cluster.method}</span>
            ),
        },
        { header: 'Failures', numeric: true, cell: (cluster) => formatCount(cluster.count) },
        {
          header: 'Trend',
          cell: (cluster) => (
            <Sparkline counts={cluster.trend} start={data.trendStart} bucketMs={data.bucketMs} unit="Failures" />
          ),
        },
        {
          header: 'Message',
          cell: (cluster) => (
            <span className="mono failure-pattern" title={revealControls(cluster.pattern)}>
              <DataText value={cluster.pattern || '(no message)'} />
            </span>
          ),
        },
        { header: 'Users', numeric: true, cell: (cluster) => formatCount(cluster.users) },
        {
          header: 'Clients',
          cell: (cluster) => (
            <>
              <ClientName raw={cluster.clients[0]?.name} />
              {cluster.clients.length > 1 && <span className="muted small"> +{cluster.clients.length - 1}</span>}
            </>
          ),
        },
        { header: 'Last seen', cell: (cluster) => <TimeText value={cluster.lastSeen} /> },
      ]}
    />
  );
}

function ClusterDetails({ cluster }: { cluster: FailureClusterView }) {
  return (
    <div className="cluster-details" data-testid="cluster-details">
      <dl className="cluster-facts">
        <dt>Latest message</dt>
        <dd>
          <LongText value={cluster.sampleMessage || '(none)'} />
        </dd>
        <dt>Code</dt>
        <dd className="mono">
          {cluster.code ?? '—'}
          {cluster.errorType && <span className="muted"> · {cluster.errorType}</span>}
        </dd>
        <dt>Seen</dt>
        <dd>
          <TimeText value={cluster.firstSeen} /> – <TimeText value={cluster.lastSeen} />
        </dd>
        <dt>Clients</dt>
        <dd className="chips">
          {cluster.clients.map((client) => (
            <span key={client.name ?? ''} className="chip">
              <ClientName raw={client.name} /> {formatCount(client.count)}
            </span>
          ))}
        </dd>
        <dt>Examples</dt>
        <dd>
          <ul className="example-list" data-testid="cluster-examples">
            {cluster.examples.map((example) => (
              <li key={example.eventId}>
                <Link
                  to={paths.session(example.sessionId, example.eventId)}
                  className="mono"
                  title={`session ${example.sessionId}, event ${example.eventId}`}
                >
                  {shortId(example.sessionId)}
                </Link>{' '}
                <span className="muted small">
                  <TimeText value={example.timestamp} />
                </span>
              </li>
            ))}
          </ul>
        </dd>
      </dl>
    </div>
  );
}
