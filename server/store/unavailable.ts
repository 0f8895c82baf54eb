/**
 * What the drivers say when the store cannot be reached (pg's and PGlite's codes and words): the
 * store's own knowledge. Each driver turns such a failure into StoreUnavailable at its boundary,
 * so nobody above the store reads SQLSTATEs or socket codes.
 */
import { StoreUnavailable } from '../core/errors.ts';

/** Errors from the store's connection (not from our SQL) mean "try again later", not "bug". */
function isConnectionFailure(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : '';
  // A closed store says so in words only (PGlite, and pg's pool after end()).
  if (/PGlite is closed|Cannot use a pool after calling end|Connection terminated/i.test(message)) return true;
  // node-postgres's bounded waits: connect, pool checkout and reply timeouts.
  if (/^(Query read timeout|timeout expired|timeout exceeded when trying to connect)$/.test(message)) return true;
  // 57014: the statement timeout cancelled the query on the server.
  if (code === '57014') return true;
  return (
    typeof code === 'string' &&
    ([
      'ECONNREFUSED',
      'ECONNRESET',
      'ETIMEDOUT',
      'ENOTFOUND',
      'EPIPE',
      '57P01',
      '57P03',
      '08006',
      '08001',
      '08003',
    ].includes(code) ||
      code.startsWith('08'))
  );
}

/**
 * `err` in the store's terms: a connection failure becomes StoreUnavailable; anything else (an
 * error in our SQL, whatever a transaction's callback threw) is returned as it is.
 */
export function asStoreError(err: unknown): unknown {
  return err instanceof StoreUnavailable || !isConnectionFailure(err) ? err : new StoreUnavailable(err);
}

/** Runs one driver call, rethrowing its failure in the store's terms: every driver entry goes through here. */
export async function atBoundary<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw asStoreError(err);
  }
}
