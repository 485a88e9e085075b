import type { PathNodeView } from '@mcptrail/protocol';
import { describe, expect, it } from 'vitest';
import { firstStepsOf, topPaths } from './paths-page';

const node = (tool: string, sessions: number, children: PathNodeView[] = []): PathNodeView => ({
  tool,
  sessions,
  ended: 0,
  endedAfterError: 0,
  children,
  otherSessions: 0,
});

describe('paths page', () => {
  const tree = [node('search', 5, [node('fetch', 3, [node('summarize', 2)]), node('list', 2)]), node('init', 4)];
  it("lists the tree's leaves as paths, most sessions first", () => {
    expect(topPaths(tree).map((p) => [p.tools.join(' '), p.node.sessions])).toEqual([
      ['init', 4],
      ['search fetch summarize', 2],
      ['search list', 2],
    ]);
  });
  it('cuts the tree after a number of steps', () => {
    expect(topPaths(firstStepsOf(tree, 2)).map((p) => p.tools.join(' '))).toEqual([
      'init',
      'search fetch',
      'search list',
    ]);
  });
});
