/**
 * One fixture pair per rule (test/fixtures/spec-diff/<rule>/{old,new}.json): small documents that
 * share components through $refs, so one schema change shows up wherever the schema is used, and in
 * the direction it is read there (request: narrowing breaks; response: widening breaks).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { diffDocuments } from '../../scripts/spec-diff/diff.ts';
import type { Json } from '../../scripts/spec-diff/types.ts';

const FIXTURES = new URL('../fixtures/spec-diff/', import.meta.url);
const load = (name: string, side: 'old' | 'new') =>
  JSON.parse(readFileSync(new URL(`${name}/${side}.json`, FIXTURES), 'utf8')) as Json;

/** [B(reaking) | C(ompatible), rule, operation, where]. */
type Want = ['B' | 'C', string, string, string];

const cases: Array<{ given: string; want: Want[] }> = [
  // Named examples are the mock's scenario keys.
  {
    given: 'example-removed',
    want: [['B', 'response.example-removed', 'GET /runs/{id}', 'response 200 body example running_run']],
  },
  {
    given: 'example-renamed',
    want: [['B', 'response.example-renamed', 'GET /runs/{id}', 'response 200 body example completed_run']],
  },
  {
    given: 'example-added',
    want: [['C', 'response.example-added', 'GET /runs/{id}', 'response 200 body example running_run']],
  },
  { given: 'operation-removed', want: [['B', 'operation.removed', 'GET /runs/{id}', '']] },
  { given: 'operation-added', want: [['C', 'operation.added', 'DELETE /runs/{id}', '']] },
  { given: 'operation-id-changed', want: [['B', 'operation.id-changed', 'GET /runs/{id}', '']] },
  { given: 'operation-deprecated', want: [['C', 'operation.deprecated', 'GET /runs/{id}', '']] },
  { given: 'parameter-removed', want: [['B', 'parameter.removed', 'GET /runs', 'query status']] },
  { given: 'parameter-added-required', want: [['B', 'parameter.added-required', 'GET /runs', 'query project']] },
  { given: 'parameter-added-optional', want: [['C', 'parameter.added', 'GET /runs', 'query q']] },
  { given: 'parameter-required', want: [['B', 'parameter.required', 'GET /runs', 'query limit']] },
  // {id} → {run_id}: the same URL, so the same operation and parameter.
  { given: 'parameter-renamed', want: [['C', 'parameter.renamed', 'GET /runs/{run_id}', 'path run_id']] },
  { given: 'parameter-serialization', want: [['B', 'parameter.serialization', 'GET /runs', 'query status']] },
  { given: 'bound-narrowed-request', want: [['B', 'schema.bound', 'GET /runs', 'query limit']] },
  { given: 'bound-widened-request', want: [['C', 'schema.bound', 'POST /runs', 'request body name']] },
  {
    given: 'bound-widened-response',
    want: [
      ['B', 'schema.bound', 'GET /runs', 'response 200 body data[].tags'],
      ['B', 'schema.bound', 'POST /runs', 'response 201 body tags'],
      ['B', 'schema.bound', 'GET /runs/{id}', 'response 200 body tags'],
    ],
  },
  {
    // RunStatus is both a query filter (request) and a response field: opposite verdicts.
    given: 'enum-narrowed',
    want: [
      ['B', 'schema.enum', 'GET /runs', 'query status'],
      ['C', 'schema.enum', 'GET /runs', 'response 200 body data[].status'],
      ['C', 'schema.enum', 'POST /runs', 'response 201 body status'],
      ['C', 'schema.enum', 'GET /runs/{id}', 'response 200 body status'],
    ],
  },
  {
    given: 'enum-widened',
    want: [
      ['B', 'schema.enum', 'GET /runs', 'response 200 body data[].status'],
      ['B', 'schema.enum', 'POST /runs', 'response 201 body status'],
      ['B', 'schema.enum', 'GET /runs/{id}', 'response 200 body status'],
      ['C', 'schema.enum', 'GET /runs', 'query status'],
    ],
  },
  {
    given: 'type-retyped-response',
    want: [
      ['B', 'schema.type', 'GET /runs', 'response 200 body data[].id'],
      ['B', 'schema.type', 'POST /runs', 'response 201 body id'],
      ['B', 'schema.type', 'GET /runs/{id}', 'response 200 body id'],
    ],
  },
  {
    // type: integer → [integer, "null"] in a response: clients now meet null.
    given: 'type-nullable-response',
    want: [
      ['B', 'schema.type', 'GET /runs', 'response 200 body data[].id'],
      ['B', 'schema.type', 'POST /runs', 'response 201 body id'],
      ['B', 'schema.type', 'GET /runs/{id}', 'response 200 body id'],
    ],
  },
  {
    given: 'type-not-nullable-response',
    want: [
      ['C', 'schema.type', 'GET /runs', 'response 200 body data[].name'],
      ['C', 'schema.type', 'POST /runs', 'response 201 body name'],
      ['C', 'schema.type', 'GET /runs/{id}', 'response 200 body name'],
    ],
  },
  {
    given: 'type-nullable-request',
    want: [
      ['C', 'schema.type', 'GET /runs', 'query limit'],
      ['C', 'schema.type', 'POST /runs', 'request body name'],
    ],
  },
  {
    given: 'response-field-removed',
    want: [
      ['B', 'schema.property-removed', 'GET /runs', 'response 200 body data[].tags'],
      ['B', 'schema.property-removed', 'POST /runs', 'response 201 body tags'],
      ['B', 'schema.property-removed', 'GET /runs/{id}', 'response 200 body tags'],
    ],
  },
  {
    given: 'response-field-added',
    want: [
      ['C', 'schema.property-added', 'GET /runs', 'response 200 body data[].started_at'],
      ['C', 'schema.property-added', 'POST /runs', 'response 201 body started_at'],
      ['C', 'schema.property-added', 'GET /runs/{id}', 'response 200 body started_at'],
    ],
  },
  {
    given: 'response-field-optional',
    want: [
      ['B', 'schema.required', 'GET /runs', 'response 200 body data[].status'],
      ['B', 'schema.required', 'POST /runs', 'response 201 body status'],
      ['B', 'schema.required', 'GET /runs/{id}', 'response 200 body status'],
    ],
  },
  { given: 'request-property-required', want: [['B', 'schema.required', 'POST /runs', 'request body priority']] },
  {
    given: 'request-property-added',
    want: [
      ['B', 'schema.property-added', 'POST /runs', 'request body project'],
      ['C', 'schema.property-added', 'POST /runs', 'request body labels'],
    ],
  },
  {
    given: 'request-property-removed',
    want: [['B', 'schema.property-removed', 'POST /runs', 'request body priority']],
  },
  { given: 'request-body-required', want: [['B', 'request-body.required', 'POST /runs', 'request body']] },
  { given: 'request-body-added', want: [['B', 'request-body.added-required', 'POST /runs', 'request body']] },
  { given: 'request-body-removed', want: [['B', 'request-body.removed', 'POST /runs', 'request body']] },
  {
    given: 'request-media-type-changed',
    want: [
      ['B', 'request-body.media-type-removed', 'POST /runs', 'request body'],
      ['C', 'request-body.media-type-added', 'POST /runs', 'request body (application/x-www-form-urlencoded)'],
    ],
  },
  { given: 'response-status-removed', want: [['B', 'response.status-removed', 'GET /runs/{id}', 'response 404']] },
  { given: 'response-status-added', want: [['C', 'response.status-added', 'POST /runs', 'response 409']] },
  {
    given: 'response-success-status-added',
    want: [['B', 'response.success-status-added', 'POST /runs', 'response 202']],
  },
  {
    given: 'response-header-removed',
    want: [['B', 'response.header-removed', 'GET /runs/{id}', 'response 200 header X-Request-Id']],
  },
  {
    // components/headers/RequestId, used inline and through components/responses.
    given: 'response-header-optional',
    want: [
      ['B', 'response.header-required', 'GET /runs', 'response 200 header X-Request-Id'],
      ['B', 'response.header-required', 'GET /runs', 'response 400 header X-Request-Id'],
      ['B', 'response.header-required', 'POST /runs', 'response 400 header X-Request-Id'],
      ['B', 'response.header-required', 'GET /runs/{id}', 'response 200 header X-Request-Id'],
      ['B', 'response.header-required', 'GET /runs/{id}', 'response 404 header X-Request-Id'],
    ],
  },
  {
    given: 'response-header-added',
    want: [['C', 'response.header-added', 'GET /runs/{id}', 'response 200 header X-RateLimit-Limit']],
  },
  {
    given: 'response-media-type-removed',
    want: [
      ['B', 'response.media-type-removed', 'GET /runs/{id}', 'response 200 body'],
      ['C', 'response.media-type-added', 'GET /runs/{id}', 'response 200 body (application/xml)'],
    ],
  },
  {
    // responses/BadRequest and responses/NotFound → schemas/Error: the chain is followed.
    given: 'ref-resolution',
    want: [
      ['B', 'schema.property-removed', 'GET /runs', 'response 400 body code'],
      ['B', 'schema.property-removed', 'POST /runs', 'response 400 body code'],
      ['B', 'schema.property-removed', 'GET /runs/{id}', 'response 404 body code'],
    ],
  },
  {
    given: 'security-removed',
    want: [
      ['B', 'security.removed', 'GET /runs/{id}', 'security'],
      ['C', 'security.added', 'GET /runs/{id}', 'security'],
    ],
  },
  {
    given: 'security-auth-required',
    want: [
      ['B', 'security.removed', 'GET /runs/{id}', 'security'],
      ['C', 'security.added', 'GET /runs/{id}', 'security'],
    ],
  },
  { given: 'security-scheme-changed', want: [['B', 'security.scheme-changed', 'document', 'securityScheme bearer']] },
  { given: 'pattern-introduced-request', want: [['B', 'schema.pattern', 'POST /runs', 'request body name']] },
  {
    given: 'format-removed-response',
    want: [
      ['B', 'schema.format', 'GET /runs', 'response 200 header X-Request-Id'],
      ['B', 'schema.format', 'GET /runs', 'response 400 header X-Request-Id'],
      ['B', 'schema.format', 'POST /runs', 'response 400 header X-Request-Id'],
      ['B', 'schema.format', 'GET /runs/{id}', 'response 200 header X-Request-Id'],
      ['B', 'schema.format', 'GET /runs/{id}', 'response 404 header X-Request-Id'],
    ],
  },
  { given: 'default-changed', want: [['C', 'schema.default', 'GET /runs', 'query limit']] },
  {
    // Run opened (responses: compatible, with a note); NewRun closed (request: breaking).
    given: 'additional-properties',
    want: [
      ['B', 'schema.additional-properties', 'POST /runs', 'request body'],
      ['C', 'schema.additional-properties', 'GET /runs', 'response 200 body data[]'],
      ['C', 'schema.additional-properties', 'POST /runs', 'response 201 body'],
      ['C', 'schema.additional-properties', 'GET /runs/{id}', 'response 200 body'],
    ],
  },
  { given: 'composition', want: [['C', 'schema.composition', 'POST /runs', 'request body priority']] },
  // Node → children[] → Node: compared once, no infinite walk.
  { given: 'recursive-ref', want: [['B', 'schema.type', 'GET /tree', 'response 200 body name']] },
  {
    given: 'compatible',
    want: [
      ['C', 'operation.added', 'DELETE /runs/{id}', ''],
      ['C', 'parameter.added', 'GET /runs', 'query q'],
      ['C', 'schema.property-added', 'GET /runs', 'response 200 body data[].started_at'],
      ['C', 'schema.bound', 'POST /runs', 'request body name'],
      ['C', 'schema.property-added', 'POST /runs', 'response 201 body started_at'],
      ['C', 'response.status-added', 'POST /runs', 'response 409'],
      ['C', 'schema.property-added', 'GET /runs/{id}', 'response 200 body started_at'],
    ],
  },
  {
    // The compatible changes plus one planted breaking change (a response field removed).
    given: 'planted-breaking',
    want: [
      ['B', 'schema.property-removed', 'GET /runs', 'response 200 body data[].tags'],
      ['B', 'schema.property-removed', 'POST /runs', 'response 201 body tags'],
      ['B', 'schema.property-removed', 'GET /runs/{id}', 'response 200 body tags'],
      ['C', 'operation.added', 'DELETE /runs/{id}', ''],
      ['C', 'parameter.added', 'GET /runs', 'query q'],
      ['C', 'schema.property-added', 'GET /runs', 'response 200 body data[].started_at'],
      ['C', 'schema.bound', 'POST /runs', 'request body name'],
      ['C', 'schema.property-added', 'POST /runs', 'response 201 body started_at'],
      ['C', 'response.status-added', 'POST /runs', 'response 409'],
      ['C', 'schema.property-added', 'GET /runs/{id}', 'response 200 body started_at'],
    ],
  },
];

const sorted = (rows: Want[]) => [...rows].sort((a, b) => a.join('\u0000').localeCompare(b.join('\u0000')));

describe('spec-diff rules', () => {
  test.each(cases)('$given', ({ given, want }) => {
    const got = diffDocuments(load(given, 'old'), load(given, 'new')).map(
      (c): Want => [c.severity === 'breaking' ? 'B' : 'C', c.rule, c.operation, c.where],
    );
    expect(sorted(got)).toEqual(sorted(want));
  });

  test('breaking changes come first', () => {
    const got = diffDocuments(load('planted-breaking', 'old'), load('planted-breaking', 'new'));
    const firstCompatible = got.findIndex((c) => c.severity === 'compatible');
    expect(got.slice(firstCompatible).every((c) => c.severity === 'compatible')).toBe(true);
  });

  test('every fixture has a case and every case a fixture', () => {
    const dirs = readdirSync(FIXTURES, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    expect(cases.map((c) => c.given).sort()).toEqual(dirs.sort());
  });

  test('a document compared with itself has no changes', () => {
    for (const given of cases.map((c) => c.given)) {
      expect(diffDocuments(load(given, 'new'), load(given, 'new'))).toEqual([]);
    }
  });
});
