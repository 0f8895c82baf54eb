/**
 * npm run build [-- --out DIR] [--only client|tools]: writes the publishable packages.
 *
 * Each package is compiled by tsc from its own tsconfig (packages/<name>/tsconfig.json) into
 * DIR/<name> (default dist/packages), keeping the repository's relative layout (client/,
 * generated/, mocks/, scripts/contract/) so relative imports and JSON files resolve unchanged;
 * `.ts` import paths are rewritten to `.js`. The manifest, README and CHANGELOG are copied next to
 * them. The tools package also gets the five documents joined into one for Prism, made here so
 * that its users never need Redocly.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { joinedDocument } from '../mocks/join.ts';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const root = resolve(import.meta.dirname, '..');

export const PACKAGES = ['client', 'tools'] as const;
export type PackageName = (typeof PACKAGES)[number];

/** Where the tools package keeps the joined document its mock serves. */
export const JOINED_DOCUMENT = 'generated/openapi/all-apis.json';

export async function buildPackage(name: PackageName, outDir: string): Promise<string> {
  const target = join(outDir, name);
  await rm(target, { recursive: true, force: true });
  const tsc = require.resolve('typescript/bin/tsc');
  try {
    await run(process.execPath, [tsc, '-p', join(root, 'packages', name, 'tsconfig.json'), '--outDir', target], {
      cwd: root,
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`tsc failed for the ${name} package:\n${stdout}${stderr}`);
  }
  await copyFile(join(root, 'packages', name, 'package.json'), join(target, 'package.json'));
  await copyFile(join(root, 'packages', name, 'README.md'), join(target, 'README.md'));
  await copyFile(join(root, 'CHANGELOG.md'), join(target, 'CHANGELOG.md'));
  if (name === 'client') {
    // Generated JavaScript (Ajv standalone code) and its declarations: tsc copies neither.
    for (const file of ['request-validators.js', 'request-validators.d.ts'])
      await copyFile(join(root, 'generated', file), join(target, 'generated', file));
  }
  if (name === 'tools') {
    await mkdir(join(target, 'generated/openapi'), { recursive: true });
    await copyFile(await joinedDocument(), join(target, JOINED_DOCUMENT));
    // Preloaded into Prism by path (--require), so tsc never sees it.
    await copyFile(join(root, 'mocks/faker-seed.cjs'), join(target, 'mocks/faker-seed.cjs'));
  }
  return target;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { out: { type: 'string' }, only: { type: 'string', multiple: true } } });
  const outDir = resolve(values.out ?? join(root, 'dist/packages'));
  const names = (values.only ?? [...PACKAGES]) as PackageName[];
  for (const name of names) {
    if (!PACKAGES.includes(name)) throw new Error(`unknown package ${name}; one of ${PACKAGES.join(', ')}`);
    console.log(`built ${await buildPackage(name, outDir)}`);
  }
}
