/**
 * The floors of the house (spec -> generated -> core -> store -> apis/http -> app -> main): a file
 * imports only from its own floor or below, and the shipped client and mocks need no server code.
 * Read from the import graph (TypeScript's own pre-processor: static, type-only and dynamic imports),
 * so a move that breaks a floor fails here rather than in review.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SOURCE = /\.(ts|tsx|js|mjs|cjs)$/;

function filesUnder(dir: string, pattern = SOURCE): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : filesUnder(path, pattern);
    return pattern.test(entry.name) ? [path] : [];
  });
}

/** Repository-relative paths of everything `file` imports from the repository itself. */
function localImports(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
  return importedFiles
    .map(({ fileName }) => fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) =>
      relative(ROOT, resolve(ROOT, dirname(file), spec))
        .split('\\')
        .join('/'),
    );
}

const FLOORS: Array<{ from: string; mustNotImport: string[] }> = [
  // What both sides share (types, store errors, the bundled documents) sits below both.
  {
    from: 'server/core/',
    mustNotImport: [
      'server/store/',
      'server/http/',
      'server/apis/',
      'server/cache/',
      'server/app.ts',
      'server/main.ts',
    ],
  },
  { from: 'server/store/', mustNotImport: ['server/http/', 'server/apis/'] },
  { from: 'server/http/', mustNotImport: ['server/apis/'] },
  { from: 'server/', mustNotImport: ['scripts/', 'test/'] },
  { from: 'client/', mustNotImport: ['server/'] },
  { from: 'mocks/', mustNotImport: ['server/'] },
  // Reading a document (openapi/) sits beside generated/, below everyone who reads one.
  { from: 'openapi/', mustNotImport: ['server/', 'client/', 'mocks/', 'scripts/', 'test/'] },
];

const GRAPH = ['server', 'client', 'mocks', 'openapi']
  .flatMap((dir) => filesUnder(dir))
  .map((file) => ({ file, imports: localImports(file) }));

describe('import floors', () => {
  test('the graph is read: files are found and their imports resolved', () => {
    const importsOf = (file: string) => GRAPH.find((node) => node.file === file)?.imports;
    expect(importsOf('server/store/pagination.ts')).toContain('server/core/errors.ts');
    expect(importsOf('server/http/to-problem.ts')).toContain('server/core/errors.ts');
    expect(importsOf('openapi/bundle.ts')).toContain('openapi/document.ts');
  });

  test.each(FLOORS)('nothing under $from imports from $mustNotImport', ({ from, mustNotImport }) => {
    const crossings = GRAPH.filter(({ file }) => file.startsWith(from)).flatMap(({ file, imports }) =>
      imports
        .filter((path) => mustNotImport.some((floor) => path.startsWith(floor)))
        .map((path) => `${file} -> ${path}`),
    );
    expect(crossings).toEqual([]);
  });
});

/** Files under `dir` (code and SQL) whose text matches `pattern`, with the first match. */
function filesSaying(dir: string, pattern: RegExp): string[] {
  return filesUnder(dir, /\.(ts|sql)$/).flatMap((file) => {
    const found = pattern.exec(readFileSync(join(ROOT, file), 'utf8'));
    return found ? [`${file}: ${found[0]}`] : [];
  });
}

/** A SQLSTATE literal in `file`: five digits and capitals of a class PostgreSQL defines (08 connection, 57 operator...). */
const sqlstateIn = (file: string): string | undefined =>
  /['"`](0[0-9A-Z]|2[0-9A-Z]|4[0-9A-Z]|5[0-9A-Z])[0-9A-Z]{3}['"`]/.exec(readFileSync(join(ROOT, file), 'utf8'))?.[0];

/** A socket error code in `file` (what pg reports for a refused or lost connection). */
const socketCodeIn = (file: string): string | undefined =>
  /\bE(CONNREFUSED|CONNRESET|TIMEDOUT|NOTFOUND|PIPE|HOSTUNREACH|NETUNREACH)\b/.exec(
    readFileSync(join(ROOT, file), 'utf8'),
  )?.[0];

/** The database drivers `file` imports. */
const driversOf = (file: string): string[] =>
  ts
    .preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true)
    .importedFiles.map(({ fileName }) => fileName)
    .filter((spec) => spec === 'pg' || spec.startsWith('pg/') || spec.startsWith('@electric-sql/pglite'));

describe('what each floor knows', () => {
  test('the store builds no URL: no API path or absolute URL under server/store', () => {
    expect(filesSaying('server/store', /\/v1\/|https?:\/\//)).toEqual([]);
  });

  test('the scan reads what it claims to: an API path under server/apis is found', () => {
    expect(filesSaying('server/apis', /\/v1\/|https?:\/\//).length).toBeGreaterThan(0);
  });

  test("database drivers are the store's: nothing else imports pg, PGlite or their classifier, or names their codes", () => {
    const outside = GRAPH.filter(({ file }) => file.startsWith('server/') && !file.startsWith('server/store/'));
    const drivers = outside.flatMap(({ file }) => driversOf(file).map((spec) => `${file} -> ${spec}`));
    const words = outside.flatMap(({ file }) =>
      [sqlstateIn(file), socketCodeIn(file)].filter((found) => found !== undefined).map((found) => `${file}: ${found}`),
    );
    // Above the store a lost connection is StoreUnavailable (server/core/errors.ts), asked with instanceof.
    const classifier = outside.flatMap(({ file, imports }) =>
      imports.includes('server/store/unavailable.ts') ? [`${file} -> server/store/unavailable.ts`] : [],
    );
    expect([...drivers, ...words, ...classifier]).toEqual([]);
    // The scans see what they look for where it belongs.
    expect(sqlstateIn('server/store/unavailable.ts')).toBeDefined();
    expect(socketCodeIn('server/store/unavailable.ts')).toBeDefined();
    expect(driversOf('server/store/postgres.ts')).toContain('pg');
    expect(GRAPH.find(({ file }) => file === 'server/store/pglite.ts')?.imports).toContain(
      'server/store/unavailable.ts',
    );
  });
});
