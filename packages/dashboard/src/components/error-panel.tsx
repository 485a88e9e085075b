import type { ApiError } from '../api/api-error';

export function ErrorPanel({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  return (
    <div className="error-panel" role="alert">
      <strong>{error.status === 0 ? 'The collector did not answer.' : 'The collector refused this request.'}</strong>
      <p className="mono">{error.message}</p>
      {onRetry && (
        <button type="button" className="button secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
