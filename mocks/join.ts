import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundlePath } from '../openapi/bundle.ts';
import { API_NAMES } from './scenarios.ts';

const require = createRequire(import.meta.url);

/**
 * One document holding all five APIs at their native paths, for a single Prism. `redocly join`
 * moves each root's `security` onto its operations, so every API keeps its own auth; component
 * names get the API's title as prefix, though ours are unique already. Cached by content hash,
 * so only the first start after `npm run generate` pays for the join.
 */
export async function joinedDocument(): Promise<string> {
  const bundles = API_NAMES.map((api) => fileURLToPath(bundlePath(api)));
  const hash = createHash('sha256');
  for (const file of bundles) hash.update(readFileSync(file));
  const dir = join(tmpdir(), 'run-api-contracts-mock');
  const target = join(dir, `joined-${hash.digest('hex').slice(0, 16)}.json`);
  if (existsSync(target)) return target;
  mkdirSync(dir, { recursive: true });
  // Concurrent starts (parallel test files) each write their own file; rename is atomic.
  const partial = `${target}.${process.pid}.${Date.now()}.json`;
  const cli = require.resolve('@redocly/cli/bin/cli.js');
  const args = [cli, 'join', ...bundles, '--prefix-components-with-info-prop', 'title', '-o', partial];
  await run(process.execPath, args, dir);
  renameSync(partial, target);
  return target;
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      // Under NODE_ENV=test (vitest sets it) `redocly join` prints to stdout and ignores -o.
      env: { ...process.env, NODE_ENV: 'production', REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`redocly join exited with ${code}:\n${output}`)),
    );
  });
}
