import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVER_DIR = fileURLToPath(new URL('../', import.meta.url));
const SOURCE = /\.(ts|js|sql)$/;

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return sourcesUnder(path);
      return SOURCE.test(entry.name) ? [path] : [];
    })
    .sort();
}

/**
 * Names what a stored final body was rendered by: the contracts and the server's own code (source
 * under tsx, compiled under dist). A stored body from before an upgrade, or from a working copy
 * that changed since, is then never served: it is recomputed and stored again. Read at boot.
 */
export function finalBodyVersion(documents: readonly unknown[]): string {
  const hash = createHash('sha256');
  for (const document of documents) hash.update(JSON.stringify(document)).update('\n');
  return hash.update(serverCode()).digest('base64url').slice(0, 22);
}

let code: string | undefined;
/** The server's code, hashed once per process: every app a process builds runs the same files. */
function serverCode(): string {
  if (code === undefined) {
    const hash = createHash('sha256');
    for (const file of sourcesUnder(SERVER_DIR)) hash.update(file.slice(SERVER_DIR.length)).update(readFileSync(file));
    code = hash.digest('base64url');
  }
  return code;
}
