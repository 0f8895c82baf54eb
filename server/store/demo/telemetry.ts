import type { Queryable } from '../db.ts';
import { insertKey } from '../keys.ts';
import {
  type Cell,
  type FilledBy,
  insertCells,
  insertRun,
  type RunStatus,
  type Strategy,
  type Tier,
} from '../telemetry.ts';
import type { SeededRun, SeededTenant } from './seeded.ts';

/** Demo keys are public by design: they only open the demo dataset. */
export const TELEMETRY_DEMO = [
  { organization: 'org_acme', apiKey: 'tlm_demo_acme_4f7c2a9e1b', prefix: '1' },
  { organization: 'org_globex', apiKey: 'tlm_demo_globex_8d3b6e0f2c', prefix: '2' },
] as const;

/** Cells as counts per strategy, per tier and per filler; each list sums to the run's cell count. */
interface CellPlan {
  strategy: Partial<Record<Strategy, number>>;
  tier: Partial<Record<Tier, number>>;
  filledBy: Partial<Record<FilledBy, number>>;
}

interface RunPlan {
  schema: string;
  status: RunStatus;
  /** Hours after BASE the run was created, and minutes it took to finish (finished runs). */
  createdH: number;
  tookMin?: number;
  cells?: CellPlan;
}

/**
 * Figures are checked by test/telemetry. acme's sch-uuid-1 has two completed runs: the one created
 * first finished last, so "latest" is decided by completed_at; its failed run finishes later still
 * and must never be picked. sch-drafts-v1 only has a failed run, so its schema summary is a 404.
 */
const PLANS: Record<(typeof TELEMETRY_DEMO)[number]['organization'], RunPlan[]> = {
  org_acme: [
    {
      schema: 'sch-uuid-1',
      status: 'completed',
      createdH: 0,
      tookMin: 300,
      cells: {
        strategy: { transfer: 24, extract: 10, compute: 4, skip: 2 },
        tier: { tier1: 20, tier2: 10, tier3: 4, unresolved: 6 },
        filledBy: { capture: 30, synthesis: 8, none: 2 },
      },
    },
    {
      schema: 'sch-uuid-1',
      status: 'completed',
      createdH: 1,
      tookMin: 60,
      cells: {
        strategy: { transfer: 10, extract: 6, compute: 2, skip: 2 },
        tier: { tier1: 8, tier2: 6, tier3: 2, unresolved: 4 },
        filledBy: { capture: 10, synthesis: 6, none: 4 },
      },
    },
    {
      schema: 'sch-uuid-1',
      status: 'failed',
      createdH: 2,
      tookMin: 240,
      cells: {
        strategy: { transfer: 6, extract: 2, skip: 8 },
        tier: { tier1: 4, tier2: 2, unresolved: 10 },
        filledBy: { capture: 6, synthesis: 2, none: 8 },
      },
    },
    {
      schema: 'sch-uuid-1',
      status: 'running',
      createdH: 3,
      cells: {
        strategy: { transfer: 5, extract: 5 },
        tier: { tier1: 5, tier2: 5 },
        filledBy: { capture: 5, synthesis: 5 },
      },
    },
    { schema: 'sch-orders-v3', status: 'pending', createdH: 4 },
    { schema: 'sch-orders-v3', status: 'completed', createdH: 5, tookMin: 10 },
    {
      schema: 'sch-invoices-v2',
      status: 'completed',
      createdH: 6,
      tookMin: 20,
      cells: {
        strategy: { transfer: 15, extract: 5, skip: 5 },
        tier: { tier1: 10, tier2: 5, unresolved: 10 },
        filledBy: { capture: 15, none: 10 },
      },
    },
    {
      schema: 'sch-drafts-v1',
      status: 'failed',
      createdH: 7,
      tookMin: 5,
      cells: {
        strategy: { transfer: 2, extract: 1, compute: 1 },
        tier: { tier1: 2, tier2: 1, tier3: 1 },
        filledBy: { capture: 2, synthesis: 2 },
      },
    },
  ],
  org_globex: [
    {
      // finishes after every acme run: acme's schema summary must still not see it
      schema: 'sch-uuid-1',
      status: 'completed',
      createdH: 10,
      tookMin: 30,
      cells: { strategy: { transfer: 8 }, tier: { tier1: 8 }, filledBy: { capture: 8 } },
    },
    {
      schema: 'sch-uuid-1',
      status: 'running',
      createdH: 11,
      cells: { strategy: { extract: 4 }, tier: { tier2: 4 }, filledBy: { synthesis: 4 } },
    },
    { schema: 'sch-shipments-v1', status: 'pending', createdH: 12 },
    {
      schema: 'sch-shipments-v1',
      status: 'failed',
      createdH: 13,
      tookMin: 3,
      cells: { strategy: { skip: 5 }, tier: { unresolved: 5 }, filledBy: { none: 5 } },
    },
    {
      schema: 'sch-shipments-v1',
      status: 'completed',
      createdH: 14,
      tookMin: 15,
      cells: {
        strategy: { transfer: 4, extract: 4, compute: 2 },
        tier: { tier1: 5, tier2: 3, tier3: 1, unresolved: 1 },
        filledBy: { capture: 7, synthesis: 3 },
      },
    },
  ],
};

const BASE = Date.parse('2026-03-02T08:00:00.000Z');

/** Deterministic run UUIDs: 7e1e0000-0000-4000-8000-00000000<org><nn>. */
export const demoRunId = (prefix: string, index: number): string =>
  `7e1e0000-0000-4000-8000-0000000${prefix}${String(index + 1).padStart(4, '0')}`;

const expand = <K extends string>(counts: Partial<Record<K, number>>): K[] =>
  (Object.entries(counts) as Array<[K, number]>).flatMap(([k, n]) => Array<K>(n).fill(k));

function cellsOf(plan: CellPlan | undefined): Cell[] {
  if (!plan) return [];
  const strategies = expand(plan.strategy);
  const tiers = expand(plan.tier);
  const fillers = expand(plan.filledBy);
  if (tiers.length !== strategies.length || fillers.length !== strategies.length) {
    throw new Error('telemetry demo plan: counts per strategy, tier and filler must add up to the same total');
  }
  return strategies.map((strategy, i) => ({
    strategy,
    tier: tiers[i] ?? 'unresolved',
    filledBy: fillers[i] ?? 'none',
  }));
}

export async function seedTelemetryDemo(db: Queryable): Promise<SeededTenant[]> {
  const tenants: SeededTenant[] = [];
  for (const org of TELEMETRY_DEMO) {
    await insertKey(
      db,
      { api: 'telemetry', tenantId: org.organization, subject: `demo:${org.organization}` },
      org.apiKey,
      'demo',
    );
    const runs: SeededRun[] = [];
    for (const [i, plan] of PLANS[org.organization].entries()) {
      const id = demoRunId(org.prefix, i);
      const createdAt = new Date(BASE + plan.createdH * 3_600_000);
      const finished = plan.status === 'completed' || plan.status === 'failed';
      const completedAt = finished ? new Date(createdAt.getTime() + (plan.tookMin ?? 0) * 60_000) : null;
      const written = await insertRun(db, {
        id,
        organizationId: org.organization,
        schemaId: plan.schema,
        status: plan.status,
        createdAt,
        completedAt,
      });
      if (written) await insertCells(db, id, cellsOf(plan.cells));
      runs.push({ id, status: plan.status });
    }
    tenants.push({ tenant: org.organization, apiKey: org.apiKey, runs });
  }
  return tenants;
}
