/**
 * The project read key lives in sessionStorage only: it survives reloads of the tab,
 * dies with it, and is sent as a bearer header — never put into a URL.
 */
const STORAGE_KEY = 'mcptrail.readKey';

export const readKeyStore = {
  get(): string | null {
    try {
      return sessionStorage.getItem(STORAGE_KEY);
    } catch {
      return null;
    }
  },
  set(key: string): void {
    sessionStorage.setItem(STORAGE_KEY, key);
  },
  clear(): void {
    try {
      sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      // storage unavailable: nothing to clear
    }
  },
};
