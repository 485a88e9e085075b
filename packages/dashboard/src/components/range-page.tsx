import type { ReactNode } from 'react';
import type { ApiClient } from '../api/api-client';
import { useApi } from '../api/use-api';
import { ApiState } from './api-state';
import { PageHeader } from './page-header';
import { TimeRangePicker, useTimeRange } from './time-range';

/**
 * A page about the picked time range: its header with the range picker, `controls` under it, then what `children`
 * draws of `load`'s answer for the range. `load` is asked again when the range or `deps` (what else it reads) change.
 */
export function RangePage<T>({
  title,
  subtitle,
  load,
  deps = [],
  controls,
  children,
}: {
  title: string;
  subtitle: string;
  load(api: ApiClient, range: { from: number; to: number }): Promise<T>;
  deps?: readonly unknown[];
  controls?: ReactNode;
  children(data: T): ReactNode;
}) {
  const { range } = useTimeRange();
  const result = useApi((api) => load(api, { from: range.from, to: range.to }), [range.from, range.to, ...deps]);
  return (
    <>
      <PageHeader title={title} subtitle={subtitle} actions={<TimeRangePicker />} />
      {controls}
      <ApiState result={result}>{children}</ApiState>
    </>
  );
}
