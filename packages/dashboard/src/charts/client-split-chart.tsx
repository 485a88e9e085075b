import type { ClientView } from '@mcptrail/protocol';
import { Cell, Pie, PieChart, ResponsiveContainer, Tooltip } from 'recharts';
import { clientDisplayName } from '../clients/client-names';
import { revealControls } from '../format/reveal-controls';
import { SERIES_COLORS, TOOLTIP_PROPS } from './chart-theme';

/** Sessions per client as a donut; the legend is the table beside it. */
export function ClientSplitChart({ clients }: { clients: ClientView[] }) {
  // Colours by position in the table beside it, before clients without conversations drop out.
  const data = clients
    .map((c, i) => ({
      name: revealControls(clientDisplayName(c.name)),
      value: c.conversationCount,
      fill: SERIES_COLORS[i % SERIES_COLORS.length],
    }))
    .filter((slice) => slice.value > 0);
  return (
    <div className="chart donut" data-testid="client-chart">
      <ResponsiveContainer width="100%" height={180}>
        <PieChart>
          <Pie
            data={data}
            dataKey="value"
            nameKey="name"
            innerRadius={46}
            outerRadius={76}
            paddingAngle={1}
            stroke="var(--panel)"
            isAnimationActive={false}
          >
            {data.map((d) => (
              <Cell key={d.name} fill={d.fill} />
            ))}
          </Pie>
          <Tooltip {...TOOLTIP_PROPS} />
        </PieChart>
      </ResponsiveContainer>
    </div>
  );
}
