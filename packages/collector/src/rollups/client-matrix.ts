/**
 * The client compatibility matrix (docs/adr/0205): tool calls by client,
 * client version and protocol version, and by client and tool, each cell set
 * against the tool's own average to flag a client that breaks a tool. Pure:
 * the store sums the rollup rows of the range and hands them here.
 */
import type { ClientCallFacts, ClientCallsDelta, ClientLabelKey, ClientLatencyDelta } from './client-call-deltas.js';
import { LatencySketch } from './latency-sketch.js';

/**
 * "Much worse" than the tool's average: at least `minCalls` calls (fewer say
 * little), an error rate at least `ratio` times the tool's and at least
 * `marginPoints` above it (a tool failing 1% of the time is not broken by a
 * client at 2.5%; one failing 30% is not singled out at 41%).
 */
export const FLAG_RULE = { minCalls: 20, ratio: 2, marginPoints: 0.1 } as const;

/**
 * Calls of one (client, version, protocol, tool) in the range: a rollup row without its bucket; '' for a label the
 * events did not carry.
 */
export type ClientCallTotals = Omit<ClientCallsDelta, 'grain' | 'bucket'>;
/** Durations of one (client, version, protocol) in the range: a latency rollup row without its bucket. */
export type ClientLatencyTotals = Omit<ClientLatencyDelta, 'grain' | 'bucket'>;

/** One call under its session's label, as totals and durations. */
export function totalsOfCall(
  label: ClientLabelKey,
  call: ClientCallFacts,
): { totals: ClientCallTotals; latency: ClientLatencyTotals } {
  const durations = new LatencySketch();
  if (call.durationMs !== null) durations.add(call.durationMs);
  const where = { ...label, protocol: call.protocolVersion };
  return {
    totals: {
      ...where,
      target: call.target,
      calls: 1,
      errors: call.isError ? 1 : 0,
      invalidArguments: call.invalidArguments ? 1 : 0,
    },
    latency: { ...where, durations },
  };
}

interface Counts {
  calls: number;
  errors: number;
  invalidArguments: number;
  errorRate: number;
  invalidArgumentsRate: number;
}

export interface ClientVersionRow extends Counts {
  clientName: string | null;
  clientVersion: string | null;
  protocolVersion: string | null;
  p95Ms: number | null;
}

export interface ToolAverage extends Counts {
  tool: string;
}

export interface ClientToolCell extends Counts {
  clientName: string | null;
  tool: string;
  /** Much worse than the tool's average (FLAG_RULE). */
  flagged: boolean;
}

export interface ClientMatrix {
  flagRule: typeof FLAG_RULE;
  /** Most calls first. */
  rows: ClientVersionRow[];
  /** Most calls first. */
  tools: ToolAverage[];
  /** Every client × tool with calls; flagged first, then most calls. */
  cells: ClientToolCell[];
}

export function isMuchWorse(cell: Pick<Counts, 'calls' | 'errorRate'>, tool: Pick<Counts, 'errorRate'>): boolean {
  return (
    cell.calls >= FLAG_RULE.minCalls &&
    cell.errorRate >= FLAG_RULE.ratio * tool.errorRate &&
    cell.errorRate - tool.errorRate >= FLAG_RULE.marginPoints
  );
}

type Sum = { calls: number; errors: number; invalidArguments: number };

/** Sums `totals` by `key`, keeping the first row of each group as its label. */
function sumBy(
  totals: readonly ClientCallTotals[],
  key: (t: ClientCallTotals) => string,
): { first: ClientCallTotals; sum: Sum }[] {
  const groups = new Map<string, { first: ClientCallTotals; sum: Sum }>();
  for (const t of totals) {
    const k = key(t);
    let group = groups.get(k);
    if (!group) groups.set(k, (group = { first: t, sum: { calls: 0, errors: 0, invalidArguments: 0 } }));
    group.sum.calls += t.calls;
    group.sum.errors += t.errors;
    group.sum.invalidArguments += t.invalidArguments;
  }
  // Rows that moves emptied stay in the rollup at 0: they are no one's calls.
  return [...groups.values()].filter((g) => g.sum.calls > 0);
}

const counts = ({ calls, errors, invalidArguments }: Sum): Counts => ({
  calls,
  errors,
  invalidArguments,
  errorRate: errors / calls,
  invalidArgumentsRate: invalidArguments / calls,
});
const orNull = (value: string) => (value === '' ? null : value);
const byCalls = <T extends { calls: number }>(a: T, b: T) => b.calls - a.calls;
// NUL never occurs in stored text: an unambiguous separator.
const join = (...parts: string[]) => parts.join('\u0000');

export function clientMatrix(
  totals: readonly ClientCallTotals[],
  latencies: readonly ClientLatencyTotals[],
): ClientMatrix {
  const durations = new Map<string, LatencySketch>();
  for (const l of latencies) {
    const k = join(l.client, l.version, l.protocol);
    durations.set(k, (durations.get(k) ?? new LatencySketch()).merge(l.durations));
  }
  const rows = sumBy(totals, (t) => join(t.client, t.version, t.protocol))
    .map(({ first, sum }) => ({
      clientName: orNull(first.client),
      clientVersion: orNull(first.version),
      protocolVersion: orNull(first.protocol),
      ...counts(sum),
      p95Ms: durations.get(join(first.client, first.version, first.protocol))?.quantile(0.95) ?? null,
    }))
    .sort(
      (a, b) =>
        byCalls(a, b) ||
        join(a.clientName ?? '', a.clientVersion ?? '', a.protocolVersion ?? '').localeCompare(
          join(b.clientName ?? '', b.clientVersion ?? '', b.protocolVersion ?? ''),
        ),
    );
  const tools = sumBy(totals, (t) => t.target)
    .map(({ first, sum }) => ({ tool: first.target, ...counts(sum) }))
    .sort((a, b) => byCalls(a, b) || (a.tool < b.tool ? -1 : 1));
  const toolOf = new Map(tools.map((t) => [t.tool, t]));
  const cells = sumBy(totals, (t) => join(t.client, t.target))
    .map(({ first, sum }) => {
      const cell = counts(sum);
      return {
        clientName: orNull(first.client),
        tool: first.target,
        ...cell,
        flagged: isMuchWorse(cell, toolOf.get(first.target)!),
      };
    })
    .sort(
      (a, b) =>
        Number(b.flagged) - Number(a.flagged) ||
        byCalls(a, b) ||
        (a.tool < b.tool ? -1 : a.tool > b.tool ? 1 : (a.clientName ?? '') < (b.clientName ?? '') ? -1 : 1),
    );
  return { flagRule: FLAG_RULE, rows, tools, cells };
}
