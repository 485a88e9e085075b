import { useCallback, useEffect, useState } from 'react';
import { useAuth, useApiClient } from '../auth/auth-context';
import type { ApiClient } from './api-client';
import { ApiError } from './api-error';

export interface ApiResult<T> {
  data: T | undefined;
  error: ApiError | null;
  loading: boolean;
  reload(): void;
}

/**
 * Runs `load` against the signed-in project whenever `deps` change; answers to
 * superseded calls are ignored. A 401 signs out (the key was revoked or is wrong).
 */
export function useApi<T>(load: (api: ApiClient) => Promise<T>, deps: readonly unknown[]): ApiResult<T> {
  const api = useApiClient();
  const { signOut } = useAuth();
  const [state, setState] = useState<{ data: T | undefined; error: ApiError | null; loading: boolean }>({
    data: undefined,
    error: null,
    loading: true,
  });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the dependencies are the caller's `deps` (see below)
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    load(api).then(
      (data) => live && setState({ data, error: null, loading: false }),
      (cause: unknown) => {
        if (!live) return;
        const error = cause instanceof ApiError ? cause : new ApiError(0, String(cause));
        if (error.unauthorized) signOut('expired');
        setState({ data: undefined, error, loading: false });
      },
    );
    return () => {
      live = false;
    };
    // `load` is a fresh closure each render; callers list what it reads in `deps`, and `generation` is how `reload`
    // asks again.
  }, [api, signOut, generation, ...deps]);

  return { ...state, reload };
}
