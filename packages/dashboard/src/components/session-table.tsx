import type { SessionView } from '@mcptrail/protocol';
import { Link } from 'react-router-dom';
import { formatDuration } from '../format/format-duration';
import { formatCount } from '../format/format-number';
import { shortId } from '../format/short-id';
import { ClientName } from './client-name';
import { KindBadge } from './kind-badge';
import { TimeText } from './time-text';
import { UserLabel } from './user-label';

export function SessionTable({ sessions, showUser = true }: { sessions: SessionView[]; showUser?: boolean }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="sessions-table">
        <thead>
          <tr>
            <th>Session</th>
            {showUser && <th>User</th>}
            <th>Client</th>
            <th>Kind</th>
            <th>Started</th>
            <th className="num">Duration</th>
            <th className="num">Events</th>
            <th className="num">Errors</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id} data-session-id={s.id}>
              <td>
                <Link className="mono" to={`/sessions/${encodeURIComponent(s.id)}`} title={s.id}>
                  {shortId(s.id)}
                </Link>
              </td>
              {showUser && (
                <td>
                  <UserLabel id={s.userId} name={s.userName} />
                </td>
              )}
              <td>
                <ClientName raw={s.clientName} version={s.clientVersion} />
              </td>
              <td>
                <KindBadge basis={s.basis} />
              </td>
              <td>
                <TimeText value={s.startedAt} />
              </td>
              <td className="num">{formatDuration(s.durationMs)}</td>
              <td className="num">{formatCount(s.eventCount)}</td>
              <td className={s.errorCount > 0 ? 'num error-text' : 'num muted'}>{formatCount(s.errorCount)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
