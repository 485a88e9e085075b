import { clientDisplayName } from '../clients/client-names';
import { revealControls } from '../format/reveal-controls';
import { DataText } from './data-text';

/** A client under its product name; the raw `clientInfo` name (and version) on hover. */
export function ClientName({ raw, version }: { raw: string | null | undefined; version?: string | null | undefined }) {
  const title = raw
    ? revealControls(`clientInfo.name: ${raw}${version ? ` · version ${version}` : ''}`)
    : 'No clientInfo was sent';
  return (
    <span className={raw ? 'client-name' : 'client-name muted'} title={title} data-raw-client={raw ?? ''}>
      <DataText value={clientDisplayName(raw)} />
    </span>
  );
}
