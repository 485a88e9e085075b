import type { Store } from '../storage/store.js';

/**
 * `store.ping()` at most once per `ttlMs`: however many probes ask (several
 * load balancers, a Kubernetes kubelet), the database sees one trivial query.
 */
export function cachedReadiness(store: Store, ttlMs = 1000): () => Promise<void> {
  let last: { at: number; answer: Promise<void> } | null = null;
  return () => {
    const now = Date.now();
    if (!last || now - last.at >= ttlMs) last = { at: now, answer: store.ping() };
    return last.answer;
  };
}
