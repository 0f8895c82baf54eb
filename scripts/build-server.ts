/**
 * npm run build:server: compiles the reference server to dist/server (plain JavaScript, so the
 * production start `node dist/server/main.js` pays no TypeScript transform), with the files it
 * reads at boot beside it: the migrations and the bundled documents; and the PGlite template an
 * empty data folder starts from.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ensurePgliteTemplate } from '../server/store/pglite-template.ts';

const require = createRequire(import.meta.url);
const root = new URL('../', import.meta.url);
const at = (path: string) => new URL(path, root);

rmSync(at('dist/server'), { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
  cwd: root,
  stdio: 'inherit',
});
cpSync(at('server/store/migrations'), at('dist/server/store/migrations'), { recursive: true });
cpSync(at('generated/openapi'), at('dist/generated/openapi'), { recursive: true });
// An empty DATA_DIR starts from a copy of the migrated template instead of initdb.
await ensurePgliteTemplate();
console.log('built dist/server (start: node dist/server/main.js)');
