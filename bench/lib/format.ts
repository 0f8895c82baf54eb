/** A figure as the reports print it: grouped thousands, `digits` decimals at most, n/a for none. */
export const fmt = (n: number | null | undefined, digits = 0): string =>
  n === null || n === undefined || Number.isNaN(n)
    ? 'n/a'
    : n.toLocaleString('en-US', { maximumFractionDigits: digits });
