import type { EventView } from '@mcptrail/protocol';
import { formatDuration } from '../format/format-duration';
import { ClientName } from './client-name';
import { DataText } from './data-text';
import { JsonBlock } from './json-block';
import { LongText } from './long-text';
import { TimeText } from './time-text';

/** Everything an event carried: arguments, result, error and metadata, all as text. */
export function EventDetails({ event }: { event: EventView }) {
  return (
    <div className="event-details" data-testid="event-details">
      {event.error && (
        <div className="event-error">
          <div className="json-label">Error</div>
          <p className="error-text">
            {event.error.type && (
              <strong>
                <DataText value={event.error.type} />:{' '}
              </strong>
            )}
            <LongText value={event.error.message} />
            {event.error.code && (
              <span className="muted">
                {' '}
                (code <DataText value={event.error.code} />)
              </span>
            )}
          </p>
          {event.error.stack && (
            <pre className="code small">
              <DataText value={event.error.stack} />
            </pre>
          )}
        </div>
      )}
      <div className="json-pair">
        <JsonBlock label="Arguments" value={event.arguments} />
        <JsonBlock label="Result" value={event.result} />
      </div>
      <dl className="meta-grid">
        <dt>Event id</dt>
        <dd className="mono">
          <DataText value={event.id} />
        </dd>
        <dt>Started</dt>
        <dd>
          <TimeText value={event.timestamp} />
        </dd>
        <dt>Duration</dt>
        <dd>{formatDuration(event.durationMs)}</dd>
        <dt>Client</dt>
        <dd>
          <ClientName raw={event.client?.name} version={event.client?.version} />
          {event.client?.version && (
            <span className="muted">
              {' '}
              <DataText value={event.client.version} />
            </span>
          )}
        </dd>
        <dt>Server</dt>
        <dd>
          {event.server ? (
            <DataText value={`${event.server.name}${event.server.version ? ` ${event.server.version}` : ''}`} />
          ) : (
            '—'
          )}
        </dd>
        <dt>Transport</dt>
        <dd>
          {event.transport ? <DataText value={event.transport} /> : '—'}
          {event.transportSessionId && (
            <span className="muted mono">
              {' '}
              · <DataText value={event.transportSessionId} />
            </span>
          )}
        </dd>
        <dt>Protocol</dt>
        <dd>{event.protocolVersion ? <DataText value={event.protocolVersion} /> : '—'}</dd>
        <dt>Received</dt>
        <dd>
          <TimeText value={event.receivedAt} />
        </dd>
      </dl>
      {event.tags && hasKeys(event.tags) && (
        <div>
          <div className="json-label">Tags</div>
          <div className="tag-list">
            {Object.entries(event.tags).map(([name, value]) => (
              <span key={name} className="chip mono">
                <DataText value={`${name}=${value}`} />
              </span>
            ))}
          </div>
        </div>
      )}
      {(hasKeys(event.properties) || event.user?.data != null) && (
        <div className="json-pair">
          {hasKeys(event.properties) && <JsonBlock label="Properties" value={event.properties} />}
          {event.user?.data != null && <JsonBlock label="User data" value={event.user.data} />}
        </div>
      )}
    </div>
  );
}

function hasKeys(value: Record<string, unknown> | null | undefined): boolean {
  return value != null && Object.keys(value).length > 0;
}
