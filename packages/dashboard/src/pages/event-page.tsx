import { Link, Navigate, useParams } from 'react-router-dom';
import { useApi } from '../api/use-api';
import { ApiState } from '../components/api-state';
import { PageHeader } from '../components/page-header';

/** `/events/:id` opens the event's session with the event expanded. */
export function EventPage() {
  const { id = '' } = useParams();
  const result = useApi((api) => api.get('/v1/events/:id', { params: { id } }), [id]);
  return (
    <ApiState
      result={result}
      header={<PageHeader title="Event" subtitle={<span className="mono">{id}</span>} />}
      notFound={<>No event <span className="mono">{id}</span> in this project. <Link to="/sessions">All sessions</Link></>}
    >
      {({ event }) => <Navigate replace to={`/sessions/${encodeURIComponent(event.sessionId)}?event=${encodeURIComponent(event.id)}`} />}
    </ApiState>
  );
}
