import { createHash } from 'node:crypto';

/**
 * A UUID derived from a seed string (sha-256, with the version and RFC 4122 variant bits set), so a
 * demo id is the same on every machine, every start and every re-seed.
 */
export function stableUuid(seed: string, version: 4 | 5 = 5): string {
  const h = createHash('sha256').update(seed).digest('hex');
  const variant = ((Number.parseInt(h[16] ?? '0', 16) & 3) | 8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${version}${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
