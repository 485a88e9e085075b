import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { useAuth } from './auth-context';
import { Loading } from '../components/loading';

export function RequireAuth({ children }: { children: ReactNode }) {
  const { state } = useAuth();
  const location = useLocation();
  if (state.status === 'checking') return <Loading label="Checking your key…" />;
  if (state.status === 'signed-out') {
    return (
      <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search, reason: state.reason }} />
    );
  }
  return <>{children}</>;
}
