import { APIS } from '../../../generated/apis.ts';
import type { Db } from '../../core/db.ts';
import type { DemoTenant } from '../../core/types.ts';
import { seedTaxonomyDemo } from '../../store/demo/taxonomy.ts';
import { terminalRuns } from '../../store/terminal-runs.ts';
import { withRunPaths } from '../demo-tenants.ts';
import { FINAL } from './handlers.ts';

/** tenant_id is required on every read: the run is only found under its own tenant. */
export const runPath = (id: string | number, tenant: string): string =>
  `${APIS.taxonomy.basePath}/runs/${id}?tenant_id=${encodeURIComponent(tenant)}`;

export const seedDemo = async (db: Db): Promise<DemoTenant[]> =>
  withRunPaths(await seedTaxonomyDemo(db), (run, tenant) => runPath(run.id, tenant));

export const finalRunPaths = async (db: Db, tenant: string, limit: number): Promise<string[]> =>
  (await terminalRuns(db, 'taxonomy', tenant, FINAL, limit)).map((run) => runPath(run.id, tenant));
