import { Link } from 'react-router-dom';

/** A user's name (or id) linking to their page; "anonymous" for none. */
export function UserLabel({ id, name, link = true }: { id: string | null; name: string | null; link?: boolean }) {
  if (id === null) return <span className="muted">anonymous</span>;
  const label = name && name !== id ? name : id;
  const title = name && name !== id ? `${name} · user id: ${id}` : id;
  if (!link)
    return (
      <span className="user-label" title={title}>
        {label}
      </span>
    );
  return (
    <Link className="user-label" to={`/users/${encodeURIComponent(id)}`} title={title}>
      {label}
    </Link>
  );
}
