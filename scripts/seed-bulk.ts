import { parseArgs } from 'node:util';
import { registry } from '../server/apis/registry.ts';
import type { ApiModule, DemoTenant } from '../server/core/types.ts';
import { BULK_SEEDERS } from '../server/store/bulk/index.ts';
import type { Db } from '../server/store/db.ts';
import { demoReads, type FinalRead, type StoreOutcome, storeFinalBodies } from '../server/store-final-bodies.ts';

export interface SeedOptions {
  runs: number;
  perRun: number;
  batch: number;
  apis: ApiModule[];
  /** Render and store every terminal run's body of the seeded tenants (the default). */
  storeBodies: boolean;
}

export const SEED_USAGE = `usage: npm run seed -- [--runs N (default 5000)] [--per-run M (default 200)] [--batch B (default 250)] [--no-store-bodies] [--api ${Object.keys(BULK_SEEDERS).join('|')}]...`;

/** The options of `npm run seed`, or undefined when they make no sense (print SEED_USAGE). */
export function parseSeedArgs(args: string[]): SeedOptions | undefined {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch {
    return undefined;
  }
  const { values, tokens } = parsed;
  const runs = Number(values.runs);
  const perRun = Number(values['per-run']);
  const batch = Number(values.batch);
  const apis = registry.filter((api) => BULK_SEEDERS[api.name] && (!values.api || values.api.includes(api.name)));
  if (![runs, perRun, batch].every((n) => Number.isInteger(n) && n > 0) || apis.length === 0) return undefined;
  // Node 20's parseArgs has no allowNegative: of --store-bodies and --no-store-bodies, the last one given wins.
  const last = tokens.filter((t) => t.kind === 'option' && /^(no-)?store-bodies$/.test(t.name)).at(-1);
  const storeBodies = last?.kind !== 'option' || last.name === 'store-bodies';
  return { runs, perRun, batch, apis, storeBodies };
}

const parse = (args: string[]) =>
  parseArgs({
    args,
    tokens: true,
    options: {
      runs: { type: 'string', default: '5000' },
      'per-run': { type: 'string', default: '200' },
      api: { type: 'string', multiple: true },
      batch: { type: 'string', default: '250' },
      'store-bodies': { type: 'boolean' },
      'no-store-bodies': { type: 'boolean' },
    },
  });

export interface SeedReport {
  /** Per API: runs and rows added, and for which tenant. */
  seeded: Array<{ api: string; tenant: string; runs: number; rows: number; seconds: number }>;
  /** Undefined with --no-store-bodies. */
  bodies?: StoreOutcome & { seconds: number };
}

/**
 * Adds `runs` bulk runs per API to its first demo tenant (whose key then opens them), refreshes
 * the planner's statistics, then (unless told not to) stores the body of every terminal run of
 * those tenants, so a fresh server's first read of any of them is one primary-key read.
 */
export async function seedBulk(
  db: Db,
  options: SeedOptions & { jwtSecret?: string | undefined },
  progress: (api: string, done: number) => void = () => {},
): Promise<SeedReport> {
  const report: SeedReport = { seeded: [] };
  const owners: Array<{ api: ApiModule; tenant: DemoTenant }> = [];
  for (const api of options.apis) {
    const seeder = BULK_SEEDERS[api.name];
    // The demo tenants own the bulk rows, so the demo keys open them.
    const demo = (await api.seedDemo(db))[0];
    if (!seeder || !demo) continue;
    const started = performance.now();
    let rows = 0;
    for (let done = 0; done < options.runs; done += options.batch) {
      const n = Math.min(options.batch, options.runs - done);
      rows += await db.transaction((tx) => seeder(tx, demo.tenant, n, options.perRun));
      progress(api.name, done + n);
    }
    const seconds = (performance.now() - started) / 1000;
    report.seeded.push({ api: api.name, tenant: demo.tenant, runs: options.runs, rows, seconds });
    owners.push({ api, tenant: demo });
  }
  // Fresh statistics for the planner: without them (autovacuum may be off or behind) a bulk-loaded
  // table is planned as if empty or tiny, e.g. samples' summary went from 3 ms to 245 ms.
  await db.exec('ANALYZE');
  if (!options.storeBodies) return report;
  const started = performance.now();
  const reads: FinalRead[] = [];
  for (const { api, tenant } of owners)
    reads.push(...demoReads(api.name, tenant, await api.finalRunPaths(db, tenant.tenant, Number.MAX_SAFE_INTEGER)));
  // One app renders every API's bodies; those stored by an earlier seed are not rendered again.
  const outcome = await storeFinalBodies(db, reads, { jwtSecret: options.jwtSecret });
  report.bodies = { ...outcome, seconds: (performance.now() - started) / 1000 };
  return report;
}
