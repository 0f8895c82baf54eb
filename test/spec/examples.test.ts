import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { type Json, resolveRef } from '../../openapi/document.ts';
import { brokenRules } from '../helpers/seed-rules.ts';
import { API_NAMES, specValidator } from '../helpers/spec.ts';

interface SeedFixture {
  api: string;
  operationId: string;
  examples: Array<{ status: string; value: unknown }>;
}

const seedOf = (api: string): SeedFixture =>
  JSON.parse(readFileSync(new URL(`../fixtures/seeds/${api}.json`, import.meta.url), 'utf8')) as SeedFixture;

/** Every (operation, status, example name, value) of a bundled document, refs resolved. */
function namedExamples(api: (typeof API_NAMES)[number]) {
  const spec = specValidator(api);
  const out: Array<{ operationId: string; status: string; name: string; value: unknown }> = [];
  for (const [operationId, { op }] of spec.operations) {
    for (const status of Object.keys(op.responses as Json)) {
      const media = (spec.response(operationId, status).content as Json | undefined)?.['application/json'] as
        | Json
        | undefined;
      for (const [name, ex] of Object.entries((media?.examples ?? {}) as Record<string, Json>)) {
        out.push({ operationId, status, name, value: resolveRef(spec.doc, ex).value });
      }
    }
  }
  return { spec, out };
}

describe.each(API_NAMES)('%s contract', (api) => {
  const { spec, out } = namedExamples(api);

  test('every declared status of every operation has at least one named example (a body-less one has none)', () => {
    for (const [operationId, { op }] of spec.operations) {
      for (const status of Object.keys(op.responses as Json)) {
        if (!spec.response(operationId, status).content) continue;
        expect(
          out.some((e) => e.operationId === operationId && e.status === status),
          `${operationId} ${status}`,
        ).toBe(true);
      }
    }
  });

  test('every named example validates against the schema of its status', () => {
    for (const e of out) {
      const result = spec.validate(e.operationId, e.status, e.value);
      expect(result.errors, `${e.operationId} ${e.status} ${e.name}`).toBe('No errors');
    }
  });

  test('example names are unique within an operation (Prefer: example=<name> is unambiguous)', () => {
    for (const operationId of spec.operations.keys()) {
      const names = out.filter((e) => e.operationId === operationId).map((e) => e.name);
      expect(new Set(names).size, operationId).toBe(names.length);
    }
  });

  test("the seed's examples are present verbatim and named; the 200 one is published_example, not first", () => {
    const seed = seedOf(api);
    for (const { status, value } of seed.examples) {
      const candidates = out.filter((e) => e.operationId === seed.operationId && e.status === status);
      expect(
        candidates.some((e) => JSON.stringify(e.value) === JSON.stringify(value)),
        `${status}`,
      ).toBe(true);
      if (status !== '200') continue;
      // Prefer: example=published_example reaches it; the default a frontend meets is a realistic run.
      expect(candidates.find((e) => e.name === 'published_example')?.value).toEqual(value);
      expect(candidates[0]?.name).not.toBe('published_example');
    }
  });

  test("every named 200 example keeps the seed's rules (the seed's own example is the only exception)", () => {
    const seed = seedOf(api);
    const seedValue = JSON.stringify(seed.examples.find((e) => e.status === '200')?.value);
    for (const e of out.filter((x) => x.status === '200')) {
      if (e.operationId === seed.operationId && JSON.stringify(e.value) === seedValue) continue;
      expect(brokenRules(e.operationId, e.value), `${e.operationId} ${e.name}`).toEqual([]);
    }
  });

  test('the first 400/422 example of each operation is generic: it names no parameter', () => {
    for (const [operationId, { op }] of spec.operations) {
      const params = ((op.parameters ?? []) as Json[])
        .map((p) => resolveRef(spec.doc, p).name as string)
        .filter((name) => name.length > 2);
      for (const status of ['400', '422']) {
        const first = out.find((e) => e.operationId === operationId && e.status === status);
        if (!first) continue;
        const text = JSON.stringify(first.value);
        for (const name of params) expect(text, `${operationId} ${status} ${first.name}`).not.toContain(name);
      }
    }
  });
});

describe('the seed-rule checks catch what they claim', () => {
  // The seeds' own 200 examples break rules on purpose (the vendor pages' placeholders): each rule
  // they break is named, so a check that stopped firing, or fired for another reason, fails here.
  test.each([
    [
      'samples counts that do not add up',
      'samplesGetRunSummary',
      seedOf('samples').examples[0]?.value,
      ['pass + fail + skipped is not total_samples'],
    ],
    [
      'a pending taxonomy run with finished_at and an error',
      'taxonomyGetRun',
      seedOf('taxonomy').examples[0]?.value,
      [
        'pending run has started',
        'pending run with finished_at 2019-12-27T18:11:19.117Z',
        'pending run with error/error_code error/insufficient_data',
      ],
    ],
  ])('%s', (_label, operationId, value, broken) => {
    expect(brokenRules(operationId, value)).toEqual(broken);
  });
});

/** Copies of a seed example, each broken in one way the schema must catch. */
function mutations(value: Json, schema: Json, resolve: (s: Json) => Json): Array<[string, unknown]> {
  const props = (schema.properties ?? {}) as Record<string, Json>;
  const required = (schema.required ?? []) as string[];
  const out: Array<[string, unknown]> = [['unknown extra property', { ...value, x_unknown_field: true }]];
  for (const [key, raw] of Object.entries(props)) {
    const prop = resolve(raw);
    const current = value[key];
    if (current === undefined) continue;
    out.push([
      `${key} of the wrong type`,
      { ...value, [key]: typeof current === 'string' || current === null ? 12345 : 'not-the-right-type' },
    ]);
    if (typeof prop.maximum === 'number') out.push([`${key} above its maximum`, { ...value, [key]: prop.maximum + 1 }]);
    if (typeof prop.minimum === 'number') out.push([`${key} below its minimum`, { ...value, [key]: prop.minimum - 1 }]);
    if (typeof prop.maxLength === 'number')
      out.push([`${key} longer than maxLength`, { ...value, [key]: 'x'.repeat(prop.maxLength + 1) }]);
    if (Array.isArray(prop.enum)) out.push([`${key} outside its enum`, { ...value, [key]: 'not_in_enum' }]);
    if (required.includes(key)) {
      const { [key]: _dropped, ...rest } = value;
      out.push([`${key} missing`, rest]);
    }
  }
  return out;
}

describe.each(API_NAMES)('%s seed example against its 200 schema', (api) => {
  const spec = specValidator(api);
  const seed = seedOf(api);
  const value = seed.examples.find((e) => e.status === '200')?.value as Json;
  const resolve = (s: Json): Json => resolveRef(spec.doc, s);
  const media = (spec.response(seed.operationId, 200).content as Json)['application/json'] as Json;
  const schema = resolve(media.schema as Json);

  test('validates as published', () => {
    expect(spec.validate(seed.operationId, 200, value).errors).toBe('No errors');
  });

  const cases = mutations(value, schema, resolve);
  test('has a field-level negative for each of: extra property, wrong type, missing, out of bounds', () => {
    const labels = cases.map(([label]) => label).join('\n');
    expect(labels).toMatch(/unknown extra property/);
    expect(labels).toMatch(/wrong type/);
    expect(labels).toMatch(/missing/);
    // workflows' seed has no bounded top-level field; its bounds live in nested objects (tested below)
    if (api !== 'workflows') expect(labels).toMatch(/maximum|minimum|maxLength|enum/);
  });
  test.each(cases)('is refused with %s', (_label, broken) => {
    expect(spec.validate(seed.operationId, 200, broken).valid).toBe(false);
  });
});

describe('the check itself catches corrupted examples', () => {
  test('a nested value out of bounds fails (matching results[].confidence above 1)', () => {
    const spec = specValidator('matching');
    const seed = seedOf('matching').examples[0]?.value as { results: Array<Json> };
    const broken = structuredClone(seed);
    const first = broken.results[0];
    if (first) first.confidence = 1.5;
    expect(spec.validate('matchingGetRun', 200, broken).valid).toBe(false);
  });
  test('a nested value of the wrong type fails (workflows pass_rate as a string)', () => {
    const spec = specValidator('workflows');
    const seed = seedOf('workflows').examples[0]?.value as { data: { validators: Array<Json> } };
    const broken = structuredClone(seed);
    const first = broken.data.validators[0];
    if (first) first.pass_rate = '98%';
    expect(spec.validate('workflowsGetRunOverview', 200, broken).valid).toBe(false);
  });
  test('an unknown property deep inside a closed object fails (telemetry tier_funnel)', () => {
    const spec = specValidator('telemetry');
    const seed = structuredClone(seedOf('telemetry').examples[0]?.value) as { tier_funnel: Json };
    seed.tier_funnel.tier4 = 1;
    expect(spec.validate('telemetryGetRunSummary', 200, seed).valid).toBe(false);
  });
});
