import type { components } from '../../../generated/matching.ts';
import type { Queryable, SqlParam } from '../db.ts';
import { insertKey } from '../keys.ts';
import type { SeededRun, SeededTenant } from './seeded.ts';
import { stableUuid } from './stable-uuid.ts';

type RunStatus = components['schemas']['MatchingRunStatus'];

/** Demo keys are public by design: they only open the demo dataset. */
export const MATCHING_DEMO = [
  {
    workspace: 'ws_acme_finance',
    apiKey: 'mtc_demo_acme_4c7e19b2d0',
    configs: [
      { name: 'Invoices vs general ledger', threshold: 0.8 },
      { name: 'Purchase orders vs vendor master', threshold: 0.85 },
    ],
  },
  {
    workspace: 'ws_globex_ap',
    apiKey: 'mtc_demo_globex_8a2f5d03e6',
    configs: [
      { name: 'Receipts vs card statements', threshold: 0.75 },
      { name: 'Credit notes vs invoices', threshold: 0.9 },
    ],
  },
] as const;

/** Run plans; the first has more than 50 results so the detail shows a truncated top 50. */
const RUNS: Array<{ status: RunStatus; config: 0 | 1; by: string; processed: number | null; results: number }> = [
  { status: 'completed', config: 0, by: 'manual', processed: 140, results: 120 },
  { status: 'completed', config: 1, by: 'schedule', processed: 12, results: 10 },
  { status: 'ai_resolving', config: 0, by: 'manual', processed: 30, results: 30 },
  { status: 'running', config: 1, by: 'api', processed: 18, results: 18 },
  { status: 'failed', config: 0, by: 'schedule', processed: 25, results: 20 },
  { status: 'cancelled', config: 1, by: 'manual', processed: 9, results: 9 },
  { status: 'queued', config: 0, by: 'schedule', processed: null, results: 0 },
];

const FAILURE = 'Reference table could not be read: connection to the data source was reset.';
const VENDORS = ['acme', 'initech', 'umbrella', 'globex'];
const BASE = Date.parse('2024-10-01T08:00:00.000Z');

/** A stable UUID (v5 layout) per name, so demo ids survive restarts and re-seeding. */
export const demoUuid = (name: string): string => stableUuid(`matching-demo:${name}`);

const score = (v: number) => Number(Math.min(1, Math.max(0, v)).toFixed(2));

/** One result row per document: confidences 0.604..1.000 spread over the run, 0.8 included. */
function resultRow(runId: string, tag: string, run: number, j: number): SqlParam[] {
  const confidence = Number((1 - ((j * 37 + run * 11) % 100) / 250).toFixed(3));
  const evidence =
    j % 11 === 10
      ? null
      : {
          vendor_name: { strategy: 'fuzzy', score: score(confidence + 0.03) },
          invoice_date: { strategy: 'date_range', score: j % 5 === 0 ? 0.8 : 1 },
          amount: { strategy: 'numeric_range', score: score(confidence - 0.08) },
        };
  const status =
    confidence >= 0.9 && j % 3 === 0 ? 'approved' : confidence < 0.7 && j % 4 === 0 ? 'rejected' : 'pending';
  return [
    demoUuid(`${runId}:result:${j}`),
    runId,
    `doc_${tag}${run}_${j + 1}`,
    j % 9 === 4 ? null : `invoice-${VENDORS[j % VENDORS.length]}-2024-${String(j + 1).padStart(3, '0')}.pdf`,
    confidence >= 0.65 ? `ref_row_${(j * 7 + run * 13) % 500}` : null,
    confidence,
    status,
    evidence && JSON.stringify(evidence),
  ];
}

async function insertResults(db: Queryable, rows: SqlParam[][]): Promise<void> {
  if (rows.length === 0) return;
  const values = rows.map((_, r) => `(${[1, 2, 3, 4, 5, 6, 7, 8].map((c) => `$${r * 8 + c}`).join(', ')}::jsonb)`);
  await db.query(
    `INSERT INTO matching_results (id, run_id, document_id, document_filename, matched_reference_row_id, confidence, status, evidence)
     VALUES ${values.join(', ')} ON CONFLICT (id) DO NOTHING`,
    rows.flat(),
  );
}

export async function seedMatchingDemo(db: Queryable): Promise<SeededTenant[]> {
  const tenants: SeededTenant[] = [];
  for (const [t, tenant] of MATCHING_DEMO.entries()) {
    await insertKey(
      db,
      { api: 'matching', tenantId: tenant.workspace, subject: `demo:${tenant.workspace}` },
      tenant.apiKey,
      'demo',
    );
    const configIds = tenant.configs.map((_, c) => demoUuid(`${tenant.workspace}:config:${c}`));
    for (const [c, config] of tenant.configs.entries()) {
      await db.query(
        `INSERT INTO matching_configs (id, workspace_id, name, threshold, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO NOTHING`,
        [configIds[c] ?? '', tenant.workspace, config.name, config.threshold, new Date(BASE - 86_400_000)],
      );
    }
    const runs: SeededRun[] = [];
    for (const [i, plan] of RUNS.entries()) {
      const id = demoUuid(`${tenant.workspace}:run:${i}`);
      const created = new Date(BASE + (t * 10 + i) * 3_600_000);
      const started = plan.status === 'queued' ? null : new Date(created.getTime() + 5_000);
      const ended = ['completed', 'failed', 'cancelled'].includes(plan.status);
      const completed = ended && started ? new Date(started.getTime() + (60 + i * 7) * 1000) : null;
      const inserted = await db.query(
        `INSERT INTO matching_runs (id, workspace_id, matching_config_id, status, triggered_by, rows_processed,
                                    started_at, completed_at, error, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [
          id,
          tenant.workspace,
          configIds[plan.config] ?? '',
          plan.status,
          plan.by,
          plan.processed,
          started,
          completed,
          plan.status === 'failed' ? FAILURE : null,
          created,
        ],
      );
      runs.push({ id, status: plan.status });
      if (inserted.length === 0) continue;
      const tag = tenant.workspace.split('_')[1] ?? 'ws';
      await insertResults(
        db,
        Array.from({ length: plan.results }, (_, j) => resultRow(id, tag, i, j)),
      );
    }
    tenants.push({ tenant: tenant.workspace, apiKey: tenant.apiKey, runs });
  }
  return tenants;
}
