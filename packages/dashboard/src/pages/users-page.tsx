import { useApi } from '../api/use-api';
import { ClientList } from '../components/client-list';
import { ApiState } from '../components/api-state';
import { InstrumentSnippet } from '../components/instrument-snippet';
import { PageHeader } from '../components/page-header';
import { Pager, usePage } from '../components/pager';
import { DataText } from '../components/data-text';
import { TimeText } from '../components/time-text';
import { UserLabel } from '../components/user-label';
import { formatCount } from '../format/format-number';

const PAGE_SIZE = 50;

export function UsersPage() {
  const { cursor } = usePage();
  const list = useApi((api) => api.get('/v1/users', { query: { limit: PAGE_SIZE, cursor } }), [cursor]);

  return (
    <>
      <PageHeader title="Users" subtitle="Identified users, most recently seen first (all time)" />
      <ApiState result={list}>
        {(data) =>
          data.users.length === 0 && !cursor ? (
            <InstrumentSnippet title="No identified users yet">
              <p>
                Users appear when your server&apos;s <code>identify</code> callback returns a user id. Requests without
                one are still recorded, as anonymous sessions.
              </p>
            </InstrumentSnippet>
          ) : (
            <>
              <div className="table-wrap">
                <table className="table" data-testid="users-table">
                  <thead>
                    <tr>
                      <th>User</th>
                      <th>First seen</th>
                      <th>Last seen</th>
                      <th className="num">Sessions</th>
                      <th className="num">Events</th>
                      <th className="num">Errors</th>
                      <th>Clients</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.users.map((u) => (
                      <tr key={u.id} data-user-id={u.id}>
                        <td>
                          <UserLabel id={u.id} name={u.name} />
                          {u.name && u.name !== u.id && (
                            <div className="muted small mono user-id">
                              <DataText value={u.id} />
                            </div>
                          )}
                        </td>
                        <td>
                          <TimeText value={u.firstSeen} />
                        </td>
                        <td>
                          <TimeText value={u.lastSeen} />
                        </td>
                        <td className="num">{formatCount(u.sessionCount)}</td>
                        <td className="num">{formatCount(u.eventCount)}</td>
                        <td className={u.errorCount > 0 ? 'num error-text' : 'num muted'}>
                          {formatCount(u.errorCount)}
                        </td>
                        <td>
                          <ClientList clients={u.clients} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager nextCursor={data.nextCursor} />
            </>
          )
        }
      </ApiState>
    </>
  );
}
