import type { UserDetailResponse } from '@mcptrail/protocol';
import { Link } from 'react-router-dom';
import { useApi } from '../api/use-api';
import { ApiState } from '../components/api-state';
import { FlushCard } from '../components/flush-card';
import { detailPlaceholders } from '../components/detail-placeholders';
import { DataText } from '../components/data-text';
import { PageHeader } from '../components/page-header';
import { SessionTable } from '../components/session-table';
import { StatCard } from '../components/stat-card';
import { TimeText } from '../components/time-text';
import { formatCount } from '../format/format-number';
import { ClientList } from '../components/client-list';
import { paths } from '../routes/paths';
import { useRouteId } from '../routes/use-route-id';

export function UserDetailPage() {
  const id = useRouteId();
  const detail = useApi((api) => api.get('/v1/users/:id', { params: { id } }), [id]);

  return (
    <ApiState result={detail} {...detailPlaceholders('User', id, { to: '/users', label: 'All users' })}>
      {({ user, sessions }) => <UserView user={user} sessions={sessions} />}
    </ApiState>
  );
}

function UserView({ user, sessions }: UserDetailResponse) {
  return (
    <>
      <PageHeader
        documentTitle={`User ${user.name ?? user.id}`}
        title={
          <span data-testid="user-title">
            <DataText value={user.name ?? user.id} />
          </span>
        }
        subtitle={
          <>
            {user.name && user.name !== user.id && (
              <span className="mono" data-testid="user-id">
                <DataText value={user.id} /> ·{' '}
              </span>
            )}
            <ClientList clients={user.clients} />
          </>
        }
      />
      <div className="stat-grid">
        <StatCard label="Sessions" value={formatCount(user.sessionCount)} />
        <StatCard label="Events" value={formatCount(user.eventCount)} />
        <StatCard label="Errors" value={formatCount(user.errorCount)} />
        <StatCard label="First seen" value={<TimeText value={user.firstSeen} />} />
        <StatCard label="Last seen" value={<TimeText value={user.lastSeen} />} />
      </div>
      <FlushCard
        title="Sessions across clients"
        aside={<Link to={paths.sessions({ user: user.id })}>Filter sessions →</Link>}
      >
        {sessions.length > 0 ? (
          <SessionTable sessions={sessions} showUser={false} />
        ) : (
          <p className="muted padded">No sessions.</p>
        )}
      </FlushCard>
    </>
  );
}
