/**
 * What the drivers say when the store cannot be reached (pg's and PGlite's codes and words): the
 * store's own knowledge, so the http layer asks this rather than knowing SQLSTATEs.
 */

/** Errors from the store's connection (not from our SQL) mean "try again later", not "bug". */
export function isStoreUnavailable(err: unknown): boolean {
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
