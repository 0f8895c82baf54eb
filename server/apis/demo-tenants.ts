import type { DemoTenant } from '../core/types.ts';
import type { SeededRun, SeededTenant } from '../store/demo/seeded.ts';

/** A seeder's tenants with the path that reads each run, as the manifest and `npm start` show them. */
export function withRunPaths<R extends SeededRun>(
  tenants: SeededTenant<R>[],
  runPath: (run: R, tenant: string) => string,
): DemoTenant[] {
  return tenants.map(({ runs, ...tenant }) => ({
    ...tenant,
    runs: runs.map((run) => ({ id: run.id, status: run.status, path: runPath(run, tenant.tenant) })),
  }));
}
