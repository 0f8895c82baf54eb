import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { FinalBody, FinalBodyBacking, FinalBodyCache } from '../core/caches.ts';

export type { FinalBody, FinalBodyBacking, FinalBodyCache };

export interface FinalBodyCacheOptions {
  maxBytes?: number;
  /** A second tier that outlives the process: read on a memory miss, written on every set. */
  backing?: FinalBodyBacking | undefined;
  /** A backing write that failed: it only costs a later recomputation, so it is reported, not thrown. */
  onBackingError?: (err: unknown) => void;
}

/** Rows per query while preloading: each page is one statement, so answers interleave with it. */
const PRELOAD_PAGE = 200;

/** Bounded by bytes, least recently used first out: terminal runs are immutable, so nothing expires. */
export function createFinalBodyCache({
  maxBytes = 64 * 1024 * 1024,
  backing,
  onBackingError,
}: FinalBodyCacheOptions = {}): FinalBodyCache {
  const cache = new LRUCache<string, FinalBody>({
    maxSize: maxBytes,
    sizeCalculation: (body, key) => body.bytes.length + key.length + 64,
  });
  const remember = (key: string, body: FinalBody) => void cache.set(key, body);
  const writing = new Set<Promise<void>>();
  const recent = backing?.recent?.bind(backing);
  return {
    get: (key) => cache.get(key),
    set(key, body) {
      remember(key, body);
      if (!backing) return;
      const write = backing
        .write(key, body)
        .catch((err) => onBackingError?.(err))
        .finally(() => writing.delete(write));
      writing.add(write);
    },
    ...(backing && {
      async load(key) {
        const body = await backing.read(key);
        if (body) remember(key, body);
        return body;
      },
      async settled() {
        await Promise.all(writing);
      },
    }),
    ...(recent && {
      // Half the budget by default: bodies rendered after the start still fit beside them.
      async preload(budget = maxBytes / 2) {
        let bytes = 0;
        let loaded = 0;
        let after: unknown;
        while (bytes < budget) {
          const page = await recent(PRELOAD_PAGE, after);
          for (const { key, body } of page.bodies) {
            if (bytes + body.bytes.length > budget) return loaded;
            // A body this process has answered since it started is as fresh and already there.
            if (cache.has(key)) continue;
            remember(key, body);
            bytes += body.bytes.length;
            loaded++;
          }
          if (page.bodies.length < PRELOAD_PAGE) break;
          after = page.next;
        }
        return loaded;
      },
    }),
  };
}

/** `"<sha-256 of the bytes>"`, or its weak form. */
export function etagOf(bytes: Buffer | string, weak = false): string {
  const tag = `"${createHash('sha256').update(bytes).digest('base64url')}"`;
  return weak ? `W/${tag}` : tag;
}
