import type { SessionShapeResponse } from '@mcptrail/protocol';
import { useState } from 'react';
import { useApi } from '../api/use-api';
import { SessionShapeChart } from '../charts/session-shape-chart';
import { clientDisplayName } from '../clients/client-names';
import { formatCount } from '../format/format-number';
import { revealControls } from '../format/reveal-controls';
import { ApiState } from './api-state';
import { ChoiceSelect } from './choice-select';

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
            <ChoiceSelect
              value={client}
              onChoose={setClient}
              data-testid="session-shape-client"
              choices={[
                { value: ALL, label: 'All clients' },
                ...result.data.clients.map((c) => ({
                  value: c.clientName ?? NONE,
                  label: `${revealControls(clientDisplayName(c.clientName))} (${formatCount(c.sessions)})`,
                })),
              ]}
            />
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
                <Distribution
                  title="Requests per session"
                  testId="session-requests-chart"
                  labels={shape.requestBuckets.map(requestLabel)}
                  sessions={shown.requests}
                />
                <Distribution
                  title="Duration, first to last request"
                  testId="session-duration-chart"
                  labels={shape.durationBuckets.map(durationLabel)}
                  sessions={shown.durations}
                />
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

/** Sessions per bucket, under its title. */
function Distribution({
  title,
  testId,
  labels,
  sessions,
}: {
  title: string;
  testId: string;
  labels: string[];
  sessions: number[];
}) {
  return (
    <div>
      <h3 className="small muted">{title}</h3>
      <SessionShapeChart testId={testId} rows={labels.map((label, i) => ({ label, sessions: sessions[i] ?? 0 }))} />
    </div>
  );
}
