import { Link, useLocation } from 'react-router-dom';

/**
 * Cursor paging kept in the URL (`cursor=`, and `page=` for "51–100"), so the browser's back
 * button pages back and a page can be bookmarked.
 */
export function usePage(): { cursor: string | undefined; page: number } {
  const params = new URLSearchParams(useLocation().search);
  const cursor = params.get('cursor') ?? undefined;
  const page = Number(params.get('page'));
  return { cursor, page: cursor && Number.isInteger(page) && page > 1 ? page : 1 };
}

export function Pager({ nextCursor }: { nextCursor: string | null }) {
  const location = useLocation();
  const { cursor, page } = usePage();
  const withCursor = (next: string | null) => {
    const params = new URLSearchParams(location.search);
    params.delete('cursor');
    params.delete('page');
    if (next) {
      params.set('cursor', next);
      params.set('page', String(page + 1));
    }
    const search = params.toString();
    return `${location.pathname}${search ? `?${search}` : ''}`;
  };
  if (!nextCursor && !cursor) return null;
  return (
    <nav className="pager" aria-label="Pages">
      {cursor ? (
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
