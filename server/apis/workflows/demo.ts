import { APIS } from '../../../generated/apis.ts';
import type { Db } from '../../core/db.ts';
import type { DemoTenant } from '../../core/types.ts';
import { seedWorkflowsDemo } from '../../store/demo/workflows.ts';
import { terminalRuns } from '../../store/terminal-runs.ts';
import { withRunPaths } from '../demo-tenants.ts';
import { FINAL } from './overview.ts';

export const runPath = (id: string | number, workflowId: string): string =>
  `${APIS.workflows.basePath}/${workflowId}/runs/${id}/overview`;

export const seedDemo = async (db: Db): Promise<DemoTenant[]> =>
  withRunPaths(await seedWorkflowsDemo(db), (run) => runPath(run.id, run.workflowId));

export const finalRunPaths = async (db: Db, tenant: string, limit: number): Promise<string[]> =>
  (await terminalRuns(db, 'workflows', tenant, FINAL, limit)).map((run) => runPath(run.id, run.parentId ?? ''));
