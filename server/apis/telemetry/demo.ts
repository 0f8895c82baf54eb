import { APIS } from '../../../generated/apis.ts';
import type { Db } from '../../core/db.ts';
import type { DemoTenant } from '../../core/types.ts';
import { seedTelemetryDemo } from '../../store/demo/telemetry.ts';
import { terminalRuns } from '../../store/terminal-runs.ts';
import { withRunPaths } from '../demo-tenants.ts';

export const runPath = (id: string | number): string => `${APIS.telemetry.basePath}/runs/${id}/summary`;

export const seedDemo = async (db: Db): Promise<DemoTenant[]> =>
  withRunPaths(await seedTelemetryDemo(db), (run) => runPath(run.id));

// Only completed and failed runs have a summary (store/telemetry.ts), and it never changes.
export const FINAL = ['completed', 'failed'];

export const finalRunPaths = async (db: Db, tenant: string, limit: number): Promise<string[]> =>
  (await terminalRuns(db, 'telemetry', tenant, FINAL, limit)).map((run) => runPath(run.id));
