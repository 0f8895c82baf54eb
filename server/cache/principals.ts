import { LRUCache } from 'lru-cache';

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

/** Who a credential (by its hash, never the secret) belongs to, for a few seconds. */
export interface PrincipalCache {
  /** The cached answer for `key`, else `load()`'s; only found owners are kept (a guess never fills it). */
  lookup<T extends object>(key: string, load: () => Promise<T | undefined>): Promise<T | undefined>;
  /** Something learnt under an accepted credential, kept for the same TTL (see final-runs.ts). */
  put(key: string, value: object): void;
  peek<T extends object>(key: string): T | undefined;
}

export function createPrincipalCache({
  ttlMs = PRINCIPAL_TTL_MS,
  max = 10_000,
  perf,
}: PrincipalCacheOptions = {}): PrincipalCache {
  if (ttlMs <= 0) return { lookup: (_key, load) => load(), put() {}, peek: () => undefined };
  const cache = new LRUCache<string, object>({ max, ttl: ttlMs, ttlAutopurge: false, ...(perf ? { perf } : {}) });
  return {
    async lookup<T extends object>(key: string, load: () => Promise<T | undefined>) {
      const hit = cache.get(key) as T | undefined;
      if (hit) return hit;
      const found = await load();
      if (found) cache.set(key, found);
      return found;
    },
    put: (key, value) => void cache.set(key, value),
    peek: <T extends object>(key: string) => cache.get(key) as T | undefined,
  };
}
