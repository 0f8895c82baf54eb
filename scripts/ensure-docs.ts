/**
 * prestart: builds the reference docs into DOCS_DIR (default dist/docs) when they are missing, so
 * the server never builds them while it starts (that took seconds and 1 GB before the first answer).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../server/config.ts';

const dir = resolve(loadConfig().docsDir);
if (existsSync(join(dir, 'index.html'))) process.exit(0);
try {
  const { buildDocs } = await import('./docs.ts');
  await buildDocs(dir);
  console.log(`built the reference docs into ${dir}`);
} catch (err) {
  // The APIs do not need the docs: start without them rather than not at all.
  console.warn(`could not build the reference docs (${String(err)}); run \`npm run docs\``);
}
