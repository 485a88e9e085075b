import { Link } from 'react-router-dom';
import { revealControls } from '../format/reveal-controls';
import { paths } from '../routes/paths';
import { DataText } from './data-text';

/** A user's name (or id) linking to their page; "anonymous" for none. Cut to one line; all of it on hover. */
export function UserLabel({ id, name, link = true }: { id: string | null; name: string | null; link?: boolean }) {
  if (id === null) return <span className="muted">anonymous</span>;
  const label = name && name !== id ? name : id;
  const title = revealControls(name && name !== id ? `${name} · user id: ${id}` : id);
  if (!link)
    return (
      <span className="user-label" title={title}>
        <DataText value={label} />
      </span>
    );
  return (
    <Link className="user-label" to={paths.user(id)} title={title}>
      <DataText value={label} />
    </Link>
  );
}
