import type { ReactNode } from 'react';
import type { ApiError } from '../api/api-error';
import { DataText } from './data-text';

/** A failed request; `notFound`, when given, is what a 404 shows instead (a normal state, not an error). */
export function ErrorPanel({
  error,
  onRetry,
  notFound,
}: {
  error: ApiError;
  onRetry?: () => void;
  notFound?: ReactNode;
}) {
  if (error.notFound && notFound !== undefined) return <div className="card empty-small">{notFound}</div>;
  return (
    <div className="error-panel" role="alert">
      <strong>{error.status === 0 ? 'The collector did not answer.' : 'The collector refused this request.'}</strong>
      <p className="mono">
        <DataText value={error.message} />
      </p>
      {onRetry && (
        <button type="button" className="button secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
