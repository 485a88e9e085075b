import { useApi } from '../api/use-api';
import { ClientList } from '../components/client-list';
import { ApiState } from '../components/api-state';
import { InstrumentSnippet } from '../components/instrument-snippet';
import { PageHeader } from '../components/page-header';
import { Pager, usePage } from '../components/pager';
import { DataTable, countTone } from '../components/data-table';
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
              <DataTable
                testId="users-table"
                rows={data.users}
                rowKey={(u) => u.id}
                rowProps={(u) => ({ 'data-user-id': u.id })}
                columns={[
                  {
                    header: 'User',
                    cell: (u) => (
                      <>
                        <UserLabel id={u.id} name={u.name} />
                        {u.name && u.name !== u.id && (
                          <div className="muted small mono user-id">
                            <DataText value={u.id} />
                          </div>
                        )}
                      </>
                    ),
                  },
                  { header: 'First seen', cell: (u) => <TimeText value={u.firstSeen} /> },
                  { header: 'Last seen', cell: (u) => <TimeText value={u.lastSeen} /> },
                  { header: 'Sessions', numeric: true, cell: (u) => formatCount(u.sessionCount) },
                  { header: 'Events', numeric: true, cell: (u) => formatCount(u.eventCount) },
                  {
                    header: 'Errors',
                    numeric: true,
                    cell: (u) => formatCount(u.errorCount),
                    cellProps: (u) => ({ className: countTone(u.errorCount) }),
                  },
                  { header: 'Clients', cell: (u) => <ClientList clients={u.clients} /> },
                ]}
              />
              <Pager nextCursor={data.nextCursor} />
            </>
          )
        }
      </ApiState>
    </>
  );
}
