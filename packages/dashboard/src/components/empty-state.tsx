import type { ReactNode } from 'react';

/** What a page shows when there is nothing to show: why, and what to do about it. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <section className="empty-state" data-testid="empty-state">
      <h2>{title}</h2>
      {children}
    </section>
  );
}
