/** Answers of the failure and session-shape insights (docs/api.md, "Insights"; docs/adr/0205). */

import type { TimeRangeQuery } from './routes.js';

export interface FailuresQuery extends TimeRangeQuery {
  /** Clusters answered (1–200, default 50). */
  limit?: number | undefined;
}

/**
 * `unknown_tool`: the model called a tool or prompt that does not exist; `invalid_arguments`: its
 * arguments failed validation (-32602); `tool_error`: the tool answered `isError: true`;
 * `protocol_error`: any other failure (a JSON-RPC error answer). docs/adr/0205.
 */
export type FailureClass = 'unknown_tool' | 'invalid_arguments' | 'tool_error' | 'protocol_error';

/** Failed requests of one class, method, tool, code and normalised message. */
export interface FailureClusterView {
  class: FailureClass;
  method: string;
  /** The tool (or prompt) called; null for other methods. */
  tool: string | null;
  /** The JSON-RPC code (or the sender's own), as text; null when none was recorded. */
  code: string | null;
  /** `error.type` of the newest failure. */
  errorType: string | null;
  /** The message with its values masked (numbers, ids, paths, quoted values, emails, URLs). */
  pattern: string;
  /** The newest failure's own message, cut at 1,024 characters. */
  sampleMessage: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
  /** Distinct users among the failures. */
  users: number;
  /** Failures per client (the session's client label), most first; name null: none named. */
  clients: { name: string | null; count: number }[];
  /** Failures per bucket of `bucketMs`, the first starting at the answer's `trendStart`. */
  trend: number[];
  /** The newest failures, one per session, newest first (at most 5). */
  examples: { eventId: string; sessionId: string; timestamp: string }[];
}

export interface FailuresResponse {
  from: string;
  to: string;
  /** An hour for ranges up to two days, else a day. */
  bucketMs: number;
  trendStart: string;
  /** Failed requests in the range. */
  failures: number;
  byClass: Record<FailureClass, number>;
  /** Clusters in the range (the answer holds the first `limit`). */
  clusterCount: number;
  clusters: FailureClusterView[];
}

/** Sessions per bucket of requests per session and of duration, in the order of the answer's bucket lists. */
export interface SessionShapeHistogram {
  /** null in `all`, and for sessions whose events named no client. */
  clientName: string | null;
  sessions: number;
  requests: number[];
  durations: number[];
}

export interface SessionShapeResponse {
  from: string;
  to: string;
  /** Requests per session: `min` to `max` inclusive (`max` null: no upper end). */
  requestBuckets: { min: number; max: number | null }[];
  /** Duration (first to last request): `minMs` inclusive to `maxMs` exclusive (null: no upper end). */
  durationBuckets: { minMs: number; maxMs: number | null }[];
  /** Anonymous sessions (one request each) that started in the range, left out of the histograms. */
  anonymousSessions: number;
  all: SessionShapeHistogram;
  /** Per client, most sessions first. */
  clients: SessionShapeHistogram[];
}

/** Tool calls of a group, and how many failed (all failures, and those of class `invalid_arguments`). */
export interface CallCountsView {
  calls: number;
  errors: number;
  errorRate: number;
  invalidArguments: number;
  invalidArgumentsRate: number;
}

/** A client (the session's label), its version and a protocol version. */
export interface ClientVersionView extends CallCountsView {
  clientName: string | null;
  clientVersion: string | null;
  protocolVersion: string | null;
  p95Ms: number | null;
}

export interface ToolAverageView extends CallCountsView {
  tool: string;
}

export interface ClientToolCellView extends CallCountsView {
  clientName: string | null;
  tool: string;
  /** Much worse than the tool's average, by `flagRule`. */
  flagged: boolean;
}

/** `GET /v1/insights/clients`: the client compatibility matrix of the range's tool calls. */
export interface ClientsResponse {
  from: string;
  to: string;
  /**
   * A cell is flagged when it has ≥ `minCalls` calls and an error rate ≥ `ratio` × the tool's and ≥ `marginPoints` (a
   * fraction) above it.
   */
  flagRule: { minCalls: number; ratio: number; marginPoints: number };
  /** By calls, most first. */
  rows: ClientVersionView[];
  /** Each tool over every client, by calls. */
  tools: ToolAverageView[];
  /** Client × tool, flagged first, then by calls. */
  cells: ClientToolCellView[];
}
