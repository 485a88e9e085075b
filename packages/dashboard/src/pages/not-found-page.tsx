import { Link } from 'react-router-dom';
import { PageHeader } from '../components/page-header';

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
