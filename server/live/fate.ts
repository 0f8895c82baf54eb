import { createHash } from 'node:crypto';

/** How a live run ends. Decided by its id, so a run's story is the same across restarts. */
export type Fate = 'succeed' | 'fail' | 'cancel';

/** A number in [0, 1) derived from the run id and a salt: stable "randomness" per run. */
export function unit(id: string | number, salt = ''): number {
  return createHash('sha256').update(`${id}:${salt}`).digest().readUInt32BE(0) / 2 ** 32;
}

/** Six in ten runs succeed, two fail, two are cancelled. */
export function fateOf(id: string | number): Fate {
  const u = unit(id, 'fate');
  return u < 0.6 ? 'succeed' : u < 0.8 ? 'fail' : 'cancel';
}

/** Picks one of `items` for the run and salt. */
export function pick<T>(items: readonly T[], id: string | number, salt: string): T {
  return items[Math.floor(unit(id, salt) * items.length)] as T;
}
