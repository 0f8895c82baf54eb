import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import { MIGRATIONS_DIR, migrate } from './migrate.ts';
import { openPglite } from './pglite.ts';

/**
 * A new PGlite folder starts with initdb, which took most of an empty start (about 4x opening an
 * existing folder, measured in bench/notes.md). A migrated, empty folder is made once per PGlite
 * version and set of migrations (`npm run build:server`, npm start's prestart) and copied into a
 * new data folder instead, which then opens like an existing one. It lives in node_modules/.cache,
 * beside the PGlite that made it: never committed, gone with `npm ci`, made again by the build.
 */
export function templateDir(): string {
  memo ??= computeTemplateDir();
  return memo;
}

let memo: string | undefined;

/** Read once per process (every PGlite open asks). The same inputs name the same folder: PGlite's version and every migration's name and bytes. */
function computeTemplateDir(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@electric-sql/pglite');
  const modules = entry.slice(0, entry.lastIndexOf(`${sep}node_modules${sep}`) + `${sep}node_modules`.length);
  const manifest = join(modules, '@electric-sql', 'pglite', 'package.json');
  const version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
  const hash = createHash('sha256').update(version);
  for (const file of readdirSync(MIGRATIONS_DIR).sort())
    hash.update(file).update(readFileSync(join(MIGRATIONS_DIR, file)));
  return join(modules, '.cache', 'run-api-contracts', `pglite-${hash.digest('hex').slice(0, 16)}`);
}

const isCluster = (dir: string) => existsSync(join(dir, 'PG_VERSION'));

/** Makes the template unless it exists; returns its folder. */
export async function ensurePgliteTemplate(): Promise<string> {
  const dir = templateDir();
  if (isCluster(dir)) return dir;
  const building = `${dir}.${process.pid}.tmp`;
  rmSync(building, { recursive: true, force: true });
  const db = await openPglite(building);
  await migrate(db);
  await db.close();
  // Another process may have made it meanwhile: its copy is as good as this one.
  if (isCluster(dir)) rmSync(building, { recursive: true, force: true });
  else renameSync(building, dir);
  return dir;
}

/** Copies the template into `dataDir` when that folder is new and a template exists. */
export function startFromTemplate(dataDir: string): boolean {
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) return false;
  const dir = templateDir();
  if (!isCluster(dir)) return false;
  cpSync(dir, dataDir, { recursive: true });
  return true;
}
