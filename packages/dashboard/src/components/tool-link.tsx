import { Link } from 'react-router-dom';
import { revealControls } from '../format/reveal-controls';
import { paths } from '../routes/paths';
import { DataText } from './data-text';

/** A tool's name linking to its page: one line, cut with `…`, whole on hover, bidi controls shown. */
export function ToolLink({ name }: { name: string }) {
  return (
    <Link className="mono tool-name" to={paths.tool(name)} title={revealControls(name)}>
      <DataText value={name} />
    </Link>
  );
}
