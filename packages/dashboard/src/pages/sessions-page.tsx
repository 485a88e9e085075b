import type { SessionListResponse, StatsResponse } from '@mcptrail/protocol';
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useApi } from '../api/use-api';
import { clientDisplayName } from '../clients/client-names';
import { ApiState } from '../components/api-state';
import { ChoiceSelect } from '../components/choice-select';
import { InstrumentSnippet } from '../components/instrument-snippet';
import { SESSION_KINDS } from '../components/kind-badge';
import { PageHeader } from '../components/page-header';
import { Pager, usePage } from '../components/pager';
import { SessionTable } from '../components/session-table';
import { TimeRangePicker, rangeLabel, useTimeRange } from '../components/time-range';
import { formatCount } from '../format/format-number';
import { revealControls } from '../format/reveal-controls';
import { paths } from '../routes/paths';

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
  const { cursor, page } = usePage();
  const filtered = Boolean(user || client || kind || hasError !== undefined);

  const list = useApi(
    (api) =>
      api.get('/v1/sessions', {
        query: {
          user: user || undefined,
          client: client || undefined,
          kind,
          hasError,
          from: range.from,
          to: range.to,
          limit: PAGE_SIZE,
          cursor,
        },
      }),
    [user, client, kind, hasError, range.from, range.to, cursor],
  );
  // The choices for the client and user filters, and the totals the list itself does not give.
  const choices = useApi(
    async (api) => {
      const [stats, users] = await Promise.all([
        api.get('/v1/stats', { query: range }),
        api.get('/v1/users', { query: { limit: 100 } }),
      ]);
      return { stats, users: users.users };
    },
    [range.from, range.to],
  );

  function setFilter(name: string, value: string) {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    next.delete('cursor');
    next.delete('page');
    setParams(next);
  }

  const [userDraft, setUserDraft] = useState(user);
  useEffect(() => setUserDraft(user), [user]);
  function applyUser(e: FormEvent) {
    e.preventDefault();
    setFilter('user', userDraft.trim());
  }

  const statsTotal = totalFromStats(choices.data?.stats, {
    client,
    narrowed: Boolean(user || kind || hasError !== undefined),
  });

  const clientNames = new Set(
    (choices.data?.stats.clients ?? []).map((c) => c.name).filter((n): n is string => n !== null),
  );
  if (client) clientNames.add(client);

  return (
    <>
      <PageHeader title="Sessions" subtitle="Sorted by last activity, newest first" actions={<TimeRangePicker />} />
      {/* biome-ignore lint/a11y/useSemanticElements: <search> is too new for the browsers we support (Safari 17) */}
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
                {revealControls(u.name ?? u.id)}
              </option>
            ))}
          </datalist>
        </form>
        <FilterSelect
          name="client"
          label="Client"
          value={client}
          onChange={(value) => setFilter('client', value)}
          options={[
            { value: '', label: 'All clients' },
            ...[...clientNames].map((name) => ({
              value: name,
              label: revealControls(clientDisplayName(name) === name ? name : `${clientDisplayName(name)} (${name})`),
            })),
          ]}
        />
        <FilterSelect
          name="kind"
          label="Kind"
          value={kind ?? ''}
          onChange={(value) => setFilter('kind', value)}
          options={[{ value: '', label: 'All kinds' }, ...SESSION_KINDS.map((k) => ({ value: k, label: k }))]}
        />
        <FilterSelect
          name="errors"
          label="Errors"
          value={errors ?? ''}
          onChange={(value) => setFilter('errors', value)}
          options={[
            { value: '', label: 'Any' },
            { value: 'yes', label: 'With errors' },
            { value: 'no', label: 'Without errors' },
          ]}
        />
        {filtered && (
          <Link className="clear-filters" to={paths.sessions()}>
            Clear filters
          </Link>
        )}
      </div>

      <ApiState result={list}>
        {(data) =>
          data.sessions.length === 0 ? (
            filtered || cursor ? (
              <div className="card empty-small" data-testid="no-sessions">
                No sessions match these filters in this time range. <Link to={paths.sessions()}>Clear filters</Link>
              </div>
            ) : (
              <InstrumentSnippet title="No sessions in this time range" />
            )
          ) : (
            <>
              <p className="table-caption muted" data-testid="sessions-count">
                Sessions {formatCount((page - 1) * PAGE_SIZE + 1)}–
                {formatCount((page - 1) * PAGE_SIZE + data.sessions.length)}
                {total(data, page, statsTotal)}
                {range.id === 'all' ? '' : ` active in the ${rangeLabel(range).toLowerCase()}`}
              </p>
              <div className={list.loading ? 'stale' : undefined}>
                <SessionTable sessions={data.sessions} />
              </div>
              <Pager nextCursor={data.nextCursor} />
            </>
          )
        }
      </ApiState>
    </>
  );
}

/**
 * The list answer has no total (an API request is open). The last page knows it; otherwise
 * `/v1/stats` over the same range counts the same sessions when no filter but the client narrows them.
 */
function totalFromStats(
  stats: StatsResponse | undefined,
  filters: { client: string; narrowed: boolean },
): number | null {
  if (!stats || filters.narrowed) return null;
  if (!filters.client) return stats.sessions;
  return stats.clients.find((c) => c.name === filters.client)?.sessionCount ?? 0;
}

function total(list: SessionListResponse, page: number, fromStats: number | null): string {
  const known = list.nextCursor === null ? (page - 1) * PAGE_SIZE + list.sessions.length : fromStats;
  return known === null ? '' : ` of ${formatCount(known)}`;
}

/** One labelled filter of the list; its choice lives in the URL. */
function FilterSelect({
  name,
  label,
  value,
  onChange,
  options,
}: {
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
}) {
  return (
    <div className="filter">
      <label htmlFor={`filter-${name}`}>{label}</label>
      <ChoiceSelect
        id={`filter-${name}`}
        value={value}
        onChoose={onChange}
        data-testid={`filter-${name}`}
        choices={options}
      />
    </div>
  );
}
