import { Link, Navigate, useParams } from 'react-router-dom';
import { useApi } from '../api/use-api';
import { ErrorPanel } from '../components/error-panel';
import { PageHeader } from '../components/page-header';
import { Loading } from '../components/loading';

/** `/events/:id` opens the event's session with the event expanded. */
export function EventPage() {
  const { id = '' } = useParams();
  const result = useApi((api) => api.get('/v1/events/:id', { params: { id } }), [id]);
  if (result.data) {
    const { event } = result.data;
    return <Navigate replace to={`/sessions/${encodeURIComponent(event.sessionId)}?event=${encodeURIComponent(event.id)}`} />;
  }
  if (result.error) {
    return (
      <>
        <PageHeader title="Event" subtitle={<span className="mono">{id}</span>} />
        <ErrorPanel error={result.error} onRetry={result.reload} notFound={<>No event <span className="mono">{id}</span> in this project. <Link to="/sessions">All sessions</Link></>} />
      </>
    );
  }
  return <Loading />;
}
