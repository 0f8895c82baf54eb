/** Demo ids are derived, not random: the same seed gives the same id on every machine and start. */
import { describe, expect, test } from 'vitest';
import { demoUuid as matchingUuid } from '../../server/store/demo/matching.ts';
import { stableUuid } from '../../server/store/demo/stable-uuid.ts';
import { demoRunId as taxonomyRunId } from '../../server/store/demo/taxonomy.ts';
import { demoUuid as workflowsUuid } from '../../server/store/demo/workflows.ts';

describe('stable demo UUIDs', () => {
  // Values the three per-API helpers produced before they shared one: ids in published manifests.
  test.each([
    ['matching', () => matchingUuid('run:1'), 'e5efc20b-0a1d-5005-ab07-ff493f5d4707'],
    ['matching', () => matchingUuid('config:a'), 'd364b374-e829-5100-a2b5-47259a594b79'],
    ['taxonomy', () => taxonomyRunId('tnt_acme', 0), '76b65761-e031-49c6-8c3a-588b6de6711d'],
    ['taxonomy', () => taxonomyRunId('tnt_globex', 7), 'fb392a5f-5a18-4628-adc5-3711ac61a4c1'],
    ['workflows', () => workflowsUuid('test:aggregates'), '0d3c82c0-9cc4-5c47-9b1f-e19a7779aaca'],
    ['workflows', () => workflowsUuid('workflow:ingest'), '6e4cf747-a359-55ca-ba76-dc28dae02d6d'],
  ])('%s: %#', (_api, id, expected) => {
    expect(id()).toBe(expected);
  });

  test('the version and variant bits are set', () => {
    expect(stableUuid('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(stableUuid('x', 4)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
