import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { pendingMigrations } from '../../server/store/migrate.ts';
import { openStore } from '../../server/store/open.ts';
import { ensurePgliteTemplate, startFromTemplate, templateDir } from '../../server/store/pglite-template.ts';

const work = mkdtempSync(join(tmpdir(), 'pglite-template-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the PGlite template a new data folder starts from', () => {
  test('is made once, migrated, in node_modules/.cache beside PGlite, and kept', async () => {
    const dir = await ensurePgliteTemplate();
    expect(dir).toBe(templateDir());
    expect(dir).toMatch(/node_modules[/\\]\.cache[/\\]run-api-contracts[/\\]pglite-[0-9a-f]{16}$/);
    const made = statSync(join(dir, 'PG_VERSION')).mtimeMs;
    expect(await ensurePgliteTemplate()).toBe(dir);
    expect(statSync(join(dir, 'PG_VERSION')).mtimeMs).toBe(made);
  });

  test('a new folder opens already migrated: every migration on disk is applied, none pending', async () => {
    await ensurePgliteTemplate();
    const dataDir = join(work, 'new');
    const db = await openStore({ dataDir });
    try {
      expect(await pendingMigrations(db)).toEqual([]);
      const applied = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
      expect(applied[0]?.n).toBe(readdirSync(new URL('../../server/store/migrations/', import.meta.url)).length);
    } finally {
      await db.close();
    }
  });

  test('a folder opens with a 32 MB buffer pool, not the 128 MB default: a start pays for every MB of it', async () => {
    const db = await openStore({ dataDir: join(work, 'buffers') });
    try {
      const rows = await db.query<{ pool: string }>("SELECT current_setting('shared_buffers') AS pool");
      expect(rows).toEqual([{ pool: '32MB' }]);
    } finally {
      await db.close();
    }
  });

  test('a folder that has anything in it is left as it is', () => {
    const dataDir = join(work, 'used');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'mine'), 'x');
    expect(startFromTemplate(dataDir)).toBe(false);
    expect(readdirSync(dataDir)).toEqual(['mine']);
  });
});
