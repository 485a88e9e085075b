export function StatusBadge({ isError }: { isError: boolean }) {
  return isError ? <span className="badge status-error">error</span> : <span className="badge status-ok">ok</span>;
}
