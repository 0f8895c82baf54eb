import type { ApiName } from '../../core/types.ts';
import type { Queryable } from '../db.ts';
import { bulkMatching } from './matching.ts';
import { bulkSamples } from './samples.ts';
import { bulkTaxonomy } from './taxonomy.ts';
import { bulkTelemetry } from './telemetry.ts';
import { bulkWorkflows } from './workflows.ts';

/**
 * Large deterministic datasets for benchmarks, per API: `runs` runs with `perRun` child rows each
 * (cells, results, test results), written by PostgreSQL itself. Returns the rows written.
 */
export type BulkSeeder = (db: Queryable, tenantId: string, runs: number, perRun: number) => Promise<number>;

export const BULK_SEEDERS: Record<ApiName, BulkSeeder> = {
  telemetry: bulkTelemetry,
  workflows: bulkWorkflows,
  matching: bulkMatching,
  taxonomy: (db, tenant, runs) => bulkTaxonomy(db, tenant, runs),
  samples: bulkSamples,
};
