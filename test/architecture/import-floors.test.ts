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

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : filesUnder(path);
    return SOURCE.test(entry.name) ? [path] : [];
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
  { from: 'server/core/', mustNotImport: ['server/apis/', 'server/app.ts', 'server/main.ts'] },
  { from: 'server/store/', mustNotImport: ['server/http/', 'server/apis/'] },
  { from: 'server/http/', mustNotImport: ['server/apis/'] },
  { from: 'server/', mustNotImport: ['scripts/', 'test/'] },
  { from: 'client/', mustNotImport: ['server/'] },
  { from: 'mocks/', mustNotImport: ['server/'] },
  // Reading a document (openapi/) sits beside generated/, below everyone who reads one.
  { from: 'openapi/', mustNotImport: ['server/', 'client/', 'mocks/', 'scripts/', 'test/'] },
];

const GRAPH = ['server', 'client', 'mocks', 'openapi']
  .flatMap(filesUnder)
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
