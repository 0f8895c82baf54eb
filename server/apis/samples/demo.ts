import { APIS } from '../../../generated/apis.ts';
import type { Db } from '../../core/db.ts';
import type { DemoTenant } from '../../core/types.ts';
import { seedSamplesDemo } from '../../store/demo/samples.ts';
import { terminalRuns } from '../../store/terminal-runs.ts';
import { withRunPaths } from '../demo-tenants.ts';

export const runPath = (id: string | number): string => `${APIS.samples.basePath}/${id}/summary`;

export const seedDemo = async (db: Db): Promise<DemoTenant[]> =>
  withRunPaths(await seedSamplesDemo(db), (run) => runPath(run.id));

// As store/samples.ts decides `final`: the run's rows no longer change.
export const FINAL = ['completed', 'canceled'];

export const finalRunPaths = async (db: Db, tenant: string, limit: number): Promise<string[]> =>
  (await terminalRuns(db, 'samples', tenant, FINAL, limit)).map((run) => runPath(run.id));
