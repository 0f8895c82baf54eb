import type { Logger } from 'pino';
import type { ApiModule, ApiName } from './core/types.ts';
import type { DemoManifest } from './demo-manifest.ts';
import type { FinishedRun } from './live/types.ts';
import { demoReads, type FinalRead, type StoreOutcome } from './store-final-bodies.ts';

/** The manifest's runs in a final status, each read with its tenant's demo key and headers. */
export function terminalDemoReads(manifest: DemoManifest, apis: readonly ApiModule[]): FinalRead[] {
  return apis.flatMap((api) =>
    (manifest.apis[api.name]?.tenants ?? []).flatMap((tenant) =>
      demoReads(
        api.name,
        tenant,
        tenant.runs.filter((run) => api.finalStatuses.includes(run.status)).map((run) => run.path),
      ),
    ),
  );
}

/** Runs live mode finished, read with their tenant's demo credentials (a tenant not in the manifest is left out). */
export function finishedReads(manifest: DemoManifest, api: ApiName, runs: readonly FinishedRun[]): FinalRead[] {
  const tenants = manifest.apis[api]?.tenants ?? [];
  return runs.flatMap((run) => {
    const tenant = tenants.find((t) => t.tenant === run.tenant);
    return tenant ? demoReads(api, tenant, [run.path]) : [];
  });
}

/** What a store call did, as one line; a read that stored nothing is a warning (it only costs a later render). */
export function logStored(
  logger: Logger,
  what: string,
  outcome: StoreOutcome,
  level: 'info' | 'debug' = 'info',
  ms?: number,
): void {
  const { stored, skipped, refused, failed } = outcome;
  const counts = { stored, skipped, refused: refused.length, failed: failed.length };
  logger[level](ms === undefined ? counts : { ...counts, ms }, `${what}: ${stored} final bodies stored`);
  if (refused.length + failed.length > 0)
    logger.warn(
      { refused: refused.slice(0, 5), failed: failed.slice(0, 5) },
      `${what}: some final bodies were not stored`,
    );
}
