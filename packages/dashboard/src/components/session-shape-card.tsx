import type { SessionShapeResponse } from '@mcptrail/protocol';
import { useState } from 'react';
import { useApi } from '../api/use-api';
import { SessionShapeChart } from '../charts/session-shape-chart';
import { clientDisplayName } from '../clients/client-names';
import { formatCount } from '../format/format-number';
import { revealControls } from '../format/reveal-controls';
import { ApiState } from './api-state';

const ALL = '\u0000all';
const NONE = '\u0000none';

/** `3–5`, `101+` */
const requestLabel = ({ min, max }: SessionShapeResponse['requestBuckets'][number]) =>
  max === null ? `${min}+` : min === max ? String(min) : `${min}–${max}`;

const shortDuration = (ms: number) =>
  ms < 60_000 ? `${ms / 1000}s` : ms < 3_600_000 ? `${ms / 60_000}m` : `${ms / 3_600_000}h`;
/** `<1s`, `5m–15m`, `4h+` */
const durationLabel = ({ minMs, maxMs }: SessionShapeResponse['durationBuckets'][number]) =>
  maxMs === null
    ? `${shortDuration(minMs)}+`
    : minMs === 0
      ? `<${shortDuration(maxMs)}`
      : `${shortDuration(minMs)}–${shortDuration(maxMs)}`;

/** How long and how deep sessions are (those that started in the range), for all clients or one. */
export function SessionShapeCard({ range }: { range: { from: number; to: number } }) {
  const result = useApi((api) => api.get('/v1/insights/session-shape', { query: range }), [range.from, range.to]);
  const [client, setClient] = useState(ALL);
  return (
    <section className="card" data-testid="session-shape">
      <div className="card-head">
        <h2>Session length and depth</h2>
        {result.data && result.data.clients.length > 0 && (
          <label className="inline-select">
            <span className="muted small">Client</span>{' '}
            <select value={client} onChange={(e) => setClient(e.target.value)} data-testid="session-shape-client">
              <option value={ALL}>All clients</option>
              {result.data.clients.map((c) => (
                <option key={c.clientName ?? NONE} value={c.clientName ?? NONE}>
                  {revealControls(clientDisplayName(c.clientName))} ({formatCount(c.sessions)})
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <ApiState result={result}>
        {(shape) => {
          const shown =
            client === ALL ? shape.all : (shape.clients.find((c) => (c.clientName ?? NONE) === client) ?? shape.all);
          if (shape.all.sessions === 0) return <p className="muted">No sessions started in this range.</p>;
          return (
            <>
              <div className="two-col">
                <div>
                  <h3 className="small muted">Requests per session</h3>
                  <SessionShapeChart
                    testId="session-requests-chart"
                    rows={shape.requestBuckets.map((b, i) => ({
                      label: requestLabel(b),
                      sessions: shown.requests[i] ?? 0,
                    }))}
                  />
                </div>
                <div>
                  <h3 className="small muted">Duration, first to last request</h3>
                  <SessionShapeChart
                    testId="session-duration-chart"
                    rows={shape.durationBuckets.map((b, i) => ({
                      label: durationLabel(b),
                      sessions: shown.durations[i] ?? 0,
                    }))}
                  />
                </div>
              </div>
              <p className="muted small">
                {formatCount(shown.sessions)} session{shown.sessions === 1 ? '' : 's'} that started in this range
                {shape.anonymousSessions > 0 &&
                  `; ${formatCount(shape.anonymousSessions)} anonymous one-request sessions left out`}
                .
              </p>
            </>
          );
        }}
      </ApiState>
    </section>
  );
}
