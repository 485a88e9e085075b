import type { ReactNode } from 'react';
import type { ApiResult } from '../api/use-api';
import { ErrorPanel } from './error-panel';
import { Loading } from './loading';

interface ApiStateProps<T> {
  result: ApiResult<T>;
  /** What a 404 shows: a normal state, not an error. */
  notFound?: ReactNode;
  /** Shown above the error or the placeholder (a detail page's header before its data names it). */
  header?: ReactNode;
  children: (data: T) => ReactNode;
}

/** What a page shows for one API answer: the error, the loading placeholder, or `children` drawing the data. */
export function ApiState<T>({ result, notFound, header, children }: ApiStateProps<T>) {
  if (result.data !== undefined && !result.error) return <>{children(result.data)}</>;
  return (
    <>
      {header}
      {result.error ? <ErrorPanel error={result.error} onRetry={result.reload} notFound={notFound} /> : <Loading />}
    </>
  );
}
