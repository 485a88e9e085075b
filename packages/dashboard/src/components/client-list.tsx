import { ClientName } from './client-name';

/** A user's clients as chips, product names with the raw name on hover. */
export function ClientList({ clients }: { clients: string[] }) {
  if (clients.length === 0) return <span className="muted">—</span>;
  return (
    <span className="chips">
      {clients.map((c) => (
        <span key={c} className="chip">
          <ClientName raw={c} />
        </span>
      ))}
    </span>
  );
}
