import { Link } from 'react-router-dom';
import { PageHeader } from '../components/layout';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Not found" />
      <div className="card empty-small">
        There is no such page. <Link to="/">Go to the overview</Link>
      </div>
    </>
  );
}
