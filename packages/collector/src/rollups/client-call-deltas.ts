import { LatencySketch } from './latency-sketch.js';
import { GRAINS, keyOf, type Grain } from './rollup-deltas.js';
import { dayOf, hourOf } from './time-ranges.js';

/**
 * What one ingest transaction changes in `rollup_client_calls`: tool calls by
 * their **session's** client label (docs/adr/0104), client version, protocol
 * version and tool, per hour and day (docs/adr/0205). A call counts where its
 * session's label is now: new calls are added under it, and when a session's
 * label changes (a merge, a relabel, a better-trusted name) its stored calls are
 * moved — taken out (`sign` -1) under the old label, added under the new one. Pure.
 */

/** What a tool call contributes: its own immutable facts. */
export interface ClientCallFacts {
  timestamp: number;
  target: string;
  /** '' when the event named none. */
  protocolVersion: string;
  isError: boolean;
  /** The failure is of class `invalid_arguments` (insights/failure-class.ts). */
  invalidArguments: boolean;
  durationMs: number | null;
}

/** A session's client label; '' for none. */
export interface ClientLabelKey {
  client: string;
  version: string;
}

/** Calls of a (client, version, protocol, tool) in an hour or day: counts SQL adds up. */
export interface ClientCallsDelta extends ClientLabelKey {
  grain: Grain;
  bucket: number;
  protocol: string;
  target: string;
  calls: number;
  errors: number;
  invalidArguments: number;
}

/** Durations of a (client, version, protocol) in an hour or day, every tool together: the p95 of a matrix row. */
export interface ClientLatencyDelta extends ClientLabelKey {
  grain: Grain;
  bucket: number;
  protocol: string;
  durations: LatencySketch;
}

export interface ClientCallChange {
  call: ClientCallFacts;
  label: ClientLabelKey;
  sign: 1 | -1;
}

/**
 * Counts per tool, and latency sketches per row without the tool: a sketch is
 * read, merged and written back, so there are far fewer of them (the rows a
 * batch touches are clients × versions × protocols, not × tools).
 */
export function clientCallDeltas(changes: Iterable<ClientCallChange>): {
  calls: ClientCallsDelta[];
  latency: ClientLatencyDelta[];
} {
  const calls = new Map<string, ClientCallsDelta>();
  const latency = new Map<string, ClientLatencyDelta>();
  for (const { call, label, sign } of changes) {
    for (const grain of GRAINS) {
      const bucket = grain === 'hour' ? hourOf(call.timestamp) : dayOf(call.timestamp);
      const latencyKey = keyOf(grain, bucket, label.client, label.version, call.protocolVersion);
      const countKey = keyOf(latencyKey, call.target);
      let row = calls.get(countKey);
      if (!row) {
        const protocol = call.protocolVersion;
        row = { grain, bucket, ...label, protocol, target: call.target, calls: 0, errors: 0, invalidArguments: 0 };
        calls.set(countKey, row);
      }
      row.calls += sign;
      if (call.isError) row.errors += sign;
      if (call.invalidArguments) row.invalidArguments += sign;
      if (call.durationMs === null) continue;
      let durations = latency.get(latencyKey);
      if (!durations) {
        durations = { grain, bucket, ...label, protocol: call.protocolVersion, durations: new LatencySketch() };
        latency.set(latencyKey, durations);
      }
      durations.durations.add(call.durationMs, sign);
    }
  }
  // A call moved out and back in within one transaction leaves nothing to write; one call swapped for another keeps its
  // count but not its durations.
  return {
    calls: [...calls.values()].filter((row) => row.calls !== 0 || row.errors !== 0 || row.invalidArguments !== 0),
    latency: [...latency.values()].filter((row) => !row.durations.isEmpty),
  };
}
