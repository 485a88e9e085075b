import { createContext, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ProjectResponse } from '@mcptrail/protocol';
import { createApiClient, type ApiClient } from '../api/api-client';
import { ApiError } from '../api/api-error';
import { readKeyStore } from '../api/read-key';
import { useProvided } from '../components/use-provided';

type Project = ProjectResponse['project'];

export type AuthState =
  | { status: 'checking' }
  | { status: 'signed-out'; reason?: 'expired' | undefined }
  | { status: 'signed-in'; api: ApiClient; project: Project };

interface AuthValue {
  state: AuthState;
  /** Checks the key with `GET /v1/project`; throws ApiError when it is refused. */
  signIn(readKey: string): Promise<void>;
  signOut(reason?: 'expired'): void;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>(() =>
    readKeyStore.get() ? { status: 'checking' } : { status: 'signed-out' },
  );

  const signOut = useCallback((reason?: 'expired') => {
    readKeyStore.clear();
    setState({ status: 'signed-out', reason });
  }, []);

  const signIn = useCallback(async (readKey: string) => {
    const api = createApiClient(readKey);
    const { project } = await api.get('/v1/project');
    readKeyStore.set(readKey);
    setState({ status: 'signed-in', api, project });
  }, []);

  // Signing in or out in another tab of this browser does the same here.
  useEffect(
    () => readKeyStore.subscribe((key) => setState(key ? { status: 'checking' } : { status: 'signed-out' })),
    [],
  );

  // A key kept from an earlier visit, or just set by another tab, is checked before use
  // (each new 'checking' state checks the key stored at that moment).
  useEffect(() => {
    const stored = readKeyStore.get();
    if (!stored || state.status !== 'checking') return;
    let live = true;
    const api = createApiClient(stored);
    api.get('/v1/project').then(
      ({ project }) => live && setState({ status: 'signed-in', api, project }),
      (error: unknown) => {
        if (!live) return;
        if (error instanceof ApiError && error.unauthorized) signOut('expired');
        else setState({ status: 'signed-out' });
      },
    );
    return () => {
      live = false;
    };
  }, [state, signOut]);

  const value = useMemo(() => ({ state, signIn, signOut }), [state, signIn, signOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export const useAuth = (): AuthValue => useProvided(AuthContext, 'useAuth outside AuthProvider');

/** The API client of the signed-in project; only for pages behind RequireAuth. */
export function useApiClient(): ApiClient {
  const { state } = useAuth();
  if (state.status !== 'signed-in') throw new Error('useApiClient while signed out');
  return state.api;
}
