import type { ClientView } from '@mcptrail/protocol';
import { Cell, Pie, PieChart, ResponsiveContainer, Tooltip } from 'recharts';
import { clientDisplayName } from '../clients/client-names';

export const SLICE_COLORS = ['#6366f1', '#0ea5e9', '#14b8a6', '#f59e0b', '#ec4899', '#8b5cf6', '#84cc16', '#94a3b8'];

/** Sessions per client as a donut; the legend is the table beside it. */
export function ClientSplitChart({ clients }: { clients: ClientView[] }) {
  const data = clients.map((c) => ({ name: clientDisplayName(c.name), value: c.conversationCount })).filter((slice) => slice.value > 0);
  return (
    <div className="chart donut" data-testid="client-chart">
      <ResponsiveContainer width="100%" height={180}>
        <PieChart>
          <Pie data={data} dataKey="value" nameKey="name" innerRadius={46} outerRadius={76} paddingAngle={1} isAnimationActive={false}>
            {data.map((d, i) => (
              <Cell key={`${d.name}-${i}`} fill={SLICE_COLORS[i % SLICE_COLORS.length]} />
            ))}
          </Pie>
          <Tooltip />
        </PieChart>
      </ResponsiveContainer>
    </div>
  );
}
