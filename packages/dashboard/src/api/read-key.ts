/**
 * The project read key lives in localStorage: one sign-in serves every tab of this browser
 * and survives restarts until "Sign out", which removes it for every tab at once (the other
 * tabs hear the `storage` event). It is sent only as a bearer header — never in a URL, never
 * as a cookie, so no other site can make the browser send it (docs/dashboard.md#security).
 */
const STORAGE_KEY = 'mcptrail.readKey';

export const readKeyStore = {
  get(): string | null {
    try {
      return localStorage.getItem(STORAGE_KEY);
    } catch {
      return null;
    }
  },
  set(key: string): void {
    localStorage.setItem(STORAGE_KEY, key);
  },
  clear(): void {
    try {
      localStorage.removeItem(STORAGE_KEY);
    } catch {
      // storage unavailable: nothing to clear
    }
  },
  /** Calls `listener` with the new key (null: signed out) when another tab changes it. */
  subscribe(listener: (key: string | null) => void): () => void {
    const onStorage = (e: StorageEvent) => {
      // `key` is null when the whole storage was cleared.
      if (e.storageArea === localStorage && (e.key === STORAGE_KEY || e.key === null))
        listener(e.key === null ? null : e.newValue);
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  },
};
