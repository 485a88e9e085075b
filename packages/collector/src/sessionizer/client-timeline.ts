import { betterClient, type ClientLabel } from './session-record.js';

/**
 * A fingerprint key's client is named along its timeline (docs/adr/0104): each
 * session that names a client itself is a point (its start, and the best label
 * among its own events), and a session shows the best label named at or before
 * its start, or, before the key's first name, that first name. The label is a
 * function of the events, so any arrival order gives the same; and a new name
 * changes only the sessions up to the next better one, not the key's history.
 */
export interface NamedSpan {
  startedAt: number;
  label: ClientLabel;
}

/** Where a key's label changes: from `from` (inclusive) the sessions starting there show `label`. */
interface Step {
  from: number;
  label: ClientLabel;
}

/** The label a session starting at `startedAt` shows: `steps` of `labelSteps`; null when the key names none. */
function stepAt(steps: readonly Step[], startedAt: number): ClientLabel | null {
  let shown: ClientLabel | null = null;
  for (const step of steps) {
    if (step.from > startedAt) break;
    shown = step.label;
  }
  return shown;
}

/** The key's label as steps in time order; the first starts at -Infinity (the first name, shown before it too). */
function labelSteps(named: readonly NamedSpan[]): Step[] {
  const sorted = named.toSorted((a, b) => a.startedAt - b.startedAt);
  const steps: Step[] = [];
  let best: ClientLabel | null = null;
  for (const span of sorted) {
    if (best !== null && !betterClient(span.label, best)) continue;
    best = span.label;
    steps.push({ from: steps.length === 0 ? -Infinity : span.startedAt, label: best });
  }
  return steps;
}

/** The label a session of the key shows, by its start (the steps are worked out once per timeline). */
export function labelsAlong(named: readonly NamedSpan[]): (startedAt: number) => ClientLabel | null {
  const steps = labelSteps(named);
  return (startedAt) => stepAt(steps, startedAt);
}

export const sameClient = (a: ClientLabel | null, b: ClientLabel | null) =>
  a === b || (a !== null && b !== null && a.name === b.name && a.version === b.version && a.rank === b.rank);

/** Sessions of a key starting in [from, to) that show `label` now (null bounds are open). */
export interface LabelRange {
  from: number | null;
  to: number | null;
  label: ClientLabel;
}

/** Where the label a key's sessions show differs between two of its timelines. */
export function changedRanges(before: readonly NamedSpan[], after: readonly NamedSpan[]): LabelRange[] {
  const old = labelSteps(before);
  const next = labelSteps(after);
  const points = [...new Set([...old, ...next].map((step) => step.from))].sort((a, b) => a - b);
  const ranges: LabelRange[] = [];
  for (const [i, from] of points.entries()) {
    const label = stepAt(next, from);
    if (label === null || sameClient(stepAt(old, from), label)) continue;
    const to = points[i + 1] ?? Infinity;
    const last = ranges.at(-1);
    if (last && last.to === from && sameClient(last.label, label)) last.to = finite(to);
    else ranges.push({ from: finite(from), to: finite(to), label });
  }
  return ranges;
}

const finite = (at: number) => (Number.isFinite(at) ? at : null);
