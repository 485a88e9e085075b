import { Navigate } from 'react-router-dom';
import { useApi } from '../api/use-api';
import { ApiState } from '../components/api-state';
import { detailPlaceholders } from '../components/detail-placeholders';
import { paths } from '../routes/paths';
import { useRouteId } from '../routes/use-route-id';

/** `/events/:id` opens the event's session with the event expanded. */
export function EventPage() {
  const id = useRouteId();
  const result = useApi((api) => api.get('/v1/events/:id', { params: { id } }), [id]);
  return (
    <ApiState result={result} {...detailPlaceholders('Event', id, { to: '/sessions', label: 'All sessions' })}>
      {({ event }) => <Navigate replace to={paths.session(event.sessionId, event.id)} />}
    </ApiState>
  );
}
