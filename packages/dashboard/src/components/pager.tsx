import { Link, useLocation } from 'react-router-dom';

/** Cursor paging kept in the URL (`cursor=`), so the browser's back button pages back. */
export function Pager({ nextCursor, hasCursor }: { nextCursor: string | null; hasCursor: boolean }) {
  const location = useLocation();
  const withCursor = (cursor: string | null) => {
    const params = new URLSearchParams(location.search);
    if (cursor) params.set('cursor', cursor);
    else params.delete('cursor');
    const search = params.toString();
    return `${location.pathname}${search ? `?${search}` : ''}`;
  };
  if (!nextCursor && !hasCursor) return null;
  return (
    <nav className="pager" aria-label="Pages">
      {hasCursor ? (
        <Link className="button secondary small" to={withCursor(null)}>
          ← First page
        </Link>
      ) : (
        <span />
      )}
      {nextCursor ? (
        <Link className="button secondary small" to={withCursor(nextCursor)} data-testid="next-page">
          Next page →
        </Link>
      ) : (
        <span className="muted small">End of list</span>
      )}
    </nav>
  );
}
