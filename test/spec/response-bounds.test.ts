import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { ApiName } from '../../server/core/types.ts';
import { specValidator } from '../helpers/spec.ts';

type Json = Record<string, unknown>;

const seed200 = (api: ApiName): Json => {
  const fixture = JSON.parse(readFileSync(new URL(`../fixtures/seeds/${api}.json`, import.meta.url), 'utf8')) as {
    examples: Array<{ status: string; value: Json }>;
  };
  return structuredClone(fixture.examples.find((e) => e.status === '200')?.value ?? {});
};

/**
 * Lenient in what the vendor returns: a value the vendor's page allows (it states no bound for it)
 * must validate, so a real vendor response never fails a client's contract test.
 */
describe('a response accepts every value the vendor states no bound for', () => {
  test('matching: a non-UUID matching_config_id and a long triggered_by', () => {
    const body = { ...seed200('matching'), matching_config_id: 'cfg_42', triggered_by: 'x'.repeat(300) };
    expect(specValidator('matching').validate('matchingGetRun', 200, body).errors).toBe('No errors');
  });

  test('telemetry: an empty or 300-character schema_id in the run summary', () => {
    const spec = specValidator('telemetry');
    for (const schemaId of ['', 's'.repeat(300)]) {
      const body = { ...seed200('telemetry'), schema_id: schemaId };
      expect(spec.validate('telemetryGetRunSummary', 200, body).errors).toBe('No errors');
    }
  });

  test('telemetry and taxonomy: counts the vendor gives no bound for accept any integer', () => {
    const telemetry = seed200('telemetry') as { tier_funnel: Json; strategy_distribution: Json };
    telemetry.tier_funnel.unresolved = -1;
    telemetry.strategy_distribution.skip = -1;
    expect(specValidator('telemetry').validate('telemetryGetRunSummary', 200, telemetry).errors).toBe('No errors');
    const taxonomy = { ...seed200('taxonomy'), cluster_count: -1, node_count: -1 };
    expect(specValidator('taxonomy').validate('taxonomyGetRun', 200, taxonomy).errors).toBe('No errors');
  });

  test('workflows: validator rates and counts the vendor gives no bound for', () => {
    const body = seed200('workflows') as { data: { validators: Json[] } };
    const validator = body.data.validators[0];
    if (validator) Object.assign(validator, { pass_rate: 98, avg_score: 4.5, retry_count: -1 });
    expect(specValidator('workflows').validate('workflowsGetRunOverview', 200, body).errors).toBe('No errors');
  });

  test('workflows: a node state with a negative iteration', () => {
    const body = seed200('workflows') as { data: { workflow_snapshot: { node_states: Json[] } } };
    const state = body.data.workflow_snapshot.node_states[0];
    if (state) state.iteration = -1;
    expect(specValidator('workflows').validate('workflowsGetRunOverview', 200, body).errors).toBe('No errors');
  });
});

describe('request-side bounds the vendor does not state stay, marked as ours', () => {
  const parameter = (api: ApiName, name: string): Json => {
    const params = (specValidator(api).doc.components as Json).parameters as Record<string, Json>;
    const found = Object.values(params).find((p) => p.name === name);
    if (!found) throw new Error(`${api} has no parameter ${name}`);
    return found;
  };
  test.each([
    ['workflows', 'X-Workspace-Id', 'maxLength'],
    ['telemetry', 'schema_id', 'maxLength'],
    ['matching', 'matching_config_id', 'format'],
  ] as const)('%s %s keeps its %s and says it is inferred, with a reason', (api, name, keyword) => {
    const p = parameter(api, name);
    expect((p.schema as Json)[keyword]).toBeDefined();
    expect(p['x-provenance']).toMatchObject({ source: 'inferred', reason: expect.stringMatching(/\w{3}/) });
  });
});
