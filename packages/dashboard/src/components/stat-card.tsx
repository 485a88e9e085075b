import type { ReactNode } from 'react';
import { formatCount, formatPercent } from '../format/format-number';

export function StatCard({
  label,
  value,
  hint,
  tone,
}: {
  label: string;
  value: ReactNode;
  hint?: ReactNode;
  tone?: 'warn';
}) {
  const id = `stat-${label.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <div className={tone ? `stat-card ${tone}` : 'stat-card'} data-testid={id}>
      <div className="stat-label">{label}</div>
      <div className="stat-value">{value}</div>
      {hint && <div className="stat-hint">{hint}</div>}
    </div>
  );
}

/** An error rate, with its count of failures; a warning from 5% up. */
export function ErrorRateCard({ rate, errors }: { rate: number; errors: number }) {
  return (
    <StatCard
      label="Error rate"
      value={formatPercent(rate)}
      hint={`${formatCount(errors)} failed`}
      {...(rate >= 0.05 ? { tone: 'warn' as const } : {})}
    />
  );
}
