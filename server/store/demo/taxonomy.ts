import type { components } from '../../../generated/taxonomy.ts';
import type { Queryable } from '../db.ts';
import { insertKey } from '../keys.ts';
import type { SeededRun, SeededTenant } from './seeded.ts';
import { stableUuid } from './stable-uuid.ts';

type RunStatus = components['schemas']['TaxonomyRunStatus'];
type ErrorCode = components['schemas']['TaxonomyErrorCode'];

/** Demo keys are public by design: they only open the demo dataset. */
export const TAXONOMY_DEMO = [
  { tenant: 'tnt_acme', apiKey: 'txh_demo_acme_5c1e8f2a7d', offset: 0 },
  { tenant: 'tnt_globex', apiKey: 'txh_demo_globex_9b4d06e3f1', offset: 10 },
] as const;

interface Plan {
  status: RunStatus;
  field: string;
  label?: string;
  source: string;
  sourceType: string;
  /** records, embeddings, clusters, nodes */
  counts: [number, number, number, number];
  metrics?: Record<string, unknown>;
  failure?: { error: string; code: ErrorCode };
  /** A pending run that was canceled never started. */
  neverStarted?: boolean;
}

/** One run in every status, a failure with its reason, and one over the "no source" bucket. */
const RUNS: Plan[] = [
  {
    status: 'succeeded',
    field: 'fld_product_category',
    label: 'Product category',
    source: 'src_shopify_main',
    sourceType: 'shopify',
    counts: [2312, 2298, 42, 57],
    metrics: { silhouette_score: 0.41, duration_ms: 224310 },
  },
  {
    status: 'succeeded',
    field: 'fld_free_text_note',
    source: '',
    sourceType: 'manual',
    counts: [420, 418, 12, 17],
    metrics: { silhouette_score: 0.37, duration_ms: 70211 },
  },
  {
    status: 'failed',
    field: 'fld_support_topic',
    label: 'Support topic',
    source: 'src_zendesk',
    sourceType: 'zendesk',
    counts: [3, 3, 0, 0],
    failure: {
      error: 'Not enough records to build a taxonomy (3 found, at least 20 required).',
      code: 'insufficient_data',
    },
  },
  {
    status: 'canceled',
    field: 'fld_product_category',
    label: 'Product category',
    source: 'src_shopify_outlet',
    sourceType: 'shopify',
    counts: [0, 0, 0, 0],
    neverStarted: true,
  },
  {
    status: 'running',
    field: 'fld_support_topic',
    label: 'Support topic',
    source: 'src_zendesk',
    sourceType: 'zendesk',
    counts: [1840, 960, 0, 0],
  },
  {
    status: 'pending',
    field: 'fld_product_category',
    label: 'Product category',
    source: 'src_shopify_main',
    sourceType: 'shopify',
    counts: [0, 0, 0, 0],
  },
];

const BASE = Date.parse('2026-03-10T08:00:00.000Z');

/** A stable UUID (version 4 layout) per tenant and run, so the manifest's paths never change. */
export const demoRunId = (tenant: string, index: number): string => stableUuid(`taxonomy-demo:${tenant}:${index}`, 4);

export async function seedTaxonomyDemo(db: Queryable): Promise<SeededTenant[]> {
  const tenants: SeededTenant[] = [];
  for (const demo of TAXONOMY_DEMO) {
    await insertKey(
      db,
      { api: 'taxonomy', tenantId: demo.tenant, subject: `demo:${demo.tenant}` },
      demo.apiKey,
      'demo',
    );
    const runs: SeededRun[] = [];
    for (const [i, plan] of RUNS.entries()) {
      const id = demoRunId(demo.tenant, i);
      const created = new Date(BASE + (demo.offset + i) * 3_600_000 + 250);
      const started =
        plan.status === 'pending' || plan.neverStarted ? null : new Date(created.getTime() + 2_443 + i * 17);
      const terminal = plan.status === 'succeeded' || plan.status === 'failed' || plan.status === 'canceled';
      const finished = terminal ? new Date((started ?? created).getTime() + 60_000 + i * 1_111) : null;
      const [records, embeddings, clusters, nodes] = plan.counts;
      await db.query(
        `INSERT INTO taxonomy_runs (id, tenant_id, field_id, field_label, source_id, source_type, status,
           record_count, embedding_count, cluster_count, node_count, params, metrics, error, error_code,
           started_at, finished_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13::jsonb, $14, $15, $16, $17, $18, $19)
         ON CONFLICT (id) DO NOTHING`,
        [
          id,
          demo.tenant,
          plan.field,
          plan.label ?? null,
          plan.source,
          plan.sourceType,
          plan.status,
          records,
          embeddings,
          clusters,
          nodes,
          JSON.stringify({ max_depth: 3, min_cluster_size: 5 }),
          plan.metrics ? JSON.stringify(plan.metrics) : null,
          plan.failure?.error ?? null,
          plan.failure?.code ?? null,
          started,
          finished,
          created,
          finished ?? started ?? created,
        ],
      );
      runs.push({ id, status: plan.status });
    }
    tenants.push({ tenant: demo.tenant, apiKey: demo.apiKey, runs });
  }
  return tenants;
}
