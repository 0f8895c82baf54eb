import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { migrate, pendingMigrations } from '../../server/store/migrate.ts';
import { openStore } from '../../server/store/open.ts';
import { openTestStore } from '../helpers/store.ts';

describe('migrations', () => {
  test('are recorded once: a second run applies nothing and nothing is pending', async () => {
    const store = await openTestStore();
    try {
      expect(await migrate(store.db)).toEqual([]);
      expect(await pendingMigrations(store.db)).toEqual([]);
      const rows = await store.db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
      expect(rows.map((r) => r.name)[0]).toBe('0001_core.sql');
    } finally {
      await store.close();
    }
  });

  const url = process.env.DATABASE_URL;
  test.skipIf(!url)(
    'two instances migrating one PostgreSQL schema at once apply each migration once (needs DATABASE_URL)',
    async () => {
      const schema = `t_${randomBytes(6).toString('hex')}`;
      const [a, b] = await Promise.all([
        openStore({ databaseUrl: url, schema }),
        openStore({ databaseUrl: url, schema }),
      ]);
      try {
        const [ranA, ranB] = await Promise.all([migrate(a), migrate(b)]);
        expect([...ranA, ...ranB].sort()).toEqual(
          (await a.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).map((r) => r.name),
        );
      } finally {
        await a.query(`DROP SCHEMA ${schema} CASCADE`);
        await Promise.all([a.close(), b.close()]);
      }
    },
  );
});
