/**
 * prestart and build:server: makes the migrated PGlite template a new data folder starts from
 * (server/store/pglite-template.ts), unless it exists, so an empty DATA_DIR needs no initdb.
 */
import { loadConfig } from '../server/config.ts';
import { ensurePgliteTemplate } from '../server/store/pglite-template.ts';

// On PostgreSQL there is no folder to start.
if (loadConfig().databaseUrl) process.exit(0);
const started = performance.now();
const dir = await ensurePgliteTemplate();
const ms = Math.round(performance.now() - started);
if (ms > 100) console.log(`made the PGlite template new data folders start from (${dir}, ${ms} ms)`);
