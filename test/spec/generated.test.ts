import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generate, MOCK_FILES } from '../../scripts/generate.ts';
import { API_NAMES, loadBundled } from '../helpers/spec.ts';

const committed = new URL('../../generated/', import.meta.url).pathname;
let fresh: string;

beforeAll(async () => {
  fresh = await mkdtemp(join(tmpdir(), 'generated-'));
  await generate(fresh);
}, 120_000);
afterAll(() => rm(fresh, { recursive: true, force: true }));

describe('generated/', () => {
  test.each([...API_NAMES.flatMap((api) => [`${api}.ts`, `openapi/${api}.json`]), ...MOCK_FILES])(
    '%s is what `npm run generate` writes today (run it and commit when this fails)',
    async (file) => {
      const [want, got] = await Promise.all([
        readFile(join(fresh, file), 'utf8'),
        readFile(join(committed, file), 'utf8'),
      ]);
      expect(got, `${file} is stale`).toBe(want);
    },
  );

  test('holds nothing the generator does not write', async () => {
    const listed = [
      ...(await readdir(committed)),
      ...(await readdir(join(committed, 'openapi'))).map((f) => `openapi/${f}`),
    ];
    const expected = new Set([
      'openapi',
      ...MOCK_FILES,
      ...API_NAMES.flatMap((api) => [`${api}.ts`, `openapi/${api}.json`]),
    ]);
    expect(listed.filter((f) => !expected.has(f))).toEqual([]);
  });

  test.each(API_NAMES)('%s: bundling renamed no component (no Name-2 leaks into the types)', (api) => {
    const components = loadBundled(api).components as Record<string, Record<string, unknown>>;
    for (const [kind, entries] of Object.entries(components)) {
      for (const name of Object.keys(entries)) {
        expect(name, `${kind}/${name}`).toMatch(/^[A-Z][A-Za-z0-9]*$/);
        expect(name.toLowerCase().startsWith(api), `${kind}/${name} carries its API prefix`).toBe(true);
      }
    }
  });
});
