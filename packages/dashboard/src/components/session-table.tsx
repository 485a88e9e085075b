import type { SessionView } from '@mcptrail/protocol';
import { Link } from 'react-router-dom';
import { formatDuration } from '../format/format-duration';
import { formatCount } from '../format/format-number';
import { shortId } from '../format/short-id';
import { paths } from '../routes/paths';
import { ClientName } from './client-name';
import { DataTable, countTone } from './data-table';
import { KindBadge } from './kind-badge';
import { TimeText } from './time-text';
import { UserLabel } from './user-label';

/** Sessions as the API lists them: by last activity, newest first — the one column marked as sorted. */
export function SessionTable({ sessions, showUser = true }: { sessions: SessionView[]; showUser?: boolean }) {
  return (
    <DataTable
      testId="sessions-table"
      rows={sessions}
      rowKey={(s) => s.id}
      rowProps={(s) => ({ 'data-session-id': s.id })}
      columns={[
        {
          header: 'Session',
          cell: (s) => (
            <Link className="mono" to={paths.session(s.id)} title={s.id}>
              {shortId(s.id)}
            </Link>
          ),
        },
        {
          header: (
            <>
              Last activity <span aria-hidden="true">↓</span>
            </>
          ),
          headerProps: {
            'aria-sort': 'descending',
            title: "Sorted by the start of the session's last request, newest first",
            'data-testid': 'sort-column',
          },
          cell: (s) => <TimeText value={s.endedAt} />,
          cellClass: 'last-activity',
        },
        showUser && { header: 'User', cell: (s) => <UserLabel id={s.userId} name={s.userName} /> },
        { header: 'Client', cell: (s) => <ClientName raw={s.clientName} version={s.clientVersion} /> },
        { header: 'Events', numeric: true, cell: (s) => formatCount(s.eventCount) },
        {
          header: 'Errors',
          numeric: true,
          cell: (s) => formatCount(s.errorCount),
          cellProps: (s) => ({ className: countTone(s.errorCount) }),
        },
        { header: 'Duration', numeric: true, cell: (s) => formatDuration(s.durationMs) },
        { header: 'Started', cell: (s) => <TimeText value={s.startedAt} />, cellClass: 'muted' },
        { header: 'Kind', cell: (s) => <KindBadge basis={s.basis} /> },
      ]}
    />
  );
}
