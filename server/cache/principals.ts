import { LRUCache } from 'lru-cache';
import type { PrincipalCache } from '../core/caches.ts';

export type { PrincipalCache };

/**
 * How long an accepted credential is trusted without asking the store again. A key revoked in
 * the store keeps working for at most this long in each process (README "Caches").
 */
export const PRINCIPAL_TTL_MS = 5_000;

export interface PrincipalCacheOptions {
  ttlMs?: number;
  /** Entries kept; the least recently used go first. */
  max?: number;
  /** Clock of the TTL (tests inject one); performance.now by default. */
  perf?: { now(): number };
}

export function createPrincipalCache({
  ttlMs = PRINCIPAL_TTL_MS,
  max = 10_000,
  perf,
}: PrincipalCacheOptions = {}): PrincipalCache {
  if (ttlMs <= 0) return { lookup: (_key, load) => load(), put() {}, peek: () => undefined };
  const cache = new LRUCache<string, object>({ max, ttl: ttlMs, ttlAutopurge: false, ...(perf ? { perf } : {}) });
  // Lookups of one key while its load runs share that load: a burst of requests with one key on a
  // fresh process (or just after the TTL) costs one query, not one each.
  const loading = new Map<string, Promise<object | undefined>>();
  return {
    async lookup<T extends object>(key: string, load: () => Promise<T | undefined>) {
      const hit = cache.get(key) as T | undefined;
      if (hit) return hit;
      const pending = loading.get(key);
      if (pending) return (await pending) as T | undefined;
      const loaded = load().then((found) => {
        if (found) cache.set(key, found);
        return found;
      });
      loading.set(key, loaded);
      try {
        return await loaded;
      } finally {
        loading.delete(key);
      }
    },
    put: (key, value) => void cache.set(key, value),
    peek: <T extends object>(key: string) => cache.get(key) as T | undefined,
  };
}
