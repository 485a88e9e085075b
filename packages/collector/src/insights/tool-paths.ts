/** One session's tool calls, as `toolPaths` reads them. */
export interface SessionToolCalls {
  sessionId: string;
  /** Start time of the session's last request: the newest sessions give the examples. */
  endedAt: number;
  /** No request for longer than the inactivity timeout: the session has ended, so its last call is where it stopped. */
  quiet: boolean;
  /** Its `tools/call` requests in time order. */
  calls: readonly { tool: string; failed: boolean }[];
}

/** Sessions whose first tool calls were this node's tool and those of its ancestors, in that order. */
export interface PathNode {
  tool: string;
  sessions: number;
  /** Of them, quiet sessions whose last tool call was this one. */
  ended: number;
  /** Of those, the ones whose last call failed. */
  endedAfterError: number;
  /** The most common next tools, most sessions first. */
  children: PathNode[];
  /** Sessions that went on to a next tool not among `children`. */
  otherSessions: number;
}

export interface ToolDropOff {
  tool: string;
  /** Quiet sessions that called the tool at least once. */
  reached: number;
  /** Quiet sessions whose last tool call was it. */
  ended: number;
  endedAfterError: number;
}

export interface ErrorEnding {
  tool: string;
  /** Quiet sessions whose last tool call was a failing call of this tool. */
  sessions: number;
  /** The newest few of them. */
  exampleSessionIds: string[];
}

export interface ToolPaths {
  /** Sessions with at least one tool call. */
  sessionsWithTools: number;
  /** Of them, the quiet ones (drop-off and endings count only these). */
  quietSessions: number;
  firstSteps: PathNode[];
  /** Sessions whose first tool is not among `firstSteps`. */
  otherFirstSessions: number;
  /** Per tool, most endings first. */
  dropOff: ToolDropOff[];
  /** Per tool, most sessions first. */
  endsAfterError: ErrorEnding[];
}

export interface PathOptions {
  /** Steps of the tree (1 = first tools only). */
  depth: number;
  /** Next tools shown per step, the most common first. */
  breadth: number;
  /** Rows of `dropOff` and `endsAfterError`, the largest first. */
  rows: number;
  /** Example sessions per ending. */
  examples: number;
}

interface Branch {
  sessions: number;
  ended: number;
  endedAfterError: number;
  next: Map<string, Branch>;
}

const newBranch = (): Branch => ({ sessions: 0, ended: 0, endedAfterError: 0, next: new Map() });
const byCountThenName =
  <T extends { tool: string }>(count: (item: T) => number) =>
  (a: T, b: T) =>
    count(b) - count(a) || (a.tool < b.tool ? -1 : a.tool > b.tool ? 1 : 0);

/**
 * The most common sequences of tool calls, where sessions stop and where they
 * stop after a failure (docs/adr/0206). Sessions are added one at a time, so
 * memory holds the tree of first steps and a row per tool, never the sessions.
 */
export class ToolPathBuilder {
  private readonly root = newBranch();
  private sessionsWithTools = 0;
  private quietSessions = 0;
  /** The tools of the session being added (one set for all: a set per session was most of the garbage). */
  private readonly sessionTools = new Set<string>();
  private readonly perTool = new Map<
    string,
    { reached: number; ended: number; endedAfterError: number; examples: { id: string; endedAt: number }[] }
  >();

  constructor(private readonly options: PathOptions) {}

  add(session: SessionToolCalls): void {
    const calls = session.calls;
    if (calls.length === 0) return;
    this.sessionsWithTools++;
    const last = calls[calls.length - 1]!;
    const endsHere = (step: number) => session.quiet && step === calls.length - 1;
    let branch = this.root;
    for (let step = 0; step < Math.min(calls.length, this.options.depth); step++) {
      const tool = calls[step]!.tool;
      let next = branch.next.get(tool);
      if (!next) branch.next.set(tool, (next = newBranch()));
      next.sessions++;
      if (endsHere(step)) {
        next.ended++;
        if (last.failed) next.endedAfterError++;
      }
      branch = next;
    }
    if (!session.quiet) return;
    this.quietSessions++;
    this.sessionTools.clear();
    for (const call of calls) this.sessionTools.add(call.tool);
    for (const tool of this.sessionTools) this.toolRow(tool).reached++;
    const row = this.toolRow(last.tool);
    row.ended++;
    if (!last.failed) return;
    row.endedAfterError++;
    row.examples.push({ id: session.sessionId, endedAt: session.endedAt });
    // Keep the newest few: trimmed now and then, so that memory stays bounded by the tools, not the sessions.
    if (row.examples.length > 4 * this.options.examples) keepNewest(row.examples, this.options.examples);
  }

  private toolRow(tool: string) {
    let row = this.perTool.get(tool);
    if (!row) this.perTool.set(tool, (row = { reached: 0, ended: 0, endedAfterError: 0, examples: [] }));
    return row;
  }

  result(): ToolPaths {
    const { breadth, rows, examples } = this.options;
    const toNodes = (branch: Branch): { nodes: PathNode[]; other: number } => {
      const all = [...branch.next].map(([tool, child]) => ({ tool, child }));
      all.sort(byCountThenName((entry) => entry.child.sessions));
      const shown = all.slice(0, breadth);
      return {
        nodes: shown.map(({ tool, child }) => {
          const { nodes, other } = toNodes(child);
          return {
            tool,
            sessions: child.sessions,
            ended: child.ended,
            endedAfterError: child.endedAfterError,
            children: nodes,
            otherSessions: other,
          };
        }),
        other: all.slice(breadth).reduce((sum, entry) => sum + entry.child.sessions, 0),
      };
    };
    const first = toNodes(this.root);
    const tools = [...this.perTool].map(([tool, row]) => ({ tool, ...row }));
    return {
      sessionsWithTools: this.sessionsWithTools,
      quietSessions: this.quietSessions,
      firstSteps: first.nodes,
      otherFirstSessions: first.other,
      dropOff: tools
        .filter((row) => row.reached > 0)
        .sort(byCountThenName((row) => row.ended))
        .slice(0, rows)
        .map(({ tool, reached, ended, endedAfterError }) => ({ tool, reached, ended, endedAfterError })),
      endsAfterError: tools
        .filter((row) => row.endedAfterError > 0)
        .sort(byCountThenName((row) => row.endedAfterError))
        .slice(0, rows)
        .map((row) => ({
          tool: row.tool,
          sessions: row.endedAfterError,
          exampleSessionIds: keepNewest(row.examples, examples).map((e) => e.id),
        })),
    };
  }
}

/** Sorts newest first (then by id) and drops all but the first `count`, in place. */
function keepNewest(list: { id: string; endedAt: number }[], count: number) {
  list.sort((a, b) => b.endedAt - a.endedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  list.length = Math.min(list.length, count);
  return list;
}
