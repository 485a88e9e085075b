import { useLocation } from 'react-router-dom';
import { idFromPath } from './paths';

/** The `:id` (or `:name`) of the current detail page, decoded once (see `idFromPath`). */
export function useRouteId(): string {
  return idFromPath(useLocation().pathname);
}
