import { Link } from 'react-router-dom';
import { DataText } from './data-text';
import { PageHeader } from './page-header';

/**
 * What a detail page (`/users/:id`, …) shows before its answer names the item, and when the id
 * is unknown in this project: the `header` and `notFound` of ApiState.
 */
export function detailPlaceholders(kind: string, id: string, list: { to: string; label: string }) {
  return {
    header: <PageHeader title={kind} subtitle={<DataText className="mono" value={id} />} />,
    notFound: (
      <>
        No {kind.toLowerCase()} <DataText className="mono" value={id} /> in this project.{' '}
        <Link to={list.to}>{list.label}</Link>
      </>
    ),
  };
}
