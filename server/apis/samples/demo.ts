import { APIS } from '../../../generated/apis.ts';
import type { Db } from '../../core/db.ts';
import type { DemoTenant } from '../../core/types.ts';
import { seedSamplesDemo } from '../../store/demo/samples.ts';
import { withRunPaths } from '../demo-tenants.ts';

export const runPath = (id: string | number): string => `${APIS.samples.basePath}/${id}/summary`;

export const seedDemo = async (db: Db): Promise<DemoTenant[]> =>
  withRunPaths(await seedSamplesDemo(db), (run) => runPath(run.id));
