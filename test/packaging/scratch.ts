/**
 * Scratch projects for the packing tests: build a package, `npm pack` it, and install the tarball
 * into a project the test writes, the way another repository would. Installs prefer the npm cache
 * (the repository's own `npm ci` filled it with the same versions) and each test file installs once.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { buildPackage, type PackageName } from '../../scripts/build.ts';
import { sharedBuild } from '../helpers/shared-build.ts';

const exec = promisify(execFile);
const root = join(import.meta.dirname, '../..');

/** The repository's own pinned version of a dependency, so the scratch app installs from the cache. */
export async function repoVersion(name: string): Promise<string> {
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const version = pkg.devDependencies?.[name] ?? pkg.dependencies?.[name];
  if (!version) throw new Error(`the repository does not pin ${name}`);
  return version;
}

/** The environment of a child that must not believe it runs inside this vitest or npm script. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(VITEST|NODE_ENV$|npm_|TEST$|INIT_CWD$|FORCE_COLOR$)/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra, NO_COLOR: '1', NO_UPDATE_NOTIFIER: '1', npm_config_update_notifier: 'false' };
}

export interface Output {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; resolves with its exit code and output instead of throwing. */
export async function run(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<Output> {
  try {
    const { stdout, stderr } = await exec(command, args, { cwd, env: cleanEnv(env), maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(error) };
  }
}

/** Like run, but a non-zero exit throws with the output, for steps that must succeed. */
export async function must(command: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const out = await run(command, args, cwd, env);
  if (out.code !== 0)
    throw new Error(`${command} ${args.join(' ')} exited ${out.code} in ${cwd}:\n${out.stdout}\n${out.stderr}`);
  return out;
}

export async function workDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `run-api-${prefix}-`));
}

/** `npm run build` of one package into `work`, then `npm pack`: the tarball's path. */
export async function packTarball(name: PackageName, work: string): Promise<string> {
  const dir = await buildPackage(name, join(work, 'packages'));
  const out = await must('npm', ['pack', '--pack-destination', work, '--json'], dir);
  const [info] = JSON.parse(out.stdout) as Array<{ filename: string }>;
  if (!info) throw new Error(`npm pack printed no file:\n${out.stdout}`);
  return join(work, info.filename);
}

/**
 * packTarball into a folder of the run, once for every file that installs the package: the
 * tarball is only read (npm copies it into each scratch project's node_modules).
 */
export function sharedTarball(name: PackageName): Promise<string> {
  return sharedBuild(`${name}-package`, (dir) => packTarball(name, dir));
}

/** Writes a project's files (paths relative to `dir`; objects are written as JSON). */
export async function writeProject(dir: string, files: Record<string, string | object>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
  }
}

export async function npmInstall(dir: string): Promise<void> {
  await must('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], dir);
}

/** Every package npm installed into a project, as `node_modules/...` paths. */
export async function installedPackages(dir: string): Promise<string[]> {
  const lock = JSON.parse(await readFile(join(dir, 'node_modules/.package-lock.json'), 'utf8')) as {
    packages: Record<string, unknown>;
  };
  return Object.keys(lock.packages).sort();
}
