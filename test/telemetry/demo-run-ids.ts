/**
 * The telemetry demo's run ids, written out rather than computed with the seeder's own generator:
 * a change to the seeded ids fails the tests instead of moving the expectations with it.
 */
const ACME = [
  '7e1e0000-0000-4000-8000-000000010001',
  '7e1e0000-0000-4000-8000-000000010002',
  '7e1e0000-0000-4000-8000-000000010003',
  '7e1e0000-0000-4000-8000-000000010004',
  '7e1e0000-0000-4000-8000-000000010005',
  '7e1e0000-0000-4000-8000-000000010006',
  '7e1e0000-0000-4000-8000-000000010007',
  '7e1e0000-0000-4000-8000-000000010008',
];
const GLOBEX = [
  '7e1e0000-0000-4000-8000-000000020001',
  '7e1e0000-0000-4000-8000-000000020002',
  '7e1e0000-0000-4000-8000-000000020003',
  '7e1e0000-0000-4000-8000-000000020004',
  '7e1e0000-0000-4000-8000-000000020005',
];

const nth =
  (ids: string[], org: string) =>
  (n: number): string => {
    const id = ids[n - 1];
    if (!id) throw new Error(`the telemetry demo has no run ${n} for ${org}`);
    return id;
  };

/** org_acme's n-th demo run (from 1, in seeding order). */
export const acme = nth(ACME, 'org_acme');
/** org_globex's n-th demo run (from 1, in seeding order). */
export const globex = nth(GLOBEX, 'org_globex');
