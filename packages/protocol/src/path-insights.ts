/** Answers of the "Insights" endpoints on paths and session grouping (docs/api.md, docs/adr/0206). */

/** `GET /v1/insights/paths`: sessions whose first tool calls were this node's tool and its ancestors', in order. */
export interface PathNodeView {
  tool: string;
  sessions: number;
  /** Of them, sessions gone quiet whose last tool call was this one. */
  ended: number;
  /** Of those, the ones whose last call failed. */
  endedAfterError: number;
  /** The most common next tools (at most `breadth`), most sessions first; empty at the last step (`depth`). */
  children: PathNodeView[];
  /** Sessions that went on to a next tool not among `children`. */
  otherSessions: number;
}

export interface ToolDropOffView {
  tool: string;
  /** Quiet sessions that called the tool at least once. */
  reached: number;
  /** Quiet sessions whose last tool call was it. */
  ended: number;
  /** `ended / reached`. */
  dropOffRate: number;
  /** Of `ended`, the sessions whose last call failed. */
  endedAfterError: number;
}

export interface ErrorEndingView {
  tool: string;
  /** Quiet sessions whose last tool call was a failing call of this tool. */
  sessions: number;
  /** Up to three of them, the most recent first. */
  exampleSessionIds: string[];
}

export interface ToolPathsResponse {
  from: string;
  to: string;
  depth: number;
  breadth: number;
  /** A session counts as ended once it has had no request for this long (the collector's session timeout). */
  quietAfterMs: number;
  /** Stored sessions that started in the range, anonymous one-request sessions aside. */
  sessions: number;
  /** Of them, the sessions with at least one tool call: the paths. */
  sessionsWithTools: number;
  /** Of those, the sessions gone quiet: drop-off and endings count these. */
  quietSessions: number;
  firstSteps: PathNodeView[];
  /** Sessions whose first tool is not among `firstSteps`. */
  otherFirstSessions: number;
  /** Per tool, most sessions ending at it first (at most 50). */
  dropOff: ToolDropOffView[];
  /** Per tool, most sessions first (at most 50). */
  endsAfterError: ErrorEndingView[];
}

/** Sessions whose length is at least `from` and less than `to` (null: no upper end). */
export interface HistogramBucketView {
  from: number;
  to: number | null;
  sessions: number;
}

export interface LengthDistributionView {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  histogram: HistogramBucketView[];
}

/** The sessions of the range's requests under one grouping. */
export interface SessionShapeView {
  sessions: number;
  byKind: { stateful: number; conversation: number; grouped: number; anonymous: number };
  /** Requests per session, anonymous sessions aside (one request each under any timeout). */
  calls: LengthDistributionView;
  /** Milliseconds from a session's first request to its last, the same sessions. */
  durationMs: LengthDistributionView;
}

/** `GET /v1/insights/what-if`: the range's requests grouped as stored, and with other inactivity timeouts. */
export interface WhatIfResponse {
  from: string;
  to: string;
  /** The collector's `--session-timeout`, with which new events are grouped now. */
  storedTimeoutMs: number;
  /** Requests read (every request in the range). */
  events: number;
  stored: SessionShapeView;
  timeouts: (SessionShapeView & { timeoutMs: number })[];
}
