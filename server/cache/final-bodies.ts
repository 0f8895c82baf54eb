import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { FinalBody, FinalBodyCache } from '../core/caches.ts';

export type { FinalBody, FinalBodyCache };

/** Bounded by bytes, least recently used first out: terminal runs are immutable, so nothing expires. */
export function createFinalBodyCache({ maxBytes = 64 * 1024 * 1024 } = {}): FinalBodyCache {
  const cache = new LRUCache<string, FinalBody>({
    maxSize: maxBytes,
    sizeCalculation: (body, key) => body.bytes.length + key.length + 64,
  });
  return { get: (key) => cache.get(key), set: (key, body) => void cache.set(key, body) };
}

/** `"<sha-256 of the bytes>"`, or its weak form. */
export function etagOf(bytes: Buffer | string, weak = false): string {
  const tag = `"${createHash('sha256').update(bytes).digest('base64url')}"`;
  return weak ? `W/${tag}` : tag;
}
