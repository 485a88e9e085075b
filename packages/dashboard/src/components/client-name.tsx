import { clientDisplayName } from '../clients/client-names';

/** A client under its product name; the raw `clientInfo` name (and version) on hover. */
export function ClientName({ raw, version }: { raw: string | null | undefined; version?: string | null | undefined }) {
  const label = clientDisplayName(raw);
  const title = raw ? `clientInfo.name: ${raw}${version ? ` · version ${version}` : ''}` : 'No clientInfo was sent';
  return (
    <span className={raw ? 'client-name' : 'client-name muted'} title={title} data-raw-client={raw ?? ''}>
      {label}
    </span>
  );
}
