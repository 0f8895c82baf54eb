import { APIS } from '../../../generated/apis.ts';
import type { Db } from '../../core/db.ts';
import type { DemoTenant } from '../../core/types.ts';
import { seedMatchingDemo } from '../../store/demo/matching.ts';
import { terminalRuns } from '../../store/terminal-runs.ts';
import { withRunPaths } from '../demo-tenants.ts';
import { FINAL } from './handlers.ts';

export const runPath = (id: string | number): string => `${APIS.matching.basePath}/runs/${id}`;

export const seedDemo = async (db: Db): Promise<DemoTenant[]> =>
  withRunPaths(await seedMatchingDemo(db), (run) => runPath(run.id));

export const finalRunPaths = async (db: Db, tenant: string, limit: number): Promise<string[]> =>
  (await terminalRuns(db, 'matching', tenant, FINAL, limit)).map((run) => runPath(run.id));
