/**
 * The API list and base paths are written once: redocly.yaml, from which `npm run generate` writes
 * generated/apis.ts. The HTTP methods of a path item and `$ref` resolution are written once too:
 * openapi/document.ts. Everything else imports those; this reads the repository's source for copies.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { API_NAMES, APIS } from '../../generated/apis.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// generated/ is the one written copy, spec/ the documents it comes from; the rest is not source.
const SKIP = new Set(['node_modules', '.git', 'generated', 'spec', 'dist', 'data', 'test-results']);
// Only the top-level spec/ holds documents: test/spec/ is source like any other.
const SKIP_NESTED = new Set(['node_modules', '.git', 'dist', 'test-results']);
const SOURCE = /\.(ts|tsx|js|mjs|cjs)$/;

const THIS_FILE = 'test/architecture/written-once.test.ts';

function sourceFiles(dir = ''): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return (dir ? SKIP_NESTED : SKIP).has(entry.name) ? [] : sourceFiles(path);
    return SOURCE.test(entry.name) ? [path] : [];
  });
}

const quoted = (text: string) => `['"\`]${text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}['"\`]`;

/** All five names as string literals within a few lines of each other: a copy of the list. */
function copiesOfTheList(text: string): boolean {
  const at = [...text.matchAll(new RegExp(API_NAMES.map(quoted).join('|'), 'g'))];
  return at.some((first) => {
    const window = at.filter((m) => (m.index ?? 0) >= (first.index ?? 0) && (m.index ?? 0) - (first.index ?? 0) < 200);
    return new Set(window.map((m) => m[0].slice(1, -1))).size === API_NAMES.length;
  });
}

const BASE_PATHS = Object.values(APIS).map((api) => api.basePath);

/** A base path given as a base path (`basePath: '/v1/…'`), or two APIs' base paths in one file: a copy of the table. */
function copiesOfBasePaths(text: string): string[] {
  const found = BASE_PATHS.filter((path) => new RegExp(quoted(path)).test(text));
  const declared = BASE_PATHS.filter((path) => new RegExp(`basePath\\s*[:=]\\s*${quoted(path)}`).test(text));
  return found.length >= 2 ? found : declared;
}

/** The one home of the HTTP method list and the `$ref` resolver. */
const OPENAPI_DOCUMENT = 'openapi/document.ts';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Five or more HTTP methods as string literals within a line or two: a copy of the method list. */
function copiesOfTheMethods(text: string): boolean {
  const at = [...text.matchAll(new RegExp(`['"\`](${HTTP_METHODS.join('|')})['"\`]`, 'gi'))];
  return at.some((first) => {
    const window = at.filter((m) => (m.index ?? 0) >= (first.index ?? 0) && (m.index ?? 0) - (first.index ?? 0) < 120);
    return new Set(window.map((m) => m[1]?.toLowerCase())).size >= 5;
  });
}

/** A `$ref` followed, within a few lines, by a JSON pointer taken apart by hand: a copy of the resolver. */
function copiesOfTheResolver(text: string): boolean {
  return /\$ref[\s\S]{0,160}?(\.split\(\s*['"]\/['"]\s*\)|~1|#\/components\/)/.test(text);
}

describe('written once', () => {
  const files = sourceFiles().filter((file) => file !== THIS_FILE);

  test('the checks see the source and recognise a copy', () => {
    expect(files).toContain('server/apis/registry.ts');
    expect(copiesOfTheList(`const a = ['telemetry', 'workflows',\n 'matching', 'taxonomy', "samples"];`)).toBe(true);
    expect(copiesOfTheList(`const a = ['telemetry', 'workflows', 'matching', 'taxonomy'];`)).toBe(false);
    expect(copiesOfBasePaths(`{ telemetry: '/v1/telemetry', matching: '/v1/matching' }`)).toHaveLength(2);
    expect(copiesOfBasePaths(`basePath: '/v1/taxonomy',`)).toEqual(['/v1/taxonomy']);
    // A request to a path that happens to equal a base path is not a copy.
    expect(copiesOfBasePaths(`samples.GET('/api/v1/runs')`)).toEqual([]);
    expect(files).toContain('test/spec/examples.test.ts');
    expect(copiesOfTheMethods(`const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];`)).toBe(
      true,
    );
    expect(copiesOfTheMethods(`router.get('/a'); expect(['GET', 'POST']).toContain(method);`)).toBe(false);
    expect(
      copiesOfTheResolver(`while (typeof n.$ref === 'string') n = n.$ref.slice(2).split('/').reduce(at, doc);`),
    ).toBe(true);
    expect(copiesOfTheResolver(`p.$ref.replace('#/components/parameters/', '')`)).toBe(true);
    expect(copiesOfTheResolver(`const p = resolveRef(doc, raw);`)).toBe(false);
  });

  test(`no source file but ${OPENAPI_DOCUMENT} lists the HTTP methods`, () => {
    const others = files.filter((file) => file !== OPENAPI_DOCUMENT);
    expect(others.filter((file) => copiesOfTheMethods(readFileSync(join(ROOT, file), 'utf8')))).toEqual([]);
  });

  test(`no source file but ${OPENAPI_DOCUMENT} resolves a $ref by hand`, () => {
    const others = files.filter((file) => file !== OPENAPI_DOCUMENT);
    expect(others.filter((file) => copiesOfTheResolver(readFileSync(join(ROOT, file), 'utf8')))).toEqual([]);
  });

  test('no source file outside generated/ and spec/ lists the APIs', () => {
    expect(files.filter((file) => copiesOfTheList(readFileSync(join(ROOT, file), 'utf8')))).toEqual([]);
  });

  test('no source file outside generated/ and spec/ copies the base paths', () => {
    const copies = files.flatMap((file) =>
      copiesOfBasePaths(readFileSync(join(ROOT, file), 'utf8')).map((path) => `${file}: ${path}`),
    );
    expect(copies).toEqual([]);
  });
});
