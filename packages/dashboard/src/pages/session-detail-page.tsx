import type { EventView, SessionDetailResponse } from '@mcptrail/protocol';
import { useEffect, useState, type ReactNode } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { useApi } from '../api/use-api';
import { ClientName } from '../components/client-name';
import { ApiState } from '../components/api-state';
import { detailPlaceholders } from '../components/detail-placeholders';
import { DataText } from '../components/data-text';
import { EventDetails } from '../components/event-details';
import { FlushCard } from '../components/flush-card';
import { KindBadge } from '../components/kind-badge';
import { PageHeader } from '../components/page-header';
import { StatusBadge } from '../components/status-badge';
import { TimeText } from '../components/time-text';
import { UserLabel } from '../components/user-label';
import { formatDuration, formatOffset } from '../format/format-duration';
import { formatCount } from '../format/format-number';
import { revealControls } from '../format/reveal-controls';
import { paths } from '../routes/paths';
import { useRouteId } from '../routes/use-route-id';

export function SessionDetailPage() {
  const id = useRouteId();
  const location = useLocation();
  const navigate = useNavigate();
  const detail = useApi((api) => api.get('/v1/sessions/:id', { params: { id } }), [id]);
  const mergedFrom = (location.state as { mergedFrom?: string } | null)?.mergedFrom;

  // An id that disappeared in a merge answers with the surviving session: move the URL there.
  const survivor = detail.data?.session.id;
  useEffect(() => {
    if (survivor && survivor !== id) {
      navigate(`${paths.session(survivor)}${location.search}`, { replace: true, state: { mergedFrom: id } });
    }
  }, [survivor, id, navigate, location.search]);

  return (
    <ApiState result={detail} {...detailPlaceholders('Session', id, { to: '/sessions', label: 'All sessions' })}>
      {(data) => <SessionView detail={data} mergedFrom={survivor !== id ? id : mergedFrom} />}
    </ApiState>
  );
}

function SessionView({ detail, mergedFrom }: { detail: SessionDetailResponse; mergedFrom: string | undefined }) {
  const { session, events } = detail;
  const [params] = useSearchParams();
  const focus = params.get('event');
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set(focus ? [focus] : []));
  const toggle = (eventId: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(eventId)) next.delete(eventId);
      else next.add(eventId);
      return next;
    });

  const start = Date.parse(session.startedAt);
  const span = Math.max(
    1,
    ...events.map((e) => Date.parse(e.timestamp) - start + (e.durationMs ?? 0)),
    Date.parse(session.endedAt) - start,
  );
  const summary: { term: string; value: ReactNode; className?: string }[] = [
    { term: 'User', value: <UserLabel id={session.userId} name={session.userName} /> },
    {
      term: 'Client',
      value: (
        <>
          <ClientName raw={session.clientName} version={session.clientVersion} />
          {session.clientVersion && (
            <span className="muted">
              {' '}
              <DataText value={session.clientVersion} />
            </span>
          )}
        </>
      ),
    },
    { term: 'First event', value: <TimeText value={session.startedAt} /> },
    { term: 'Last event', value: <TimeText value={session.endedAt} /> },
    { term: 'Duration', value: formatDuration(session.durationMs) },
    { term: 'Events', value: formatCount(session.eventCount) },
    {
      term: 'Errors',
      value: formatCount(session.errorCount),
      className: session.errorCount > 0 ? 'error-text' : undefined,
    },
  ];

  return (
    <>
      <PageHeader
        documentTitle={`Session ${session.id}`}
        title={
          <>
            Session{' '}
            <span className="mono title-id" data-testid="session-id">
              {session.id}
            </span>
          </>
        }
        subtitle={
          <>
            <KindBadge basis={session.basis} />{' '}
            {session.transportSessionId && (
              <span className="muted" title="transport session id">
                transport <DataText className="mono" value={session.transportSessionId} />
              </span>
            )}
          </>
        }
      />
      {mergedFrom && mergedFrom !== session.id && (
        <div className="notice" data-testid="merged-notice">
          <DataText className="mono" value={mergedFrom} /> was merged into this session when a later event joined two
          sessions.
        </div>
      )}
      <dl className="summary card" data-testid="session-summary">
        {summary.map(({ term, value, className }) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd className={className}>{value}</dd>
          </div>
        ))}
      </dl>

      <FlushCard
        title="Requests"
        aside={
          <div className="page-actions">
            <button
              type="button"
              className="button secondary small"
              onClick={() => setOpen(new Set(events.map((e) => e.id)))}
            >
              Expand all
            </button>
            <button type="button" className="button secondary small" onClick={() => setOpen(new Set())}>
              Collapse all
            </button>
          </div>
        }
      >
        {/* biome-ignore lint/a11y/useSemanticElements: one grid of rows, its header row no item, which <ul> forbids */}
        <div className="waterfall" role="list" data-testid="event-list">
          <div className="waterfall-row head" aria-hidden="true">
            <span>#</span>
            <span>Method</span>
            <span>Target</span>
            <span className="num">Start</span>
            <span>Timeline</span>
            <span className="num">Duration</span>
            <span>Status</span>
          </div>
          {events.map((event, index) => (
            <EventRow
              key={event.id}
              event={event}
              index={index}
              start={start}
              span={span}
              open={open.has(event.id)}
              onToggle={() => toggle(event.id)}
            />
          ))}
        </div>
      </FlushCard>
    </>
  );
}

function EventRow(props: {
  event: EventView;
  index: number;
  start: number;
  span: number;
  open: boolean;
  onToggle(): void;
}) {
  const { event, index, start, span, open, onToggle } = props;
  const offset = Date.parse(event.timestamp) - start;
  const left = Math.min(100, Math.max(0, (offset / span) * 100));
  const width = Math.min(100 - left, Math.max(0, ((event.durationMs ?? 0) / span) * 100));
  const panelId = `event-panel-${index}`;
  return (
    // biome-ignore lint/a11y/useSemanticElements: an item of the grid above
    <div
      role="listitem"
      className={event.isError ? 'waterfall-item failed' : 'waterfall-item'}
      data-event-id={event.id}
    >
      <button type="button" className="waterfall-row" aria-expanded={open} aria-controls={panelId} onClick={onToggle}>
        <span className="muted">
          <span className="chevron" aria-hidden="true">
            {open ? '▾' : '▸'}
          </span>
          {index + 1}
        </span>
        <span className="mono method" title={revealControls(event.method)}>
          <DataText value={event.method} />
        </span>
        <span className="target" title={event.target ? revealControls(event.target) : undefined}>
          {event.target ? <DataText value={event.target} /> : <span className="muted">—</span>}
        </span>
        <span className="num muted">{formatOffset(offset)}</span>
        <span className="bar-track" title={`${formatOffset(offset)} · ${formatDuration(event.durationMs)}`}>
          {/* min(): a request at the very end still shows its 3px sliver inside the track. */}
          <span className="bar" style={{ left: `min(${left}%, calc(100% - 3px))`, width: `${width}%` }} />
        </span>
        <span className="num">{formatDuration(event.durationMs)}</span>
        <span>
          <StatusBadge isError={event.isError} />
        </span>
      </button>
      {open && (
        <div id={panelId} className="waterfall-panel">
          <EventDetails event={event} />
        </div>
      )}
    </div>
  );
}
