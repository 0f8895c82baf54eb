/**
 * The x-faker hints (Prism's --dynamic mode calls faker through json-schema-faker): each names a
 * faker function that exists in the faker Prism loads, each produces a value its schema accepts,
 * and the documents still compile under Ajv's strict mode once the vendor keywords are declared.
 * Against a running Prism, generated timestamps are recent rather than from any century.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningMock, startMock } from '../../mocks/prism.ts';
import { catalog } from '../../mocks/scenarios.ts';
import { clientsFor, mockCalls } from '../client/calls.ts';
import { API_NAMES, loadBundled } from '../helpers/spec.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
type Json = Record<string, unknown>;

const require = createRequire(import.meta.url);
const prismHttp = dirname(require.resolve('@stoplight/prism-http'));
const { faker } = require(require.resolve('@faker-js/faker', { paths: [prismHttp] })) as {
  faker: Record<string, Record<string, (...args: unknown[]) => unknown>>;
};

/** Every schema node carrying a hint, with where it sits. */
function hinted(node: unknown, at: string, out: Array<{ at: string; schema: Json }> = []) {
  if (!node || typeof node !== 'object') return out;
  if ('x-faker' in node) out.push({ at, schema: node as Json });
  for (const [k, v] of Object.entries(node)) if (k !== 'examples' && k !== 'example') hinted(v, `${at}/${k}`, out);
  return out;
}

/** x-faker: "a.b" or { "a.b": [args] }, called the way json-schema-faker calls it. */
function callHint(hint: unknown): unknown {
  const [path, args] = typeof hint === 'string' ? [hint, []] : (Object.entries(hint as Json)[0] as [string, unknown[]]);
  const [group, fn] = path.split('.') as [string, string];
  const target = faker[group]?.[fn];
  if (typeof target !== 'function') throw new Error(`faker has no ${path}`);
  return target.apply(faker[group], Array.isArray(args) ? args : [args]);
}

describe.each(API_NAMES)('%s x-faker hints', (api) => {
  const doc = loadBundled(api);
  const hints = hinted(doc.components, '#/components');

  test('ids, timestamps and counters carry hints', () => {
    expect(hints.some((h) => h.schema.format === 'date-time')).toBe(true);
    expect(hints.some((h) => h.schema.format === 'uuid') || api === 'samples').toBe(true);
  });

  test.each(hints.map((h) => [h.at, h.schema] as const))(
    '%s: the hint makes a value its schema accepts',
    (_at, schema) => {
      const ajv = addFormats(new Ajv2020({ strict: false }));
      const { 'x-faker': hint, ...plain } = schema;
      const validate = ajv.compile(plain);
      for (let i = 0; i < 20; i++) {
        const value = callHint(hint);
        expect(validate(value), `${JSON.stringify(value)}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      }
    },
  );

  test('the schemas compile under strict mode with the vendor keywords declared', () => {
    const ajv = addFormats(
      new Ajv2020({
        strict: true,
        allowUnionTypes: true,
        keywords: ['components', 'example', 'x-faker', 'x-provenance'],
      }),
    );
    ajv.addSchema({ $id: `https://strict.local/${api}.json`, components: doc.components });
    for (const name of Object.keys((doc.components as Json).schemas as Json)) {
      expect(() => ajv.getSchema(`https://strict.local/${api}.json#/components/schemas/${name}`), name).not.toThrow();
    }
  });
});

describe('Prism --dynamic with the hints', () => {
  let mock: RunningMock;
  beforeAll(async () => {
    mock = await startMock({ dynamic: true, seed: 11 });
  });
  afterAll(() => mock?.close());

  test('generated timestamps are recent (November 2026), not from any century', async () => {
    const clients = clientsFor({ baseUrl: mock.url, token: 't', retry: false });
    const stamps: string[] = [];
    const collect = (node: unknown): void => {
      if (typeof node === 'string' && /^\d{4}-\d\d-\d\dT/.test(node)) stamps.push(node);
      else if (node && typeof node === 'object') Object.values(node).forEach(collect);
    };
    for (const op of catalog) collect((await mockCalls[op.operationId](clients)).data);
    expect(stamps.length).toBeGreaterThan(10);
    for (const s of stamps) expect(s.slice(0, 7), s).toBe('2026-11');
  });
});
