import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useApi } from '../api/use-api';
import { clientDisplayName } from '../clients/client-names';
import { ApiState } from '../components/api-state';
import { InstrumentSnippet } from '../components/instrument-snippet';
import { SESSION_KINDS } from '../components/kind-badge';
import { PageHeader } from '../components/page-header';
import { Pager } from '../components/pager';
import { SessionTable } from '../components/session-table';
import { TimeRangePicker, useTimeRange } from '../components/time-range';

const PAGE_SIZE = 50;

/** Filters live in the URL (`?user=&client=&kind=&errors=`), so a filtered list can be bookmarked. */
export function SessionsPage() {
  const { range } = useTimeRange();
  const [params, setParams] = useSearchParams();
  const user = params.get('user') ?? '';
  const client = params.get('client') ?? '';
  const kindParam = params.get('kind');
  const kind = SESSION_KINDS.find((k) => k === kindParam);
  const errors = params.get('errors');
  const hasError = errors === 'yes' ? true : errors === 'no' ? false : undefined;
  const cursor = params.get('cursor') ?? undefined;
  const filtered = Boolean(user || client || kind || hasError !== undefined);

  const list = useApi(
    (api) =>
      api.get('/v1/sessions', {
        query: { user: user || undefined, client: client || undefined, kind, hasError, from: range.from, to: range.to, limit: PAGE_SIZE, cursor },
      }),
    [user, client, kind, hasError, range.from, range.to, cursor],
  );
  // The choices for the client and user filters.
  const choices = useApi(
    async (api) => {
      const [stats, users] = await Promise.all([api.get('/v1/stats', { query: range }), api.get('/v1/users', { query: { limit: 100 } })]);
      return { clients: stats.clients, users: users.users };
    },
    [range.from, range.to],
  );

  function setFilter(name: string, value: string) {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    next.delete('cursor');
    setParams(next);
  }

  const [userDraft, setUserDraft] = useState(user);
  useEffect(() => setUserDraft(user), [user]);
  function applyUser(e: FormEvent) {
    e.preventDefault();
    setFilter('user', userDraft.trim());
  }

  const clientNames = new Set((choices.data?.clients ?? []).map((c) => c.name).filter((n): n is string => n !== null));
  if (client) clientNames.add(client);

  return (
    <>
      <PageHeader title="Sessions" subtitle="Most recent activity first" actions={<TimeRangePicker />} />
      <div className="filters card" role="search">
        <form className="filter" onSubmit={applyUser}>
          <label htmlFor="filter-user">User</label>
          <div className="input-row">
            <input
              id="filter-user"
              list="known-users"
              value={userDraft}
              onChange={(e) => setUserDraft(e.target.value)}
              placeholder="user id"
              data-testid="filter-user"
            />
            <button type="submit" className="button secondary small">
              Apply
            </button>
          </div>
          <datalist id="known-users">
            {(choices.data?.users ?? []).map((u) => (
              <option key={u.id} value={u.id}>
                {u.name ?? u.id}
              </option>
            ))}
          </datalist>
        </form>
        <div className="filter">
          <label htmlFor="filter-client">Client</label>
          <select id="filter-client" value={client} onChange={(e) => setFilter('client', e.target.value)} data-testid="filter-client">
            <option value="">All clients</option>
            {[...clientNames].map((name) => (
              <option key={name} value={name}>
                {clientDisplayName(name) === name ? name : `${clientDisplayName(name)} (${name})`}
              </option>
            ))}
          </select>
        </div>
        <div className="filter">
          <label htmlFor="filter-kind">Kind</label>
          <select id="filter-kind" value={kind ?? ''} onChange={(e) => setFilter('kind', e.target.value)} data-testid="filter-kind">
            <option value="">All kinds</option>
            {SESSION_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </div>
        <div className="filter">
          <label htmlFor="filter-errors">Errors</label>
          <select id="filter-errors" value={errors ?? ''} onChange={(e) => setFilter('errors', e.target.value)} data-testid="filter-errors">
            <option value="">Any</option>
            <option value="yes">With errors</option>
            <option value="no">Without errors</option>
          </select>
        </div>
        {filtered && (
          <Link className="clear-filters" to="/sessions">
            Clear filters
          </Link>
        )}
      </div>

      <ApiState result={list}>
        {(data) =>
          data.sessions.length === 0 ? (
            filtered || cursor ? (
              <div className="card empty-small" data-testid="no-sessions">
                No sessions match these filters in this time range. <Link to="/sessions">Clear filters</Link>
              </div>
            ) : (
              <InstrumentSnippet title="No sessions in this time range" />
            )
          ) : (
            <>
              <div className={list.loading ? 'stale' : undefined}>
                <SessionTable sessions={data.sessions} />
              </div>
              <Pager nextCursor={data.nextCursor} hasCursor={cursor !== undefined} />
            </>
          )
        }
      </ApiState>
    </>
  );
}
