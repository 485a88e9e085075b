import type { ReactNode } from 'react';

/** A card whose body (a table, a list) runs edge to edge, under its heading when it has one. */
export function FlushCard({ title, aside, children }: { title?: string; aside?: ReactNode; children: ReactNode }) {
  return (
    <section className="card flush">
      {title !== undefined && (
        <div className="card-head padded">
          <h2>{title}</h2>
          {aside}
        </div>
      )}
      {children}
    </section>
  );
}
