import type { components } from '../../../generated/workflows.ts';
import type { MetricRow, RunOverviewRows } from '../../store/workflows.ts';

type Schemas = components['schemas'];
type RunOverview = Schemas['WorkflowsRunOverview'];
type MetricSection = Schemas['WorkflowsMetricSection'];

export const APP_URL = 'https://app.onepin.ai';

/** Statuses a run never leaves. */
export const FINAL: Array<Schemas['WorkflowsRunStatus']> = ['completed', 'failed', 'cancelled'];

/** A run's overview body (`data`) from what the store read. */
export function overviewBody(workflowId: string, runId: string, rows: RunOverviewRows): RunOverview {
  const { run, definition, nodeStates, validators } = rows;
  const drilldown = validators.some((v) => v.status === 'available');
  const liveTrace = nodeStates.some((n) => n.started_at !== null);
  const base = `${APP_URL}/workflows/${workflowId}/runs/${runId}`;
  return {
    workflow: { id: workflowId, name: rows.workflowName },
    run,
    // jsonb keeps keys in its own order; answer in the spec's.
    workflow_snapshot: {
      definition: { version: definition.version, steps: definition.steps },
      node_states: nodeStates,
    },
    metric_sections: metricSections(rows.metricRows),
    audio_by_language: rows.audio,
    validators,
    capabilities: {
      validator_drilldown: drilldown,
      live_trace_timing: liveTrace,
      // Aggregates of a run in a final status no longer move: they are as persisted.
      persisted_aggregates: FINAL.includes(run.status),
    },
    future_links: {
      validator_drilldown: drilldown ? `${base}/validators` : null,
      live_trace: liveTrace ? `${base}/live-trace` : null,
    },
  };
}

const formatter = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

function metricSections(rows: MetricRow[]): MetricSection[] {
  const sections = new Map<string, MetricSection>();
  for (const row of rows) {
    let section = sections.get(row.section_key);
    if (!section) {
      section = { key: row.section_key, layout: row.layout, title: row.title, metrics: [] };
      sections.set(row.section_key, section);
    }
    if (row.key === null) continue;
    const available = row.value !== null;
    section.metrics.push({
      key: row.key,
      label: row.label,
      formatted_value: available ? formatter.format(row.value as number) : null,
      status: available ? 'available' : 'unavailable',
      display: { variant: row.variant, emphasis: row.emphasis },
      value: row.value,
      unit: row.unit,
      reason: available ? null : row.reason,
    });
  }
  return [...sections.values()];
}
