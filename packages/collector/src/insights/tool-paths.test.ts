import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ToolPathBuilder, type PathNode, type PathOptions, type SessionToolCalls } from './tool-paths.js';

const session = (id: string, tools: string, quiet = true, endedAt = 0): SessionToolCalls => ({
  sessionId: id,
  endedAt,
  quiet,
  // `search!` is a failing call of search.
  calls: tools
    .split(' ')
    .filter(Boolean)
    .map((t) => ({ tool: t.replace('!', ''), failed: t.endsWith('!') })),
});

const paths = (sessions: SessionToolCalls[], options: Partial<PathOptions> = {}) => {
  const builder = new ToolPathBuilder({ depth: 4, breadth: 5, rows: 50, examples: 3, ...options });
  for (const s of sessions) builder.add(s);
  return builder.result();
};

describe('ToolPathBuilder', () => {
  it('counts paths, endings, drop-off and endings after an error', () => {
    const result = paths([
      session('s1', 'search fetch', true, 1),
      session('s2', 'search fetch fetch!', true, 2),
      session('s3', 'search search!', true, 3),
      session('s4', 'list', false, 4), // still active: in the paths, not in endings
      session('s5', '', true, 5), // no tool calls
      session('s6', 'search fetch!', true, 6),
    ]);
    expect(result).toMatchObject({ sessionsWithTools: 5, quietSessions: 4, otherFirstSessions: 0 });
    const [search, list] = result.firstSteps;
    expect(list).toEqual({ tool: 'list', sessions: 1, ended: 0, endedAfterError: 0, children: [], otherSessions: 0 });
    expect(search).toMatchObject({ tool: 'search', sessions: 4, ended: 0 });
    expect(search!.children.map((c) => [c.tool, c.sessions, c.ended, c.endedAfterError])).toEqual([
      ['fetch', 3, 2, 1],
      ['search', 1, 1, 1],
    ]);
    expect(search!.children[0]!.children).toEqual([
      { tool: 'fetch', sessions: 1, ended: 1, endedAfterError: 1, children: [], otherSessions: 0 },
    ]);
    expect(result.dropOff).toEqual([
      { tool: 'fetch', reached: 3, ended: 3, endedAfterError: 2 },
      { tool: 'search', reached: 4, ended: 1, endedAfterError: 1 },
    ]);
    expect(result.endsAfterError).toEqual([
      { tool: 'fetch', sessions: 2, exampleSessionIds: ['s6', 's2'] },
      { tool: 'search', sessions: 1, exampleSessionIds: ['s3'] },
    ]);
  });

  it('shows the most common next tools and adds up the rest', () => {
    const result = paths(
      [session('a', 'x a'), session('b', 'x b'), session('c', 'x b'), session('d', 'x c'), session('e', 'y')],
      { breadth: 1 },
    );
    expect(result.firstSteps.map((n) => n.tool)).toEqual(['x']);
    expect(result.otherFirstSessions).toBe(1);
    expect(result.firstSteps[0]).toMatchObject({ otherSessions: 2, children: [{ tool: 'b', sessions: 2 }] });
  });

  const sessions = fc
    .array(
      fc.record({
        calls: fc.array(fc.record({ tool: fc.constantFrom('a', 'b', 'c', 'd'), failed: fc.boolean() }), {
          maxLength: 7,
        }),
        quiet: fc.boolean(),
        endedAt: fc.integer({ min: 0, max: 100 }),
      }),
      { maxLength: 40 },
    )
    .map((list) => list.map((s, i) => ({ ...s, sessionId: `s${i}` })));

  it('agrees with counting each prefix over all sessions', () => {
    fc.assert(
      fc.property(sessions, fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }), (list, depth, breadth) => {
        const result = paths(list, { depth, breadth });
        const withTools = list.filter((s) => s.calls.length > 0);
        const check = (nodes: PathNode[], other: number, prefix: string[]) => {
          const starting = (p: string[]) => withTools.filter((s) => p.every((tool, i) => s.calls[i]?.tool === tool));
          const here = starting(prefix);
          const next = prefix.length < depth ? here.filter((s) => s.calls.length > prefix.length) : [];
          expect(nodes.reduce((n, node) => n + node.sessions, 0) + other).toBe(next.length);
          expect(nodes.length).toBeLessThanOrEqual(breadth);
          for (const node of nodes) {
            const path = [...prefix, node.tool];
            const mine = starting(path);
            const ended = mine.filter((s) => s.quiet && s.calls.length === path.length);
            expect(node).toMatchObject({
              sessions: mine.length,
              ended: ended.length,
              endedAfterError: ended.filter((s) => s.calls.at(-1)!.failed).length,
            });
            check(node.children, node.otherSessions, path);
          }
        };
        check(result.firstSteps, result.otherFirstSessions, []);
        const quiet = withTools.filter((s) => s.quiet);
        for (const row of result.dropOff) {
          expect(row.reached).toBe(quiet.filter((s) => s.calls.some((c) => c.tool === row.tool)).length);
          expect(row.ended).toBe(quiet.filter((s) => s.calls.at(-1)!.tool === row.tool).length);
        }
        for (const row of result.endsAfterError) {
          const failing = quiet.filter((s) => s.calls.at(-1)!.tool === row.tool && s.calls.at(-1)!.failed);
          expect(row.sessions).toBe(failing.length);
          const newest = failing
            .sort((x, y) => y.endedAt - x.endedAt || (x.sessionId < y.sessionId ? -1 : 1))
            .slice(0, 3);
          expect(row.exampleSessionIds).toEqual(newest.map((s) => s.sessionId));
        }
        expect(result.dropOff.reduce((n, row) => n + row.ended, 0)).toBe(quiet.length);
      }),
      { numRuns: 300 },
    );
  });
});
