import { createContext, useCallback, useMemo, useState, type ReactNode } from 'react';
import { ChoiceSelect } from './choice-select';
import { useProvided } from './use-provided';

/** `span` names the length, for "the 7 days before". */
export const RANGE_PRESETS = [
  { id: '24h', label: 'Last 24 hours', span: '24 hours', ms: 24 * 3600_000 },
  { id: '7d', label: 'Last 7 days', span: '7 days', ms: 7 * 24 * 3600_000 },
  { id: '30d', label: 'Last 30 days', span: '30 days', ms: 30 * 24 * 3600_000 },
  { id: '90d', label: 'Last 90 days', span: '90 days', ms: 90 * 24 * 3600_000 },
  { id: 'all', label: 'All time', span: null, ms: null },
] as const;

export type RangeId = (typeof RANGE_PRESETS)[number]['id'];

export interface TimeRange {
  id: RangeId;
  /** Epoch ms, fixed when the range was picked or refreshed, so queries stay stable. */
  from: number;
  to: number;
}

/**
 * The API reads a missing `from` as "seven days before `to`", so "All time" asks from
 * the earliest timestamp the collector accepts (docs/api.md, LIMITS.minTimestampMs).
 */
export const ALL_TIME_FROM = Date.UTC(2000, 0, 1);

function preset(id: RangeId) {
  return RANGE_PRESETS.find((p) => p.id === id) ?? RANGE_PRESETS[1];
}

/** `Last 7 days` */
export function rangeLabel(range: TimeRange): string {
  return preset(range.id).label;
}

/**
 * The same span just before the range, to compare with, and its length in words; null for "All time".
 */
export function previousRange(range: TimeRange): { from: number; to: number; span: string } | null {
  const { span } = preset(range.id);
  return span === null ? null : { from: range.from - (range.to - range.from), to: range.from, span };
}

/** The span a chart should fill: the range, or only where data is for "All time". */
export function chartSpan(range: TimeRange): { from?: number; to?: number } {
  return range.id === 'all' ? {} : { from: range.from, to: range.to };
}

const STORAGE_KEY = 'mcptrail.range';
const DEFAULT_RANGE: RangeId = '7d';

function resolve(id: RangeId): TimeRange {
  const { ms } = preset(id);
  const now = Date.now();
  return { id: preset(id).id, from: ms === null ? ALL_TIME_FROM : now - ms, to: now };
}

function storedRange(): RangeId {
  try {
    const id = sessionStorage.getItem(STORAGE_KEY);
    return RANGE_PRESETS.some((p) => p.id === id) ? (id as RangeId) : DEFAULT_RANGE;
  } catch {
    return DEFAULT_RANGE;
  }
}

interface RangeValue {
  range: TimeRange;
  setRange(id: RangeId): void;
  /** Moves `to` up to now, keeping the preset. */
  refresh(): void;
}

const RangeContext = createContext<RangeValue | null>(null);

/** One time range for the whole dashboard, kept for the tab's session. */
export function TimeRangeProvider({ children }: { children: ReactNode }) {
  const [range, setRangeState] = useState<TimeRange>(() => resolve(storedRange()));
  const setRange = useCallback((id: RangeId) => {
    try {
      sessionStorage.setItem(STORAGE_KEY, id);
    } catch {
      // not kept, still applied
    }
    setRangeState(resolve(id));
  }, []);
  const refresh = useCallback(() => setRangeState((r) => resolve(r.id)), []);
  const value = useMemo(() => ({ range, setRange, refresh }), [range, setRange, refresh]);
  return <RangeContext.Provider value={value}>{children}</RangeContext.Provider>;
}

export const useTimeRange = (): RangeValue => useProvided(RangeContext, 'useTimeRange outside TimeRangeProvider');

export function TimeRangePicker() {
  const { range, setRange, refresh } = useTimeRange();
  return (
    <div className="range-picker">
      <label>
        <span className="visually-hidden">Time range</span>
        <ChoiceSelect
          aria-label="Time range"
          data-testid="range"
          value={range.id}
          onChoose={setRange}
          choices={RANGE_PRESETS.map((p) => ({ value: p.id, label: p.label }))}
        />
      </label>
      <button type="button" className="button secondary" onClick={refresh} title="Reload up to now">
        Refresh
      </button>
    </div>
  );
}
