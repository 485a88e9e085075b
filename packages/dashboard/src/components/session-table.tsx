import type { SessionView } from '@mcptrail/protocol';
import { Link } from 'react-router-dom';
import { formatDuration } from '../format/format-duration';
import { formatCount } from '../format/format-number';
import { shortId } from '../format/short-id';
import { paths } from '../routes/paths';
import { ClientName } from './client-name';
import { KindBadge } from './kind-badge';
import { TimeText } from './time-text';
import { UserLabel } from './user-label';

/** Sessions as the API lists them: by last activity, newest first — the one column marked as sorted. */
export function SessionTable({ sessions, showUser = true }: { sessions: SessionView[]; showUser?: boolean }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="sessions-table">
        <thead>
          <tr>
            <th>Session</th>
            <th
              aria-sort="descending"
              title="Sorted by the start of the session's last request, newest first"
              data-testid="sort-column"
            >
              Last activity <span aria-hidden="true">↓</span>
            </th>
            {showUser && <th>User</th>}
            <th>Client</th>
            <th className="num">Events</th>
            <th className="num">Errors</th>
            <th className="num">Duration</th>
            <th>Started</th>
            <th>Kind</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id} data-session-id={s.id}>
              <td>
                <Link className="mono" to={paths.session(s.id)} title={s.id}>
                  {shortId(s.id)}
                </Link>
              </td>
              <td className="last-activity">
                <TimeText value={s.endedAt} />
              </td>
              {showUser && (
                <td>
                  <UserLabel id={s.userId} name={s.userName} />
                </td>
              )}
              <td>
                <ClientName raw={s.clientName} version={s.clientVersion} />
              </td>
              <td className="num">{formatCount(s.eventCount)}</td>
              <td className={s.errorCount > 0 ? 'num error-text' : 'num muted'}>{formatCount(s.errorCount)}</td>
              <td className="num">{formatDuration(s.durationMs)}</td>
              <td className="muted">
                <TimeText value={s.startedAt} />
              </td>
              <td>
                <KindBadge basis={s.basis} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
