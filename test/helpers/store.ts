import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Db } from '../../server/store/db.ts';
import { migrate } from '../../server/store/migrate.ts';
import { openStore } from '../../server/store/open.ts';

export interface TestStore {
  db: Db;
  /** Drops the test's PostgreSQL schema (if any) and closes the store. */
  close(): Promise<void>;
}

/**
 * A migrated store for one test file: its own PostgreSQL schema when DATABASE_URL is set
 * (test files run in parallel), else an in-memory PGlite.
 */
export async function openTestStore(): Promise<TestStore> {
  const url = process.env.DATABASE_URL;
  const schema = url ? `t_${randomBytes(6).toString('hex')}` : undefined;
  const db = await openStore({ databaseUrl: url, schema });
  await migrate(db);
  return {
    db,
    async close() {
      await db.close();
      if (url && schema) {
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await admin.end();
      }
    },
  };
}
