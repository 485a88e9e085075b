import type { PathNodeView } from '@mcptrail/protocol';
import { Sankey, Tooltip, type SankeyNodeProps } from 'recharts';
import { formatCount } from '../format/format-number';
import { revealControls } from '../format/reveal-controls';
import { measureAxisText } from './category-tick';
import { AXIS_FONT_SIZE, SERIES_COLORS, TOOLTIP_PROPS } from './chart-theme';
import { fitLabel } from './fit-label';
import { useElementWidth } from './use-element-width';

interface FlowNode {
  name: string;
  step: number;
  sessions: number;
}

/** The tree as a Sankey's nodes and links: a start node, then one node per step of each path. */
export function flowData(firstSteps: readonly PathNodeView[], start: string) {
  const nodes: FlowNode[] = [{ name: start, step: 0, sessions: firstSteps.reduce((n, s) => n + s.sessions, 0) }];
  const links: { source: number; target: number; value: number }[] = [];
  let leaves = 0;
  const visit = (children: readonly PathNodeView[], parent: number, step: number) => {
    for (const child of children) {
      const index = nodes.push({ name: child.tool, step, sessions: child.sessions }) - 1;
      links.push({ source: parent, target: index, value: child.sessions });
      if (child.children.length === 0) leaves++;
      visit(child.children, index, step + 1);
    }
  };
  visit(firstSteps, 0, 1);
  return { nodes, links, leaves, steps: Math.max(...nodes.map((n) => n.step)) + 1 };
}

/**
 * A node: its bar, and its tool and sessions beside it (cut to `labelWidth`, whole on hover), left of the bar in the
 * last column.
 */
function flowNode({ x, y, width, height, payload }: SankeyNodeProps, steps: number, labelWidth: number) {
  const node = payload as unknown as FlowNode;
  const last = node.step === steps - 1;
  const full = `${revealControls(node.name)} · ${formatCount(node.sessions)}`;
  return (
    <g>
      <rect x={x} y={y} width={width} height={height} fill={SERIES_COLORS[node.step % SERIES_COLORS.length]} />
      <text
        x={last ? x - 6 : x + width + 6}
        y={y + height / 2}
        dy="0.355em"
        textAnchor={last ? 'end' : 'start'}
        fontSize={AXIS_FONT_SIZE}
        fill="var(--text)"
      >
        <title>{full}</title>
        {fitLabel(full, labelWidth, measureAxisText)}
      </text>
    </g>
  );
}

/** Sessions flowing from their first tool call to the next ones: a Sankey, each column a step. */
export function PathFlowChart({ firstSteps, testId }: { firstSteps: readonly PathNodeView[]; testId?: string }) {
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const data = flowData(firstSteps, 'Sessions');
  const height = Math.max(220, Math.min(720, data.leaves * 30));
  // Labels sit beside their node, within the column to its right (the last column's to its left).
  const column = width > 0 ? width / data.steps : 0;
  const labelWidth = Math.max(40, column - 24);
  return (
    <div className="chart" data-testid={testId} ref={ref}>
      {width > 0 && (
        <Sankey
          width={width}
          height={height}
          data={data}
          nodeWidth={10}
          nodePadding={14}
          iterations={0}
          align="left"
          margin={{ top: 8, right: 8, bottom: 8, left: 8 }}
          node={(props: SankeyNodeProps) => flowNode(props, data.steps, labelWidth)}
          link={{ stroke: 'var(--chart-ok)', strokeOpacity: 0.25 }}
        >
          <Tooltip {...TOOLTIP_PROPS} />
        </Sankey>
      )}
    </div>
  );
}
